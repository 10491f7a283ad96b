"""Record builder for the demo graph: SageMaker's auto-created lineage shapes, one call each."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Any, Final

from viz_app.core.experiments import EXPERIMENT, TRIAL, Experiments, Tracked
from viz_app.core.model import (
    ACTION,
    ARTIFACT,
    CONTEXT,
    TRIAL_COMPONENT,
    AssociationRecord,
    EntityRecord,
    artifact_id,
    build_arn,
)
from viz_app.core.store import Store

CONTRIBUTED_TO: Final = "ContributedTo"
ASSOCIATED_WITH: Final = "AssociatedWith"
PRODUCED: Final = "Produced"
PIPELINE_TAG: Final = "sagemaker:pipeline-execution-arn"

# Job kind -> (ARN resource, TC name suffix, Source.SourceType).
JOB_KINDS: Final = {
    "training": ("training-job", "-aws-training-job", "SageMakerTrainingJob"),
    "processing": ("processing-job", "-aws-processing-job", "SageMakerProcessingJob"),
    "transform": ("transform-job", "-aws-transform-job", "SageMakerTransformJob"),
}

_ALNUM: Final = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class Job:
    """What a job step produced: its job ARN and its trial component ARN."""

    job_arn: str
    tc_arn: str


class LineageBuilder:
    """Accumulates entities, associations and tags, deduplicating artifacts by SourceUri.

    Every record gets a creation time from a deterministic clock that only moves forward.
    Pending records are written to the store in batches by `flush`.
    """

    def __init__(self, rng: random.Random, region: str, account: str, start: float) -> None:
        self.rng = rng
        self.region = region
        self.account = account
        self.now = start
        self.entities: list[EntityRecord] = []
        self.associations: list[AssociationRecord] = []
        self.tags: list[tuple[str, str, str]] = []
        self.counts = {"entities": 0, "associations": 0, "tags": 0}
        self._artifacts: dict[str, str] = {}
        self._edges: set[tuple[str, str]] = set()
        # Experiments: what Pipelines make, one trial per execution holding its jobs.
        self.tracked: list[Tracked] = []
        self.members: list[tuple[str, str, float]] = []
        self._experiments: set[str] = set()
        self._trial_of_execution: dict[str, str] = {}

    # -- helpers -----------------------------------------------------------------------------

    def tick(self, low: float = 1.0, high: float = 30.0) -> float:
        """Advance the clock by a random whole-millisecond step and return the new time."""
        self.now = round(self.now + self.rng.uniform(low, high), 3)
        return self.now

    def token(self, length: int) -> str:
        return "".join(self.rng.choice(_ALNUM) for _ in range(length))

    def hexdigits(self, length: int) -> str:
        return f"{self.rng.getrandbits(4 * length):0{length}x}"

    def arn(self, resource: str, name: str) -> str:
        return build_arn(self.region, self.account, resource, name)

    def forget(self) -> None:
        """Drop the dedup indexes (safe when later records never reuse earlier URIs)."""
        self._artifacts.clear()
        self._edges.clear()

    def _add(self, rec: EntityRecord) -> str:
        self.entities.append(rec)
        self.counts["entities"] += 1
        return rec.arn

    def tag(self, arn: str, key: str, value: str) -> None:
        self.tags.append((arn, key, value))
        self.counts["tags"] += 1

    def associate(self, source: str, destination: str, kind: str = CONTRIBUTED_TO) -> None:
        """Add an edge once; a repeated pair is ignored, as AddAssociation would refuse it."""
        if (source, destination) in self._edges:
            return
        self._edges.add((source, destination))
        self.associations.append(AssociationRecord(source, destination, kind, self.tick(0.1, 2)))
        self.counts["associations"] += 1

    # -- entities ----------------------------------------------------------------------------

    def artifact(
        self,
        uri: str,
        artifact_type: str,
        *,
        id_type: str = "S3ETag",
        id_value: str | None = None,
        properties: dict[str, str] | None = None,
    ) -> str:
        """The artifact for `uri`, created on first use (one artifact per SourceUri)."""
        known = self._artifacts.get(uri)
        if known is not None:
            return known
        source_types = [{"SourceIdType": id_type, "Value": id_value or self.hexdigits(32)}]
        arn = self.arn("artifact", artifact_id(uri, source_types))
        created = self.tick()
        doc: dict[str, Any] = {
            "Source": {"SourceUri": uri, "SourceTypes": source_types},
            "Properties": dict(properties or {}),
            "CreatedBy": {},
            "LastModifiedBy": {},
        }
        self._artifacts[uri] = arn
        return self._add(
            EntityRecord(arn, ARTIFACT, None, artifact_type, uri, created, created, doc)
        )

    def dataset(self, uri: str) -> str:
        return self.artifact(uri, "DataSet")

    def image(self, uri: str) -> str:
        """An ECR image artifact, identified by a content digest (SourceIdType Custom)."""
        known = self._artifacts.get(uri)
        if known is not None:
            return known
        digest = f"sha256:{self.hexdigits(64)}"
        return self.artifact(uri, "Image", id_type="Custom", id_value=digest)

    def context(
        self,
        name: str,
        context_type: str,
        source_uri: str,
        source_type: str,
        description: str,
        properties: dict[str, str] | None = None,
    ) -> str:
        created = self.tick()
        doc = {
            "Source": {"SourceUri": source_uri, "SourceType": source_type},
            "Description": description,
            "Properties": dict(properties or {}),
        }
        rec = EntityRecord(
            self.arn("context", name),
            CONTEXT,
            name,
            context_type,
            source_uri,
            created,
            created,
            doc,
        )
        return self._add(rec)

    def action(
        self,
        name: str,
        action_type: str,
        source_uri: str,
        source_type: str,
        properties: dict[str, str] | None = None,
    ) -> str:
        created = self.tick()
        doc = {
            "Source": {"SourceUri": source_uri, "SourceType": source_type},
            "Status": "Completed",
            "Properties": dict(properties or {}),
        }
        rec = EntityRecord(
            self.arn("action", name), ACTION, name, action_type, source_uri, created, created, doc
        )
        return self._add(rec)

    def job(
        self,
        kind: str,
        job_name: str,
        inputs: dict[str, str],
        outputs: dict[str, str],
        *,
        parameters: dict[str, float | str] | None = None,
        pipeline_execution: str | None = None,
    ) -> Job:
        """A job's trial component: each input ContributedTo it, it Produced each output.

        `inputs` and `outputs` map channel names to SourceUris of artifacts already created.
        """
        resource, suffix, source_type = JOB_KINDS[kind]
        job_arn = self.arn(resource, job_name)
        name = job_name + suffix
        start = self.tick(30, 300)
        end = round(start + self.rng.uniform(180, 3600), 3)
        params: dict[str, Any] = {
            k: {"NumberValue": v} if isinstance(v, float | int) else {"StringValue": v}
            for k, v in (parameters or {}).items()
        }
        doc: dict[str, Any] = {
            "DisplayName": name,
            "Source": {"SourceArn": job_arn, "SourceType": source_type},
            "Status": {"PrimaryStatus": "Completed"},
            "StartTime": start,
            "EndTime": end,
            "Parameters": params,
            "InputArtifacts": {k: {"Value": uri} for k, uri in inputs.items()},
            "OutputArtifacts": {k: {"Value": uri} for k, uri in outputs.items()},
        }
        tc_arn = self.arn("experiment-trial-component", name)
        self._add(
            EntityRecord(tc_arn, TRIAL_COMPONENT, name, source_type, job_arn, start, end, doc)
        )
        for uri in inputs.values():
            self.associate(self._artifacts[uri], tc_arn, CONTRIBUTED_TO)
        self.now = max(self.now, end)
        for uri in outputs.values():
            self.associate(tc_arn, self._artifacts[uri], PRODUCED)
        if pipeline_execution is not None:
            self.tag(job_arn, PIPELINE_TAG, pipeline_execution)
            trial = self._trial_of_execution.get(pipeline_execution)
            if trial is not None:
                self.members.append((trial, tc_arn, end))
        return Job(job_arn, tc_arn)

    def pipeline_run(self, pipeline: str, execution_id: str, execution_arn: str) -> str:
        """The experiment SageMaker Pipelines make for `pipeline` (named after it, made once) and
        the trial for one execution (named after the execution id); returns the trial's ARN.

        Jobs later given `pipeline_execution=execution_arn` join that trial.
        """
        experiment_arn = self.arn("experiment", pipeline)
        if experiment_arn not in self._experiments:
            self._experiments.add(experiment_arn)
            self.tracked.append(
                Tracked(EXPERIMENT, experiment_arn, pipeline, self.now, self.now, {})
            )
        trial_arn = self.arn("experiment-trial", execution_id)
        self.tracked.append(
            Tracked(
                TRIAL,
                trial_arn,
                execution_id,
                self.now,
                self.now,
                {},
                experiment_arn=experiment_arn,
                experiment_name=pipeline,
            )
        )
        self._trial_of_execution[execution_arn] = trial_arn
        return trial_arn

    def uri_arn(self, uri: str) -> str:
        """The ARN of the artifact already created for `uri`."""
        return self._artifacts[uri]

    # -- output ------------------------------------------------------------------------------

    def pending(self) -> int:
        lineage = len(self.entities) + len(self.associations) + len(self.tags)
        return lineage + len(self.tracked) + len(self.members)

    def flush(self, store: Store) -> None:
        """Write everything pending: the lineage in one `bulk_insert` transaction, then the
        experiments, trials and memberships in one more."""
        if self.entities or self.associations or self.tags:
            store.bulk_insert(self.entities, self.associations, self.tags)
        if self.tracked or self.members:
            Experiments(store).bulk_load(self.tracked, self.members)
        self.entities, self.associations, self.tags = [], [], []
        self.tracked, self.members = [], []
