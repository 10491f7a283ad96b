"""Cytoscape elements packed into columns for the browser (assets/graph.js unpacks them)."""

from __future__ import annotations

from typing import Any

NODE_KEYS = frozenset({"id", "label", "lineage_type", "type"})


def pack(key: str, elements: list[dict[str, Any]]) -> dict[str, Any]:
    """Nodes as [id, label, lineage_type, type, x, y, class#, extra data or 0] and edges as
    [source#, target#, association_type, count, class#], with class strings listed once.

    About a third of the size of the element dicts: edges name their ends by node index.
    """
    classes: dict[str, int] = {}
    index: dict[str, int] = {}
    nodes: list[list[Any]] = []
    edges: list[list[Any]] = []
    for element in elements:
        data = element["data"]
        css = classes.setdefault(element.get("classes", ""), len(classes))
        if "source" in data:
            edges.append(
                [
                    index[data["source"]],
                    index[data["target"]],
                    data.get("association_type", ""),
                    data.get("count", 1),
                    css,
                ]
            )
            continue
        index[data["id"]] = len(nodes)
        position = element.get("position") or {"x": 0, "y": 0}
        extra = {k: v for k, v in data.items() if k not in NODE_KEYS}
        nodes.append(
            [
                data["id"],
                data.get("label", ""),
                data.get("lineage_type", ""),
                data.get("type"),
                position["x"],
                position["y"],
                css,
                extra or 0,
            ]
        )
    return {"key": key, "classes": list(classes), "nodes": nodes, "edges": edges}
