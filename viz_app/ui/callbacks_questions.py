"""Callbacks for one-click questions: list those that fit the selection, answer and highlight."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update

from viz_app.ui import ids
from viz_app.ui.answer_panel import answer_rows, answer_view
from viz_app.ui.answers import answer, described_source, named_entities
from viz_app.ui.backends import Backend
from viz_app.ui.callbacks_query import view_of
from viz_app.ui.export import text_download
from viz_app.ui.messages import explain
from viz_app.ui.questions import answer_title, find_question, why_empty
from viz_app.ui.questions import questions_for as _questions_for
from viz_app.ui.safe_csv import to_csv
from viz_app.ui.view_build import ASK
from viz_app.ui.view_cache import ViewCache, with_op


def csv_name(title: str) -> str:
    """A file name from an answer's title: `impact-of-image-sagemaker-xgboost-1-7-1.csv`."""
    stem = re.sub(r"[^a-z0-9]+", "-", title.lower().split(":")[0]).strip("-")[:80]
    return f"{stem or 'answer'}.csv"


def _question_buttons(qs: tuple[Any, ...]) -> list[Any]:
    return [
        html.Button(
            q.label,
            id={"type": ids.QUESTION, "key": q.key},
            n_clicks=0,
            className="btn question",
        )
        for q in qs
    ]


def register(app: Dash, backend: Backend, views: ViewCache) -> None:
    """Wire the question callbacks for `backend` (the view comes from `views`)."""

    @app.callback(
        Output(ids.QUESTIONS, "children"),
        Output(ids.ANSWER, "children"),
        Input(ids.SELECTED_STORE, "data"),
        Input(ids.GRAPH_STORE, "data"),
        Input(ids.DESCRIBE_STORE, "data"),
        State(ids.ANSWER_STORE, "data"),
    )
    def list_questions(
        selected: str | None,
        summary: dict[str, Any] | None,
        described: dict[str, Any] | None,
        shown: dict[str, Any] | None,
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
        # An answer stays up while its merge redraws the view, and while one of its own rows
        # is selected; any other selection clears it.
        picked = f"{ids.SELECTED_STORE}.data" in ctx.triggered_prop_ids
        cleared: Any = [] if picked and selected not in (shown or {}).get("arns", []) else no_update
        if not qs:
            return html.P("Select a node to see questions about it.", className="muted"), cleared
        return _question_buttons(qs), cleared

    @app.callback(
        Output(ids.ANSWER, "children", allow_duplicate=True),
        Output(ids.ANSWER_STORE, "data", allow_duplicate=True),
        Output(ids.GRAPH_STORE, "data", allow_duplicate=True),
        Input({"type": ids.QUESTION, "key": ALL}, "n_clicks"),
        Input({"type": ids.QUESTION_HINT, "key": ALL}, "n_clicks"),
        State(ids.SELECTED_STORE, "data"),
        State(ids.GRAPH_STORE, "data"),
        State(ids.DESCRIBE_STORE, "data"),
        State(ids.ANSWER_STORE, "data"),
        prevent_initial_call=True,
    )
    def ask(
        clicks: list[int | None],
        hints: list[int | None],
        selected: str | None,
        summary: dict[str, Any] | None,
        described: dict[str, Any] | None,
        shown: dict[str, Any] | None,
    ) -> tuple[Any, Any, Any]:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict):
            return no_update, no_update, no_update
        # The question an empty answer offers is about the entity that answer was about.
        offered_from = (shown or {}).get("focus") if trigger["type"] == ids.QUESTION_HINT else None
        focus = offered_from or selected or (summary or {}).get("start")
        if not focus or not summary:
            return no_update, no_update, no_update
        if not (any(clicks) or any(hints)) or not (ctx.triggered and ctx.triggered[0].get("value")):
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
            # An answer lists names and creation times, never hashes.
            named = named_entities(
                backend.names,
                [*ans.vertices, *ans.on_paths, {"Arn": focus, "LineageType": ltype, "Type": vtype}],
            )
        except Exception as exc:
            return html.P(explain(exc), className="error-text"), None, no_update
        arns = [v["Arn"] for v in ans.vertices]
        own = backend.names.labels([{"Arn": focus, "LineageType": ltype, "Type": vtype}])
        title = answer_title(q, vtype, ltype, own[focus])
        why = why_empty(vtype, q.key)
        offered = find_question(ltype, vtype, why[1], source) if why else None
        rows = answer_rows(ans, named)
        panel = answer_view(ans, title, rows, (why[0], offered) if why and offered else None)
        store = {"key": q.key, "arns": arns, "focus": focus, "title": title, "rows": rows}
        if not ans.results:
            return panel, store, no_update
        key = with_op(view.key, ASK, focus, q.key)
        records = [r.record() for r in ans.results]
        merged = views.put(view.merged(key, ans.results, records))
        return panel, store, merged.summary()

    @app.callback(
        Output(ids.DOWNLOAD, "data", allow_duplicate=True),
        Input({"type": ids.ANSWER_CSV, "key": ALL}, "n_clicks"),
        State(ids.ANSWER_STORE, "data"),
        prevent_initial_call=True,
    )
    def answer_csv(clicks: list[int | None], shown: dict[str, Any] | None) -> Any:
        if not any(clicks) or not shown or not shown.get("rows"):
            return no_update
        table = pd.DataFrame(shown["rows"])
        return text_download(
            to_csv(table), csv_name(str(shown.get("title") or "answer")), "text/csv"
        )

    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(namespace="lineageAnswers", function_name="reveal"),
        Output(ids.NOOP_STORE, "data", allow_duplicate=True),
        Input(ids.ANSWER_STORE, "data"),
        prevent_initial_call=True,
    )
