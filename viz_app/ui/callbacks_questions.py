"""Callbacks for one-click questions: list those that fit the selection, answer and highlight."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from viz_app.ui import ids
from viz_app.ui.backends import Backend, QueryResult
from viz_app.ui.callbacks_query import merge_into
from viz_app.ui.labels import short_label
from viz_app.ui.messages import explain
from viz_app.ui.questions import PIPELINE_TAG, TRAINING_UP, Question, find_question, matches
from viz_app.ui.questions import questions_for as _questions_for
from viz_app.ui.resolve import list_items


@dataclass
class Answer:
    """Answer vertices (highlighted), extra lines of text, and query pages to merge in."""

    vertices: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    results: list[QueryResult] = field(default_factory=list)


def _vertex(data: dict[str, Any] | None, arn: str | None) -> dict[str, Any]:
    for v in (data or {}).get("vertices", []):
        if v["Arn"] == arn:
            return dict(v)
    return {}


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


def answer(backend: Backend, start: str, vertex: dict[str, Any], q: Question) -> Answer:
    """Run question `q` from `start` the way the SageMaker SDK helper does."""
    if q.kind == "query":
        return _query(backend, start, q)
    if q.kind == "pipeline":
        return _pipeline(backend, start, vertex.get("LineageType", ""))
    source = backend.describe(start).get("Source") or {}
    uri = source.get("SourceUri")
    if not uri:
        return Answer(notes=["This entity has no source URI."])
    if q.kind == "package":
        return _by_source(backend, uri, "Model package")
    return _by_source(backend, uri, "Source URI")


def answer_view(q: Question, ans: Answer) -> list[Any]:
    """The answer panel: a heading, notes and a table of the answer entities."""
    count = len(ans.vertices)
    out: list[Any] = [html.H4(f"{q.label} — {count} found", className="answer-title")]
    out += [html.P(note, className="answer-note") for note in ans.notes]
    if count:
        rows = [
            html.Tr(
                [
                    html.Td(short_label(v["Arn"], v.get("Type"), v.get("LineageType", ""))),
                    html.Td(v.get("Type") or v.get("LineageType", "")),
                    html.Td(html.Code(v["Arn"]), className="arn-cell"),
                ]
            )
            for v in ans.vertices
        ]
        out.append(
            html.Table(
                [
                    html.Thead(html.Tr([html.Th("Name"), html.Th("Type"), html.Th("ARN")])),
                    html.Tbody(rows),
                ],
                className="answer-table",
            )
        )
    return out


def register(app: Dash, backend: Backend) -> None:
    """Wire the question callbacks for `backend`."""

    @app.callback(
        Output(ids.QUESTIONS, "children"),
        Output(ids.ANSWER, "children"),
        Input(ids.SELECTED_STORE, "data"),
        State(ids.GRAPH_STORE, "data"),
    )
    def list_questions(selected: str | None, data: dict[str, Any] | None) -> tuple[Any, Any]:
        vertex = _vertex(data, selected)
        qs = _questions_for(vertex.get("LineageType"), vertex.get("Type"))
        if not qs:
            return html.P("Select a node to see questions about it.", className="muted"), []
        return [
            html.Button(
                q.label,
                id={"type": ids.QUESTION, "key": q.key},
                n_clicks=0,
                className="btn question",
            )
            for q in qs
        ], []

    @app.callback(
        Output(ids.ANSWER, "children", allow_duplicate=True),
        Output(ids.ANSWER_STORE, "data", allow_duplicate=True),
        Output(ids.GRAPH_STORE, "data", allow_duplicate=True),
        Input({"type": ids.QUESTION, "key": ALL}, "n_clicks"),
        State(ids.SELECTED_STORE, "data"),
        State(ids.GRAPH_STORE, "data"),
        prevent_initial_call=True,
    )
    def ask(
        clicks: list[int | None], selected: str | None, data: dict[str, Any] | None
    ) -> tuple[Any, Any, Any]:
        trigger = ctx.triggered_id
        if not selected or not data or not isinstance(trigger, dict) or not any(clicks):
            return no_update, no_update, no_update
        if not (ctx.triggered and ctx.triggered[0].get("value")):
            return no_update, no_update, no_update
        vertex = _vertex(data, selected)
        q = find_question(vertex.get("LineageType"), vertex.get("Type"), str(trigger["key"]))
        if q is None:
            return no_update, no_update, no_update
        try:
            ans = answer(backend, selected, vertex, q)
        except Exception as exc:
            return html.P(explain(exc), className="error-text"), None, no_update
        merged = data
        for result in ans.results:
            merged = merge_into(merged, result)
        arns = [v["Arn"] for v in ans.vertices]
        return answer_view(q, ans), {"key": q.key, "arns": arns}, merged
