"""Callbacks that run QueryLineage for the URL's view and draw the graph with its highlights."""

from __future__ import annotations

from typing import Any, Final

from dash import ClientsideFunction, Dash, Input, Output, State, html, no_update

from viz_app.render.stylesheet import DETAIL_CLASS, stylesheet
from viz_app.ui import ids
from viz_app.ui.backends import Backend
from viz_app.ui.elements import GROUP_PREFIX
from viz_app.ui.messages import explain
from viz_app.ui.page_parts import legend_rows
from viz_app.ui.query_outcome import outcome_of
from viz_app.ui.view_build import EXPAND, max_distance
from viz_app.ui.view_cache import View, ViewCache, with_op

PROGRESS_TEXT: Final = (
    "Querying lineage… following every page of QueryLineage; this can take a while at depth 10."
)
RUNNING: Final = [(Output(ids.PROGRESS, "children"), PROGRESS_TEXT, "")]


def status_line(data: dict[str, Any]) -> list[Any]:
    """ "N vertices, M edges, P pages" plus a warning when the depth limit may have cut it.

    The warning looks at the walk, not only at what came back: a filtered QueryLineage leaves
    out unmatched entities at the depth limit, so a filtered view also counts the reach of
    its unfiltered walk (`walk_reach`, see `view_build.with_walk`).
    """
    n, m, p = len(data["vertices"]), len(data["edges"]), data["pages"]
    text = f"{n} vertices, {m} edges, {p} {'page' if p == 1 else 'pages'}"
    out: list[Any] = [html.Span(text, className="counts")]
    reach = 0
    if data["start"] and n:
        reach = max_distance(data["start"], data["edges"], data["direction"])
        reach = max(reach, data.get("walk_reach") or 0)
    if reach >= data["depth"]:
        if data["depth"] >= 10:
            warn = "Depth 10 is the most QueryLineage allows: some lineage may lie beyond it."
        else:
            warn = f"Some entities sit at depth {data['depth']}: a larger depth may show more."
        out.append(html.Span(warn, className="warning"))
    if data.get("truncated"):
        out.append(
            html.Span(
                "Incomplete: paging stopped after the page limit; more lineage exists.",
                className="warning",
            )
        )
    if data.get("repeated_token"):
        out.append(
            html.Span(
                "The service repeated a page token; paging stopped there.", className="warning"
            )
        )
    return out


def view_of(views: ViewCache, summary: dict[str, Any] | None) -> View | None:
    """The cached (or rebuilt) view a store summary names; None without one."""
    key = (summary or {}).get("key")
    return views.get(key) if isinstance(key, str) else None


def register(app: Dash, backend: Backend, views: ViewCache) -> None:
    """Wire the query and drawing callbacks for `backend`; results stay in `views`."""

    @app.callback(
        Output(ids.GRAPH_STORE, "data"),
        Output(ids.QUERY_ERROR, "children"),
        Output(ids.SELECTED_STORE, "data"),
        Output(ids.ANSWER_STORE, "data"),
        Output(ids.GROUPS_STORE, "data"),
        Output(ids.TRAIL_STORE, "data"),
        Input(ids.URL, "search"),
        State(ids.TRAIL_STORE, "data"),
        running=RUNNING,
    )
    def run_query(search: str | None, trail: list[dict[str, str]] | None) -> tuple[Any, ...]:
        # Nothing is selected, no answer shown, no group open: the details panel shows the
        # start from the result, and the one Describe a view costs waits for a click.
        found = outcome_of(backend, views, search, trail)
        steps = no_update if found.trail is None else found.trail
        return found.summary, found.error, None, None, [], steps

    # assets/graph.js fetches the elements of the URL's view (`elements_route`) as soon as
    # the URL changes, beside the query callback, and draws them at once.
    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(namespace="lineageViz", function_name="load"),
        Output(ids.NOOP_STORE, "data", allow_duplicate=True),
        Input(ids.URL, "search"),
        prevent_initial_call="initial_duplicate",
    )

    @app.callback(
        Output(ids.ELEMENTS_STORE, "data"),
        Output(ids.STATUS, "children"),
        Input(ids.GRAPH_STORE, "data"),
        Input(ids.GROUPS_STORE, "data"),
    )
    def draw(summary: dict[str, Any] | None, groups: list[str] | None) -> tuple[Any, ...]:
        """Which elements the graph must show (graph.js fetches them unless already drawn)."""
        try:
            view = view_of(views, summary)
        except Exception as exc:
            return None, html.Span(explain(exc), className="warning")
        if view is None:
            return None, ""
        return {"key": view.key, "groups": sorted(set(groups or []))}, status_line(view.as_data())

    # assets/graph.js replaces the graph's elements at once and re-applies the highlights.
    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(namespace="lineageViz", function_name="show"),
        Output(ids.DRAWN_STORE, "data"),
        Input(ids.ELEMENTS_STORE, "data"),
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(namespace="lineageViz", function_name="highlight"),
        Output(ids.SEARCH_STATUS, "children"),
        Input(ids.SELECTED_STORE, "data"),
        Input(ids.ANSWER_STORE, "data"),
        Input(ids.GRAPH_SEARCH, "value"),
        Input(ids.GRAPH_STORE, "data"),
    )
    # Names from Describe replace the ARN-derived labels of the nodes they belong to.
    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(namespace="lineageViz", function_name="labels"),
        Output(ids.NOOP_STORE, "data", allow_duplicate=True),
        Input(ids.DESCRIBE_STORE, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.SELECTED_STORE, "data", allow_duplicate=True),
        Output(ids.GROUPS_STORE, "data", allow_duplicate=True),
        Input(ids.GRAPH, "tapNodeData"),
        State(ids.GROUPS_STORE, "data"),
        prevent_initial_call=True,
    )
    def tap(node: dict[str, Any] | None, groups: list[str] | None) -> tuple[Any, Any]:
        if not node:
            return no_update, no_update
        node_id = str(node.get("id", ""))
        if node_id.startswith(GROUP_PREFIX):
            return no_update, sorted(set(groups or []) | {node_id})
        return node_id, no_update

    @app.callback(
        Output(ids.GRAPH_STORE, "data", allow_duplicate=True),
        Output(ids.QUERY_ERROR, "children", allow_duplicate=True),
        Input(ids.EXPAND, "n_clicks"),
        State(ids.SELECTED_STORE, "data"),
        State(ids.GRAPH_STORE, "data"),
        prevent_initial_call=True,
        running=RUNNING,
    )
    def expand(
        clicks: int, selected: str | None, summary: dict[str, Any] | None
    ) -> tuple[Any, Any]:
        focus = selected or (summary or {}).get("start")
        if not clicks or not focus or not summary:
            return no_update, no_update
        try:  # on failure the graph stays as it was: complete for its own query
            view = views.get(with_op(str(summary["key"]), EXPAND, str(focus)))
        except Exception as exc:
            return no_update, explain(exc)
        return view.summary(), ""

    @app.callback(
        Output(ids.GRAPH, "stylesheet"),
        Output(ids.LEGEND_GRID, "children"),
        Input(ids.DARK, "value"),
    )
    def theme(dark: list[str] | None) -> tuple[list[dict[str, Any]], list[Any]]:
        return stylesheet(bool(dark), DETAIL_CLASS), legend_rows(bool(dark))

    app.clientside_callback(  # type: ignore[no-untyped-call]
        "function(v){document.body.classList.toggle('dark', (v||[]).length>0);return null;}",
        Output(ids.NOOP_STORE, "data"),
        Input(ids.DARK, "value"),
    )
