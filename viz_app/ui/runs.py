"""Which pipeline run (and project) each job of a view belongs to, and the groups that follow.

SageMaker records a pipeline run outside the lineage graph: the jobs a pipeline execution
starts carry the tag `sagemaker:pipeline-execution-arn` (the SDK's `pipeline_execution_arn`
helpers read it with ListTags on the job), and jobs made in a SageMaker project carry
`sagemaker:project-name`. A job's trial component is named after the job with an auto suffix
(`churn-train-001-aws-training-job`), so the job's ARN follows from the vertex alone: one
ListTags per job, made in parallel, and kept for good (a finished job's tags are its
history; new jobs are asked when they appear).

The grouping then spreads each run from its jobs to the vertices only that run touches
(its inputs, outputs, model packages, endpoints); a vertex touched by two runs or more (a
shared image, a common dataset) stays outside every group, between them.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

from viz_app.core.model import build_arn, parse_arn
from viz_app.ui.questions import PIPELINE_TAG

PROJECT_TAGS: Final = ("sagemaker:project-name", "project")
# Trial component name suffix -> ARN resource of the job it records.
JOB_SUFFIXES: Final = {
    "-aws-training-job": "training-job",
    "-aws-processing-job": "processing-job",
    "-aws-transform-job": "transform-job",
}
WORKERS: Final = 8
SHORT_ID: Final = 8  # execution id characters shown in a group's title

Tags = list[dict[str, str]]


@dataclass(frozen=True)
class Run:
    """One pipeline execution, as its ARN and its job's tags tell it."""

    execution_arn: str
    project: str = ""

    @property
    def pipeline(self) -> str:
        """The pipeline's name (`…:pipeline/<name>/execution/<id>`)."""
        parsed = parse_arn(self.execution_arn)
        return parsed.name.split("/execution/")[0] if parsed else self.execution_arn

    @property
    def execution_id(self) -> str:
        return self.execution_arn.rsplit("/", 1)[-1]

    @property
    def owner(self) -> str:
        """Whose run it is: the project, else the pipeline."""
        return self.project or self.pipeline

    @property
    def title(self) -> str:
        """The owner and a short run id (what tells two runs of one pipeline apart)."""
        return f"{self.owner} · run {self.execution_id[:SHORT_ID]}"


def run_titles(runs: Iterable[Run]) -> dict[Run, str]:
    """What each run's frame says: its owner alone when no other run in view has that
    owner (short titles can be drawn bigger), else the owner and a short run id."""
    distinct = set(runs)
    owners = Counter(r.owner for r in distinct)
    return {r: r.owner if owners[r.owner] == 1 else r.title for r in distinct}


def job_arn(trial_component_arn: str) -> str | None:
    """The ARN of the job an auto-created trial component records (None for other vertices)."""
    parsed = parse_arn(trial_component_arn)
    if parsed is None or parsed.resource != "experiment-trial-component":
        return None
    for suffix, resource in JOB_SUFFIXES.items():
        if parsed.name.endswith(suffix) and len(parsed.name) > len(suffix):
            return build_arn(parsed.region, parsed.account, resource, parsed.name[: -len(suffix)])
    return None


def run_from_tags(tags: Tags) -> Run | None:
    """The run a job's tags name (None: the job did not run in a pipeline)."""
    by_key = {t.get("Key", ""): t.get("Value", "") for t in tags}
    execution = by_key.get(PIPELINE_TAG, "")
    if not execution:
        return None
    project = next((by_key[k] for k in PROJECT_TAGS if by_key.get(k)), "")
    return Run(execution, project)


class RunBook:
    """The runs of one account's jobs, asked once each (ListTags in parallel) and kept.

    `list_tags` answers every tag of a resource (all pages). A job whose call fails is
    asked again next time; one without a pipeline tag is remembered as such.
    """

    def __init__(self, list_tags: Callable[[str], Tags], workers: int = WORKERS) -> None:
        self._list_tags = list_tags
        self._workers = workers
        self._runs: dict[str, Run | None] = {}  # job ARN -> its run
        self._lock = threading.Lock()
        self._fill_lock = threading.Lock()  # one fill at a time: a job is never asked twice
        self.stats: Counter[str] = Counter()

    def runs(self, vertex_arns: Iterable[str]) -> dict[str, Run]:
        """{trial component ARN: run} for the job vertices among `vertex_arns` that ran in a
        pipeline, asking only for jobs not asked before."""
        jobs = {tc: job for tc in vertex_arns if (job := job_arn(tc)) is not None}
        with self._fill_lock:  # two requests for one view (its first look, then all of it)
            with self._lock:
                missing = sorted({j for j in jobs.values() if j not in self._runs})
                self.stats["hits"] += len(set(jobs.values())) - len(missing)
            if missing:
                with ThreadPoolExecutor(max_workers=min(self._workers, len(missing))) as pool:
                    found = list(pool.map(self._ask, missing))
                with self._lock:
                    self._runs.update((j, r) for j, r, ok in found if ok)
        with self._lock:
            return {tc: run for tc, job in jobs.items() if (run := self._runs.get(job))}

    def _ask(self, job: str) -> tuple[str, Run | None, bool]:
        try:
            tags = self._list_tags(job)
        except Exception:  # that job is drawn outside any group, and asked again later
            with self._lock:
                self.stats["failures"] += 1
            return job, None, False
        with self._lock:
            self.stats["calls"] += 1
        return job, run_from_tags(tags), True


def _by_project(run: Run) -> tuple[bool, str]:
    return bool(run.project), run.project  # a tagged job's project is listed last, and wins


def run_groups(
    vertices: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
    runs: Mapping[str, Run],
) -> dict[str, Run]:
    """{vertex ARN: run} for every vertex that belongs to exactly one run.

    Jobs belong to their run. From them, in breadth-first waves, a vertex joins a run when
    every run that reaches it in the same wave is that one; a vertex reached by two runs is
    shared and stops both (so a shared image never carries one project into another).
    """
    arns = {str(v["Arn"]) for v in vertices}
    neighbours: dict[str, set[str]] = {a: set() for a in arns}
    for e in edges:
        source, target = str(e["SourceArn"]), str(e["DestinationArn"])
        if source in arns and target in arns and source != target:
            neighbours[source].add(target)
            neighbours[target].add(source)
    # Only some jobs of a run may carry the project tag: every job takes its run's project.
    projects = {r.execution_arn: r.project for r in sorted(runs.values(), key=_by_project)}
    owner: dict[str, Run] = {
        a: Run(r.execution_arn, projects[r.execution_arn]) for a, r in runs.items() if a in arns
    }
    shared: set[str] = set()
    wave = deque(sorted(owner))
    while wave:
        reached: dict[str, set[Run]] = {}
        for arn in wave:
            for other in neighbours[arn]:
                if other not in owner and other not in shared:
                    reached.setdefault(other, set()).add(owner[arn])
        wave = deque()
        for arn in sorted(reached):
            found = reached[arn]
            if len(found) == 1:
                owner[arn] = next(iter(found))
                wave.append(arn)
            else:
                shared.add(arn)
    return owner
