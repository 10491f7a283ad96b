"""Callbacks for one-click questions: list those that fit the selection, answer and highlight."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from viz_app.ui import ids
from viz_app.ui.backends import Backend, QueryResult
from viz_app.ui.callbacks_query import view_of
from viz_app.ui.labels import short_label
from viz_app.ui.messages import explain
from viz_app.ui.names import NameBook
from viz_app.ui.questions import (
    PIPELINE_TAG,
    SAME_IMAGE,
    TRAINING_UP,
    Question,
    answer_title,
    find_question,
    matches,
)
from viz_app.ui.questions import questions_for as _questions_for
from viz_app.ui.resolve import list_items
from viz_app.ui.view_build import ASK
from viz_app.ui.view_cache import View, ViewCache, with_op


@dataclass
class Answer:
    """Answer vertices (highlighted), extra lines of text, and query pages to merge in."""

    vertices: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    results: list[QueryResult] = field(default_factory=list)


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


def answer_view(q: Question, ans: Answer, title: str, labels: dict[str, str]) -> list[Any]:
    """The answer panel: a heading (`title`, the count), notes and a table of the entities,
    named as the graph names them (`labels`)."""
    count = len(ans.vertices)
    out: list[Any] = [html.H4(f"{title} — {count} found", className="answer-title")]
    out += [html.P(note, className="answer-note") for note in ans.notes]
    if count:
        rows = [
            html.Tr(
                [
                    html.Td(
                        labels.get(v["Arn"])
                        or short_label(v["Arn"], v.get("Type"), v.get("LineageType", ""))
                    ),
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


def register(app: Dash, backend: Backend, views: ViewCache) -> None:
    """Wire the question callbacks for `backend` (the view comes from `views`)."""

    @app.callback(
        Output(ids.QUESTIONS, "children"),
        Output(ids.ANSWER, "children"),
        Input(ids.SELECTED_STORE, "data"),
        Input(ids.VIEW_STORE, "data"),
        Input(ids.DESCRIBE_STORE, "data"),
    )
    def list_questions(
        selected: str | None, summary: dict[str, Any] | None, described: dict[str, Any] | None
    ) -> tuple[Any, Any]:
        try:
            view = view_of(views, summary)
        except Exception:  # the graph's own callback says what went wrong
            view = None
        focus = selected or (summary or {}).get("start")
        vertex = view.vertex(focus) if view else {}
        # Which questions fit can depend on the source, known once the click's Describe is in.
        source = described_source(described, focus, backend.names)
        qs = _questions_for(vertex.get("LineageType"), vertex.get("Type"), source)
        # An answer stays up while its merge redraws the view; a new selection clears it.
        cleared: Any = [] if f"{ids.SELECTED_STORE}.data" in ctx.triggered_prop_ids else no_update
        if not qs:
            return html.P("Select a node to see questions about it.", className="muted"), cleared
        return [
            html.Button(
                q.label,
                id={"type": ids.QUESTION, "key": q.key},
                n_clicks=0,
                className="btn question",
            )
            for q in qs
        ], cleared

    @app.callback(
        Output(ids.ANSWER, "children", allow_duplicate=True),
        Output(ids.ANSWER_STORE, "data", allow_duplicate=True),
        Output(ids.GRAPH_STORE, "data", allow_duplicate=True),
        Input({"type": ids.QUESTION, "key": ALL}, "n_clicks"),
        State(ids.SELECTED_STORE, "data"),
        State(ids.VIEW_STORE, "data"),
        State(ids.DESCRIBE_STORE, "data"),
        prevent_initial_call=True,
    )
    def ask(
        clicks: list[int | None],
        selected: str | None,
        summary: dict[str, Any] | None,
        described: dict[str, Any] | None,
    ) -> tuple[Any, Any, Any]:
        trigger = ctx.triggered_id
        focus = selected or (summary or {}).get("start")
        if not focus or not summary or not isinstance(trigger, dict) or not any(clicks):
            return no_update, no_update, no_update
        if not (ctx.triggered and ctx.triggered[0].get("value")):
            return no_update, no_update, no_update
        try:
            view = view_of(views, summary)
            assert view is not None
            vertex = view.vertex(focus)
            vtype, ltype = vertex.get("Type"), vertex.get("LineageType")
            source = described_source(described, focus, backend.names)
            q = find_question(ltype, vtype, str(trigger["key"]), source)
            if q is None:
                return no_update, no_update, no_update
            ans = answer(backend, focus, vertex, q)
        except Exception as exc:
            return html.P(explain(exc), className="error-text"), None, no_update
        arns = [v["Arn"] for v in ans.vertices]
        backend.names.fill([*arns, focus])  # an answer lists names, never hashes
        labels = backend.names.labels([*ans.vertices, {"LineageType": ltype, **vertex}])
        title = answer_title(q, vtype, ltype, labels.get(focus, focus))
        if not ans.results:
            return answer_view(q, ans, title, labels), {"key": q.key, "arns": arns}, no_update
        key = with_op(view.key, ASK, focus, q.key)
        records = [r.record() for r in ans.results]
        merged = views.put(view.merged(key, ans.results, records))
        return answer_view(q, ans, title, labels), {"key": q.key, "arns": arns}, merged.summary()
