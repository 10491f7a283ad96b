"""Highlight classes for the graph: selected paths, question answers, added nodes, search hits."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any


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
