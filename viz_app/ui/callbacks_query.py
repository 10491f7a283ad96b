"""Callbacks that run QueryLineage for the URL's view and draw the graph with its highlights."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

from dash import Dash, Input, Output, State, html, no_update

from viz_app.ui import ids
from viz_app.ui.backends import Backend, QueryResult
from viz_app.ui.callbacks_navigation import extend_trail
from viz_app.ui.elements import GROUP_PREFIX, merge_pages, to_elements
from viz_app.ui.messages import empty_result, explain, region_unavailable
from viz_app.ui.page_layout import LABEL_RULES
from viz_app.ui.query_state import QueryState, from_search
from viz_app.ui.stylesheet import stylesheet


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
    }


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
    if data.get("repeated_token"):
        out.append(
            html.Span(
                "The service repeated a page token; paging stopped there.", className="warning"
            )
        )
    return out


def _paths(selected: str, edges: list[dict[str, Any]]) -> tuple[set[str], set[str]]:
    """Nodes and edge ids on the selected node's upstream and downstream paths."""
    fwd: dict[str, list[dict[str, Any]]] = defaultdict(list)
    back: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in edges:
        fwd[e["data"]["source"]].append(e)
        back[e["data"]["target"]].append(e)
    nodes, edge_ids = {selected}, set()
    for adj, key in ((fwd, "target"), (back, "source")):
        seen, queue = {selected}, deque([selected])
        while queue:
            for e in adj[queue.popleft()]:
                edge_ids.add(e["data"]["id"])
                nxt = e["data"][key]
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        nodes |= seen
    return nodes, edge_ids


def decorate(
    elements: list[dict[str, Any]],
    *,
    selected: str | None,
    answer: set[str],
    added: set[str],
    search: str,
) -> tuple[list[dict[str, Any]], int]:
    """Add highlight classes; returns the elements and the number of search hits.

    Paths are only traced from a node other than the start: from the start they would cover
    the whole graph and hide the colours.
    """
    nodes = [e for e in elements if "source" not in e["data"]]
    edges = [e for e in elements if "source" in e["data"]]
    node_ids = {n["data"]["id"] for n in nodes}
    start_selected = any(n["data"].get("is_start") and n["data"]["id"] == selected for n in nodes)
    on_path: set[str] = set()
    path_edges: set[str] = set()
    if selected in node_ids and not start_selected:
        assert selected is not None
        on_path, path_edges = _paths(selected, edges)
    needle = search.strip().lower()
    hits = 0
    for n in nodes:
        nid = n["data"]["id"]
        extra = []
        if nid == selected and start_selected:
            extra.append("highlighted")
        elif on_path:
            extra.append(
                "highlighted" if nid == selected else "selected-path" if nid in on_path else "faded"
            )
        members = set(n["data"].get("members") or [nid])
        if members & answer:
            extra.append("answer")
        if members & added:
            extra.append("added")
        if needle and (needle in nid.lower() or needle in str(n["data"].get("label", "")).lower()):
            extra.append("search-hit")
            hits += 1
        if extra:
            n["classes"] = f"{n.get('classes', '')} {' '.join(extra)}".strip()
    for e in edges:
        if on_path:
            extra_cls = "selected-path" if e["data"]["id"] in path_edges else "faded"
            e["classes"] = f"{e.get('classes', '')} {extra_cls}".strip()
    return nodes + edges, hits


def register(app: Dash, backend: Backend) -> None:
    """Wire the query and drawing callbacks for `backend`."""

    @app.callback(
        Output(ids.GRAPH_STORE, "data"),
        Output(ids.QUERY_ERROR, "children"),
        Output(ids.SELECTED_STORE, "data"),
        Output(ids.ANSWER_STORE, "data"),
        Output(ids.GROUPS_STORE, "data"),
        Output(ids.TRAIL_STORE, "data"),
        Input(ids.URL, "search"),
        State(ids.TRAIL_STORE, "data"),
    )
    def run_query(search: str | None, trail: list[dict[str, str]] | None) -> tuple[Any, ...]:
        state = from_search(search)
        if state.errors:
            return None, " ".join(state.errors), None, None, [], no_update
        if state.arn is None:
            return None, "", None, None, [], no_update
        unavailable = region_unavailable(backend.region)
        if unavailable:
            return None, unavailable, None, None, [], no_update
        try:
            result = backend.query_all_pages(
                state.arn, state.direction, state.depth, state.filters()
            )
        except Exception as exc:
            return None, explain(exc), None, None, [], no_update
        data = graph_data(state, result)
        start: dict[str, Any] = next((v for v in data["vertices"] if v["Arn"] == state.arn), {})
        error = "" if len(data["vertices"]) > 1 else empty_result(state.direction, state.depth)
        if not data["vertices"]:
            start = {"Arn": state.arn, "LineageType": "", "Type": None}
            data["vertices"] = [start]
        trail = extend_trail(trail, state, start.get("Type"), start.get("LineageType", ""))
        return data, error, state.arn, None, [], trail

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
        Input(ids.EXPAND, "n_clicks"),
        State(ids.SELECTED_STORE, "data"),
        State(ids.GRAPH_STORE, "data"),
        prevent_initial_call=True,
    )
    def expand(clicks: int, selected: str | None, data: dict[str, Any] | None) -> tuple[Any, Any]:
        if not clicks or not selected or not data:
            return no_update, no_update
        try:
            result = backend.query_all_pages(selected, "Both", 1)
        except Exception as exc:
            return no_update, explain(exc)
        return merge_into(data, result), ""

    @app.callback(Output(ids.GRAPH, "stylesheet"), Input(ids.DARK, "value"))
    def theme(dark: list[str] | None) -> list[dict[str, Any]]:
        return stylesheet(bool(dark)) + LABEL_RULES

    app.clientside_callback(  # type: ignore[no-untyped-call]
        "function(v){document.body.classList.toggle('dark', (v||[]).length>0);return null;}",
        Output(ids.NOOP_STORE, "data"),
        Input(ids.DARK, "value"),
    )
