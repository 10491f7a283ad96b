"""Answering the one-click questions (`viz_app.ui.questions`) through a Backend: QueryLineage
the way the SageMaker SDK helpers ask it, ListTags, ListArtifacts, Describe, impact lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from viz_app.ui.backends import Backend, QueryResult
from viz_app.ui.elements import merge_pages
from viz_app.ui.impact import DIRECTION_OF, DOWNSTREAM, UPSTREAM, Reached, reached
from viz_app.ui.labels import distinct_labels
from viz_app.ui.names import NameBook
from viz_app.ui.questions import (
    PIPELINE_TAG,
    SAME_IMAGE,
    TRAINING_UP,
    Question,
    find_question,
    matches,
)
from viz_app.ui.resolve import list_items
from viz_app.ui.view_cache import View


@dataclass
class Answer:
    """Answer vertices (highlighted), extra lines of text, and query pages to merge in."""

    vertices: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    results: list[QueryResult] = field(default_factory=list)
    # An impact list: one Reached per vertex, in order (hops, path; see viz_app.ui.impact),
    # and the vertices its paths go through (named in the answer, not answers themselves).
    reached: list[Reached] = field(default_factory=list)
    on_paths: list[dict[str, Any]] = field(default_factory=list)


def _query(backend: Backend, start: str, q: Question) -> Answer:
    result = backend.query_all_pages(start, q.direction, 10, q.filters())
    seen: dict[str, dict[str, Any]] = {}
    for v in result.vertices:
        if v["Arn"] != start and matches(q, v):
            seen.setdefault(v["Arn"], v)
    return Answer([seen[a] for a in sorted(seen)], results=[result])


def _pipeline(backend: Backend, start: str, lineage_type: str) -> Answer:
    if lineage_type == "TrialComponent":
        jobs = Answer([{"Arn": start, "LineageType": "TrialComponent"}])
    else:
        jobs = _query(backend, start, TRAINING_UP)
    executions: list[str] = []
    for tc in jobs.vertices:
        job_arn = (backend.describe(tc["Arn"]).get("Source") or {}).get("SourceArn")
        if not job_arn:
            continue
        for tag in backend.tags(job_arn):
            if tag["Key"] == PIPELINE_TAG and tag.get("Value") not in executions:
                executions.append(tag["Value"])
    if executions:
        notes = [f"Pipeline execution: {arn}" for arn in executions]
    elif jobs.vertices:
        notes = [f"The training job has no {PIPELINE_TAG} tag: it did not run in a pipeline."]
    else:
        notes = ["No training job was found upstream, so there is no pipeline execution."]
    return Answer(jobs.vertices, notes, jobs.results)


def _by_source(backend: Backend, uri: str, note: str) -> Answer:
    found = [
        {"Arn": s["ArtifactArn"], "Type": s.get("ArtifactType"), "LineageType": "Artifact"}
        for s in list_items(backend.client.list_artifacts, "ArtifactSummaries", 100, SourceUri=uri)
    ]
    return Answer(found, [f"{note}: {uri}"])


def _property(backend: Backend, start: str, name: str) -> Answer:
    value = (backend.describe(start).get("Properties") or {}).get(name)
    if not value:
        return Answer(notes=[f"It has no {name} property: it was not made by a pipeline."])
    return Answer(notes=[f"Pipeline execution: {value}"])


def impact_answer(backend: Backend, start: str, side: str) -> Answer:
    """The impact list of `start` on `side` (viz_app.ui.impact), its vertices in list order."""
    result = backend.query_all_pages(start, DIRECTION_OF[side], 10)
    vertices, edges = merge_pages(result.pages)
    artifacts = [v["Arn"] for v in vertices if v.get("LineageType") == "Artifact"]
    uris = {a: n.uri for a, n in backend.names.fill(artifacts).items()}
    found = reached(start, vertices, edges, side, uris)
    by_arn = {v["Arn"]: v for v in vertices}
    on_paths = {a for r in found for a in r.path} - {r.arn for r in found}
    return Answer(
        [by_arn[r.arn] for r in found],
        results=[result],
        reached=found,
        on_paths=[by_arn[a] for a in sorted(on_paths) if a in by_arn],
    )


def _via(backend: Backend, start: str, vertex: dict[str, Any], q: Question) -> Answer:
    first = answer(backend, start, vertex, q.extra["via"])
    then: Question = q.extra["then"]
    seen: dict[str, dict[str, Any]] = {}
    results: list[QueryResult] = []
    for step in first.vertices:
        found = _query(backend, step["Arn"], then)
        results += found.results
        for v in found.vertices:
            seen.setdefault(v["Arn"], v)
    return Answer([seen[a] for a in sorted(seen)], results=results)


def answer(backend: Backend, start: str, vertex: dict[str, Any], q: Question) -> Answer:
    """Run question `q` from `start` the way the SageMaker SDK helper does."""
    if q.kind == "query":
        return _query(backend, start, q)
    if q.kind == "pipeline":
        return _pipeline(backend, start, vertex.get("LineageType", ""))
    if q.kind == "property":
        return _property(backend, start, str(q.extra["property"]))
    if q.kind in ("impact", "upstream"):
        return impact_answer(backend, start, DOWNSTREAM if q.kind == "impact" else UPSTREAM)
    if q.kind == "via":
        return _via(backend, start, vertex, q)
    source = backend.describe(start).get("Source") or {}
    uri = source.get("SourceUri")
    if not uri:
        return Answer(notes=["This entity has no source URI."])
    if q.kind == "package":
        return _by_source(backend, uri, "Model package")
    return _by_source(backend, uri, "Image" if q is SAME_IMAGE else "Source URI")


def answer_for(backend: Backend, view: View, focus: str, key: str) -> Answer | None:
    """Question `key` asked of `focus` in `view` again (None when it does not fit the vertex)."""
    vertex = view.vertex(focus)
    q = find_question(vertex.get("LineageType"), vertex.get("Type"), key)
    return None if q is None else answer(backend, focus, vertex, q)


def described_source(
    described: dict[str, Any] | None, arn: str | None, names: NameBook | None = None
) -> str | None:
    """The source URI of `arn`: from its Describe, else from the names the graph knows (None
    when neither has it)."""
    source = ((described or {}).get(arn or "") or {}).get("source")
    if isinstance(source, str):
        return source
    known = names.known([arn]).get(arn) if names is not None and arn else None
    return known.uri if known is not None and known.uri else None


def named_entities(names: NameBook, vertices: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """{arn: {label, uri, created}} of `vertices` for an answer (fetched where missing, every
    kind), same-named ones told apart as the graph tells them (`churn-prod deployment`)."""
    named = names.described(vertices, fetch=True, every_kind=True)
    told = distinct_labels(vertices, {arn: d["label"] for arn, d in named.items()})
    return {arn: {**d, "label": told.get(arn, d["label"])} for arn, d in named.items()}
