"""Callbacks that move between views: URL <-> controls, start box, re-root, breadcrumbs."""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

from viz_app.ui import ids
from viz_app.ui.backends import Backend
from viz_app.ui.messages import explain
from viz_app.ui.query_state import QueryState, from_search, validate
from viz_app.ui.resolve import Candidate
from viz_app.ui.start_state import state_for


def _dates(created: tuple[Any, Any], modified: tuple[Any, Any]) -> dict[str, str | None]:
    return {
        "created_after": created[0],
        "created_before": created[1],
        "modified_after": modified[0],
        "modified_before": modified[1],
    }


def candidate_links(candidates: list[Candidate], state: QueryState) -> list[Any]:
    """Each candidate as a link that opens the current question from it, in the direction its
    type suggests (a new start is a new question: an endpoint's is "what made it?"): its readable
    name, then what it is and when it was made; the full name (or source) and ARN in the tooltip."""
    return [
        dcc.Link(
            [html.Span(c.label, className="cand-label"), html.Span(c.detail, className="muted")],
            href=state.with_start(c.arn).to_search(with_direction=False),
            className="candidate",
            title="\n".join(dict.fromkeys(p for p in (c.full, c.arn) if p)),
        )
        for c in candidates
    ]


def _controls_from(state: QueryState) -> tuple[Any, ...]:
    return (
        state.arn or no_update,
        state.direction,
        state.depth,
        list(state.lineage_types),
        list(state.types),
        state.created_after,
        state.created_before,
        state.modified_after,
        state.modified_before,
        f"{state.prop[0]}={state.prop[1]}" if state.prop else "",
    )


def register(app: Dash, backend: Backend) -> None:
    """Wire the navigation callbacks for `backend`."""

    # Re-root (button or double click) happens in the browser: the URL's question from the
    # selected node, with no server round trip before the new view is asked for.
    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(namespace="lineageViz", function_name="reroot"),
        Output(ids.URL, "search", allow_duplicate=True),
        Output(ids.START_INPUT, "value", allow_duplicate=True),
        Output(ids.CANDIDATES, "children", allow_duplicate=True),
        Output(ids.INPUT_ERROR, "children", allow_duplicate=True),
        Input(ids.REROOT, "n_clicks"),
        Input(ids.DBLTAP_STORE, "data"),
        State(ids.SELECTED_STORE, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.START_INPUT, "value"),
        Output(ids.DIRECTION, "value"),
        Output(ids.DEPTH, "value"),
        Output(ids.LINEAGE_TYPES, "value"),
        Output(ids.TYPES, "value"),
        Output(ids.CREATED_RANGE, "start_date"),
        Output(ids.CREATED_RANGE, "end_date"),
        Output(ids.MODIFIED_RANGE, "start_date"),
        Output(ids.MODIFIED_RANGE, "end_date"),
        Output(ids.PROPERTY, "value"),
        Output(ids.CANDIDATES, "children"),
        Output(ids.INPUT_ERROR, "children"),
        Output(ids.QUERY_ERROR, "children", allow_duplicate=True),
        Output(ids.EXPORT_ERROR, "children", allow_duplicate=True),
        Input(ids.URL, "search"),
        Input(ids.START_GO, "n_clicks"),
        Input(ids.START_INPUT, "n_submit"),
        Input(ids.DIRECTION, "value"),
        Input(ids.DEPTH, "value"),
        Input(ids.APPLY_FILTERS, "n_clicks"),
        State(ids.START_INPUT, "value"),
        State(ids.LINEAGE_TYPES, "value"),
        State(ids.TYPES, "value"),
        State(ids.CREATED_RANGE, "start_date"),
        State(ids.CREATED_RANGE, "end_date"),
        State(ids.MODIFIED_RANGE, "start_date"),
        State(ids.MODIFIED_RANGE, "end_date"),
        State(ids.PROPERTY, "value"),
        prevent_initial_call="initial_duplicate",
    )
    def navigate(
        search: str | None,
        _go: int,
        _submit: int,
        direction: str,
        depth: int,
        _apply: int,
        typed: str | None,
        ltypes: list[str],
        etypes: list[str],
        c_from: Any,
        c_to: Any,
        m_from: Any,
        m_to: Any,
        prop: str | None,
    ) -> tuple[Any, ...]:
        trigger = ctx.triggered_id
        current = state_for(search, backend)
        keep = (no_update,) * 10
        # Errors about an earlier start (typed text, a failed query, an export with no view)
        # go once a new start is chosen; the query callback then says what the new one found.
        fresh = ("", "")
        untouched = (no_update, no_update)
        fired = {t["prop_id"] for t in ctx.triggered if t.get("value") is not None}
        if trigger is None or len(fired) != 1 or f"{ids.URL}.search" in fired:
            # The first call lists several inputs at once: the URL wins then. A new URL is a
            # new start (a candidate, a suggestion, a breadcrumb, back or forward).
            return (no_update, *_controls_from(current), [], "", no_update, "")
        form = validate(
            current.arn,
            direction,
            depth,
            ltypes or [],
            etypes or [],
            _dates((c_from, c_to), (m_from, m_to)),
            prop,
            current.arrange,
        )
        if trigger in (ids.DIRECTION, ids.DEPTH, ids.APPLY_FILTERS):
            if form.errors:
                return (no_update, *keep, no_update, " ".join(form.errors), *untouched)
            if form.arn is None:
                return (no_update, *keep, no_update, "", *untouched)
            return (form.to_search(), *keep, no_update, "", *untouched)
        # The start box: an ARN opens directly; anything else lists candidates to pick.
        text = (typed or "").strip()
        try:
            resolution = backend.resolve(text)
        except Exception as exc:  # shown as a sentence, never a traceback
            return (no_update, *keep, [], explain(exc), *untouched)
        if resolution.error:
            return (no_update, *keep, [], resolution.error, *untouched)
        cands = resolution.candidates
        if len(cands) == 1 and cands[0].arn == text:
            new = form.with_start(text)
            return (new.to_search(with_direction=False), *keep, [], "", *fresh)
        return (no_update, *keep, candidate_links(cands, form), "", *fresh)

    @app.callback(
        Output(ids.SUGGESTIONS, "children"),
        Input(ids.URL, "pathname"),
        State(ids.URL, "search"),
    )
    def suggest(_path: str | None, search: str | None) -> Any:
        try:
            found = backend.suggestions()
        except Exception as exc:
            return html.Span(explain(exc), className="error-text")
        if not found:
            return html.Span("No endpoints or models found.", className="muted")
        return candidate_links(found, from_search(search))

    @app.callback(
        Output(ids.BREADCRUMBS, "children"),
        Input(ids.TRAIL_STORE, "data"),
        State(ids.URL, "search"),
    )
    def crumbs(trail: list[dict[str, str]] | None, search: str | None) -> Any:
        if not trail:
            return []
        here = from_search(search).arn
        out: list[Any] = [html.Span("Trail:", className="muted")]
        for step in trail:
            label = step["label"]
            if step["arn"] == here:
                out.append(html.Span(label, className="crumb current", title=step["arn"]))
            else:
                out.append(
                    dcc.Link(label, href=step["search"], className="crumb", title=step["arn"])
                )
        return out
