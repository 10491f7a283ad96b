"""Callbacks that run QueryLineage for the URL's view and draw the graph with its highlights."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict, deque
from typing import Any, Final

from dash import Dash, Input, Output, State, html, no_update

from viz_app.ui import ids
from viz_app.ui.backends import Backend, QueryResult
from viz_app.ui.callbacks_navigation import extend_trail
from viz_app.ui.elements import GROUP_PREFIX, merge_pages, to_elements
from viz_app.ui.highlight import decorate
from viz_app.ui.messages import empty_result, explain, region_unavailable
from viz_app.ui.page_layout import LABEL_RULES
from viz_app.ui.page_parts import legend_rows
from viz_app.ui.query_state import QueryState, from_search
from viz_app.ui.stylesheet import stylesheet

PROGRESS_TEXT: Final = (
    "Querying lineage… following every page of QueryLineage; this can take a while at depth 10."
)
RUNNING: Final = [(Output(ids.PROGRESS, "children"), PROGRESS_TEXT, "")]


def graph_data(state: QueryState, result: QueryResult) -> dict[str, Any]:
    """What the graph store keeps for one view."""
    vertices, edges = merge_pages(result.pages)
    return {
        "start": state.arn,
        "direction": state.direction,
        "depth": state.depth,
        "vertices": vertices,
        "edges": edges,
        "pages": len(result.pages),
        "calls": result.calls,
        "repeated_token": result.repeated_token,
        "truncated": result.truncated,
        "added": [],
    }


def merge_into(data: dict[str, Any], result: QueryResult) -> dict[str, Any]:
    """Add another query's vertices and edges to the current graph; new ones are `added`."""
    before = {v["Arn"] for v in data["vertices"]}
    vertices, edges = merge_pages(
        [{"Vertices": data["vertices"], "Edges": data["edges"]}, *result.pages]
    )
    added = sorted({v["Arn"] for v in vertices} - before)
    return {
        **data,
        "vertices": vertices,
        "edges": edges,
        "added": sorted(set(data.get("added", [])) | set(added)),
        "truncated": bool(data.get("truncated")) or result.truncated,
    }


def jsonable(record: dict[str, Any]) -> dict[str, Any]:
    """A request/response record with datetimes as ISO text, safe for a dcc.Store."""
    out: dict[str, Any] = json.loads(json.dumps(record, default=_iso))
    return out


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.datetime) else str(value)


def max_distance(start: str, edges: list[dict[str, Any]], direction: str) -> int:
    """Largest hop count from `start` along the direction's edges (what depth cut off)."""
    adj: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if direction in ("Descendants", "Both"):
            adj[e["SourceArn"]].add(e["DestinationArn"])
        if direction in ("Ascendants", "Both"):
            adj[e["DestinationArn"]].add(e["SourceArn"])
    dist = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in adj[node]:
            if nxt not in dist:
                dist[nxt] = dist[node] + 1
                queue.append(nxt)
    return max(dist.values())


def status_line(data: dict[str, Any]) -> list[Any]:
    """ "N vertices, M edges, P pages" plus a warning when the depth limit may have cut it."""
    n, m, p = len(data["vertices"]), len(data["edges"]), data["pages"]
    text = f"{n} vertices, {m} edges, {p} {'page' if p == 1 else 'pages'}"
    out: list[Any] = [html.Span(text, className="counts")]
    if (
        data["start"]
        and n
        and max_distance(data["start"], data["edges"], data["direction"]) >= data["depth"]
    ):
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


def register(app: Dash, backend: Backend) -> None:
    """Wire the query and drawing callbacks for `backend`."""

    @app.callback(
        Output(ids.GRAPH_STORE, "data"),
        Output(ids.QUERY_ERROR, "children"),
        Output(ids.SELECTED_STORE, "data"),
        Output(ids.ANSWER_STORE, "data"),
        Output(ids.GROUPS_STORE, "data"),
        Output(ids.TRAIL_STORE, "data"),
        Output(ids.PAGES_STORE, "data"),
        Input(ids.URL, "search"),
        State(ids.TRAIL_STORE, "data"),
        running=RUNNING,
    )
    def run_query(search: str | None, trail: list[dict[str, str]] | None) -> tuple[Any, ...]:
        state = from_search(search)
        # A failed or refused query clears the graph: no earlier or partial view stays shown.
        if state.errors:
            return None, " ".join(state.errors), None, None, [], no_update, []
        if state.arn is None:
            return None, "", None, None, [], no_update, []
        unavailable = region_unavailable(backend.region)
        if unavailable:
            return None, unavailable, None, None, [], no_update, []
        try:
            result = backend.query_all_pages(
                state.arn, state.direction, state.depth, state.filters()
            )
        except Exception as exc:
            return None, explain(exc), None, None, [], no_update, []
        data = graph_data(state, result)
        start: dict[str, Any] = next((v for v in data["vertices"] if v["Arn"] == state.arn), {})
        error = "" if len(data["vertices"]) > 1 else empty_result(state.direction, state.depth)
        if not data["vertices"]:
            start = {"Arn": state.arn, "LineageType": "", "Type": None}
            data["vertices"] = [start]
        trail = extend_trail(trail, state, start.get("Type"), start.get("LineageType", ""))
        return data, error, state.arn, None, [], trail, [jsonable(result.record())]

    @app.callback(
        Output(ids.GRAPH, "elements"),
        Output(ids.STATUS, "children"),
        Output(ids.SEARCH_STATUS, "children"),
        Input(ids.GRAPH_STORE, "data"),
        Input(ids.SELECTED_STORE, "data"),
        Input(ids.ANSWER_STORE, "data"),
        Input(ids.GROUPS_STORE, "data"),
        Input(ids.GRAPH_SEARCH, "value"),
        State(ids.DESCRIBE_STORE, "data"),
    )
    def draw(
        data: dict[str, Any] | None,
        selected: str | None,
        answer: dict[str, Any] | None,
        groups: list[str] | None,
        search: str | None,
        described: dict[str, Any] | None,
    ) -> tuple[Any, ...]:
        if not data:
            return [], "", ""
        labels = {arn: d["label"] for arn, d in (described or {}).items() if d.get("label")}
        elements = to_elements(
            data["vertices"],
            data["edges"],
            start_arn=data["start"],
            labels=labels,
            expanded_groups=frozenset(groups or []),
        )
        elements, hits = decorate(
            elements,
            selected=selected,
            answer=set((answer or {}).get("arns", [])),
            added=set(data.get("added", [])),
            search=search or "",
        )
        found = f"{hits} match{'es' if hits != 1 else ''}" if (search or "").strip() else ""
        return elements, status_line(data), found

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
        Output(ids.PAGES_STORE, "data", allow_duplicate=True),
        Input(ids.EXPAND, "n_clicks"),
        State(ids.SELECTED_STORE, "data"),
        State(ids.GRAPH_STORE, "data"),
        State(ids.PAGES_STORE, "data"),
        prevent_initial_call=True,
        running=RUNNING,
    )
    def expand(
        clicks: int,
        selected: str | None,
        data: dict[str, Any] | None,
        queries: list[dict[str, Any]] | None,
    ) -> tuple[Any, Any, Any]:
        if not clicks or not selected or not data:
            return no_update, no_update, no_update
        try:
            result = backend.query_all_pages(selected, "Both", 1)
        except Exception as exc:  # the graph stays as it was: complete for its own query
            return no_update, explain(exc), no_update
        return merge_into(data, result), "", [*(queries or []), jsonable(result.record())]

    @app.callback(
        Output(ids.GRAPH, "stylesheet"),
        Output(ids.LEGEND_GRID, "children"),
        Input(ids.DARK, "value"),
    )
    def theme(dark: list[str] | None) -> tuple[list[dict[str, Any]], list[Any]]:
        return stylesheet(bool(dark)) + LABEL_RULES, legend_rows(bool(dark))

    app.clientside_callback(  # type: ignore[no-untyped-call]
        "function(v){document.body.classList.toggle('dark', (v||[]).length>0);return null;}",
        Output(ids.NOOP_STORE, "data"),
        Input(ids.DARK, "value"),
    )
