"""QueryLineage response pages → de-duplicated vertices/edges → positioned Cytoscape elements."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from viz_app.render.stylesheet import (
    GROUP_NODE_PX,
    LABEL_CHAR_PX,
    LABEL_LINE_PX,
    LABEL_MARGIN_PX,
    NODE_PX,
    RUN_BOX,
    START_NODE_PX,
    assoc_class,
    lineage_class,
    type_class,
)
from viz_app.ui.graph_layout import Box, layered_positions
from viz_app.ui.labels import LINE_CHARS, MAX_LINES, ellipsize, short_label, shown_labels
from viz_app.ui.run_layout import FRAME_PAD, TITLE_BAND, TITLE_PX, Frame, grouped_positions

RUN_PREFIX: Final = "run:"


GROUP_PREFIX: Final = "group:"
LONGEST_LABEL: Final = "\n".join(["M" * (LINE_CHARS + 1)] * MAX_LINES)
SIDES: Final = ("in", "out")  # "in": neighbours with edges into the anchor; "out": out of it
NO_TYPE: Final = "(none)"

Vertex = dict[str, Any]
Edge = dict[str, Any]
Element = dict[str, Any]


def merge_pages(pages: Iterable[Mapping[str, Any]]) -> tuple[list[Vertex], list[Edge]]:
    """Merge QueryLineage pages into vertices sorted by Arn and edges sorted by endpoints.

    Output keeps the wire shapes ({Arn, Type?, LineageType}, {SourceArn, DestinationArn,
    AssociationType?}). A duplicate that carries `Type`/`AssociationType` wins over one that
    lacks it; an untyped edge is dropped when the same pair also has a typed one.
    """
    vertices: dict[str, Vertex] = {}
    typed_edges: set[tuple[str, str, str]] = set()
    untyped_edges: set[tuple[str, str]] = set()
    for page in pages:
        for raw in page.get("Vertices") or ():
            arn = raw["Arn"]
            vertex: Vertex = {"Arn": arn, "LineageType": raw.get("LineageType", "")}
            if raw.get("Type"):
                vertex["Type"] = raw["Type"]
            known = vertices.get(arn)
            if known is None or ("Type" in vertex and "Type" not in known):
                vertices[arn] = vertex
        for raw in page.get("Edges") or ():
            pair = (raw["SourceArn"], raw["DestinationArn"])
            if raw.get("AssociationType"):
                typed_edges.add((*pair, raw["AssociationType"]))
            else:
                untyped_edges.add(pair)
    edges: list[Edge] = [
        {"SourceArn": s, "DestinationArn": d, "AssociationType": a}
        for s, d, a in sorted(typed_edges)
    ]
    typed_pairs = {(s, d) for s, d, _ in typed_edges}
    edges += [{"SourceArn": s, "DestinationArn": d} for s, d in sorted(untyped_edges - typed_pairs)]
    edges.sort(key=lambda e: (e["SourceArn"], e["DestinationArn"], e.get("AssociationType", "")))
    return [vertices[arn] for arn in sorted(vertices)], edges


def summarize(
    vertices: Iterable[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """Counts for a status line: totals, by LineageType, by Type, by association, dangling edges.

    Missing `Type`/`AssociationType` count under "(none)"; dict keys are sorted.
    """
    arns: set[str] = set()
    by_lineage: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    for vertex in vertices:
        arns.add(vertex["Arn"])
        by_lineage[vertex.get("LineageType") or NO_TYPE] += 1
        by_type[vertex.get("Type") or NO_TYPE] += 1
    by_association: Counter[str] = Counter()
    edge_count = dangling = 0
    for edge in edges:
        edge_count += 1
        by_association[edge.get("AssociationType") or NO_TYPE] += 1
        if edge["SourceArn"] not in arns or edge["DestinationArn"] not in arns:
            dangling += 1
    return {
        "vertices": len(arns),
        "edges": edge_count,
        "by_lineage_type": dict(sorted(by_lineage.items())),
        "by_type": dict(sorted(by_type.items())),
        "by_association_type": dict(sorted(by_association.items())),
        "dangling_edges": dangling,
    }


def edge_id(source: str, target: str) -> str:
    """A short stable id for the edge `source` -> `target` (two ARNs would cost ~200 bytes)."""
    digest = hashlib.blake2b(f"{source}\n{target}".encode(), digest_size=8).hexdigest()
    return f"e{digest}"


def group_id(anchor: str, side: str, vertex_type: str, run: str = "") -> str:
    """Id of the group node that collapses `anchor`'s `side` neighbours of `vertex_type`
    (those of one pipeline run, when the graph is arranged by run)."""
    return f"{GROUP_PREFIX}{anchor}:{side}:{vertex_type}" + (f":{run}" if run else "")


@dataclass
class ElementsBuild:
    """What `build_elements` made: the elements plus bookkeeping for the status line."""

    elements: list[Element]
    dropped_edges: int = 0
    groups: dict[str, list[str]] = field(default_factory=dict)  # group id → member ARNs
    # Ids from `expanded_groups` that would collapse now: the app can offer "collapse again".
    expanded: list[str] = field(default_factory=list)


def label_box(label: str, size: float) -> Box:
    """The room a node of `size` px with `label` (lines below it) takes: half width, above,
    below. Widths are estimated from the character count (the font is not measured here)."""
    lines = label.split("\n") if label else []
    text_half = max((len(line) for line in lines), default=0) * LABEL_CHAR_PX / 2
    below = size / 2 + (LABEL_MARGIN_PX + len(lines) * LABEL_LINE_PX if lines else 0)
    return (max(size / 2, text_half), size / 2, below)


def to_elements(
    vertices: list[Vertex],
    edges: list[Edge],
    *,
    start_arn: str | None,
    labels: dict[str, str] | None = None,
    collapse_threshold: int = 12,
    expanded_groups: frozenset[str] = frozenset(),
    uris: dict[str, str] | None = None,
    pending: frozenset[str] = frozenset(),
    runs: Mapping[str, str] | None = None,
) -> list[Element]:
    """Positioned Cytoscape elements (nodes sorted by id, then edges); see `build_elements`."""
    return build_elements(
        vertices,
        edges,
        start_arn=start_arn,
        labels=labels,
        collapse_threshold=collapse_threshold,
        expanded_groups=expanded_groups,
        uris=uris,
        pending=pending,
        runs=runs,
    ).elements


def build_elements(
    vertices: list[Vertex],
    edges: list[Edge],
    *,
    start_arn: str | None,
    labels: dict[str, str] | None = None,
    collapse_threshold: int = 12,
    expanded_groups: frozenset[str] = frozenset(),
    uris: dict[str, str] | None = None,
    pending: frozenset[str] = frozenset(),
    runs: Mapping[str, str] | None = None,
) -> ElementsBuild:
    """Cytoscape elements with `position`s from `layered_positions` (use the `preset` layout).

    Payloads are lean (they cross the wire and the Dash renderer): node data is id (the ARN),
    label (from `labels` or `short_label`, same names told apart by `distinct_labels`, in
    at most two lines by `wrap_label`), lineage_type, type (left out if missing), uri (the
    source, from `uris`, for search) and is_start (only on the start, True). The layout
    leaves each node the room its label needs; nodes in `pending` (names still being
    fetched) get the room of the longest label, so that names arriving later fit in place.
    Classes: `lineage-*`, `type-*`, `start`. Edge data:
    id (`edge_id`), source, target, association_type (left out if missing; "A / B" if a pair
    has several), count (only when above 1); class `assoc-*` per type. Edges to unknown
    vertices are dropped and counted. More than `collapse_threshold` neighbours of one Type
    on one side of a vertex become a group node (class `group`, data members/count/anchor/
    side) unless its id is in `expanded_groups`; the start vertex is never collapsed, and the
    members' other edges are
    redrawn from the group node.
    With `runs` (ARN -> the title of its pipeline run, `viz_app.ui.runs`), each run is laid
    out as one block inside a frame: a node of class `run-box` listed before the others
    (data label, w, h, count), which takes no clicks.
    """
    by_arn = {v["Arn"]: v for v in vertices}
    one_line = {
        v["Arn"]: (labels or {}).get(v["Arn"])
        or short_label(v["Arn"], v.get("Type"), v.get("LineageType", ""))
        for v in vertices
    }
    shown = shown_labels(vertices, one_line)
    uris = uris or {}
    kept = [e for e in edges if e["SourceArn"] in by_arn and e["DestinationArn"] in by_arn]
    result = ElementsBuild(elements=[], dropped_edges=len(edges) - len(kept))
    groups, result.expanded = _collapse(
        by_arn, kept, start_arn, collapse_threshold, expanded_groups, runs
    )
    rep = {member: gid for gid, (_, _, _, members) in groups.items() for member in members}
    result.groups = {gid: members for gid, (_, _, _, members) in groups.items()}

    assoc_by_pair: dict[tuple[str, str], set[str]] = defaultdict(set)
    count_by_pair: Counter[tuple[str, str]] = Counter()
    for edge in kept:
        source: str = edge["SourceArn"]
        target: str = edge["DestinationArn"]
        src, dst = rep.get(source, source), rep.get(target, target)
        if src == dst:
            continue
        count_by_pair[(src, dst)] += 1
        if edge.get("AssociationType"):
            assoc_by_pair[(src, dst)].add(edge["AssociationType"])

    node_ids = sorted([arn for arn in by_arn if arn not in rep] + list(groups))
    group_labels = {gid: f"{len(g[3])} {g[2]}" for gid, g in groups.items()}
    boxes = {
        node: label_box(
            group_labels[node]
            if node in groups
            else LONGEST_LABEL
            if node in pending
            else shown[node],
            GROUP_NODE_PX if node in groups else START_NODE_PX if node == start_arn else NODE_PX,
        )
        for node in node_ids
    }
    anchor = start_arn if start_arn in boxes else None
    frames: list[Frame] = []
    if runs:
        of_node = {
            node: _group_run(groups[node][3] if node in groups else [node], runs)
            for node in node_ids
        }
        positions, frames = grouped_positions(
            node_ids,
            list(count_by_pair),
            boxes,
            {n: r for n, r in of_node.items() if r},
            {r: r for r in of_node.values() if r},
            anchor=anchor,
        )
    else:
        positions = layered_positions(node_ids, list(count_by_pair), boxes=boxes, anchor=anchor)
    nodes: list[Element] = [_frame_node(f) for f in frames]
    for node_id in node_ids:
        x, y = positions[node_id]
        if node_id in groups:
            anchor, side, group_type, members = groups[node_id]
            lineage_types = {by_arn[m]["LineageType"] for m in members}
            lineage_type = lineage_types.pop() if len(lineage_types) == 1 else None
            data: dict[str, Any] = {
                "id": node_id,
                "label": ellipsize(group_labels[node_id]),
                "type": group_type,
                "members": members,
                "count": len(members),
                "anchor": anchor,
                "side": side,
            }
            if lineage_type:
                data["lineage_type"] = lineage_type
            classes = ["group", type_class(group_type)]
        else:
            vertex = by_arn[node_id]
            vertex_type: str | None = vertex.get("Type")
            lineage: str = vertex.get("LineageType", "")
            data = {
                "id": node_id,
                "label": shown[node_id],
                "lineage_type": lineage,
            }
            if vertex_type:
                data["type"] = vertex_type
            if uris.get(node_id):
                data["uri"] = uris[node_id]
            if node_id == start_arn:
                data["is_start"] = True
            classes = [lineage_class(lineage), type_class(vertex_type)]
            if node_id == start_arn:
                classes.append("start")
        nodes.append({"data": data, "classes": " ".join(classes), "position": {"x": x, "y": y}})

    edge_elements: list[Element] = []
    for (src, dst), count in sorted(count_by_pair.items()):
        types = sorted(assoc_by_pair.get((src, dst), ()))
        edge_data: dict[str, Any] = {"id": edge_id(src, dst), "source": src, "target": dst}
        if types:
            edge_data["association_type"] = " / ".join(types)
        if count > 1:
            edge_data["count"] = count
        edge_elements.append(
            {
                "data": edge_data,
                "classes": " ".join(assoc_class(t) for t in types) or assoc_class(None),
            }
        )
    result.elements = nodes + edge_elements
    return result


def _group_run(members: list[str], runs: Mapping[str, str]) -> str:
    """The run of a node (all of a group node's members in one run), else ""."""
    found = {runs.get(m, "") for m in members}
    return found.pop() if len(found) == 1 else ""


def title_drop(font: float) -> float:
    """How far a frame's title of `font` px moves down (text-margin-y) from above the frame's
    top edge to the middle of its title band (assets/graph.js moves it the same way)."""
    return round((TITLE_BAND + 1.2 * font) / 2, 1)


def _frame_node(frame: Frame) -> Element:
    x0, y0, x1, y1 = frame.rect
    return {
        "data": {
            "id": RUN_PREFIX + frame.group,
            "label": frame.title,
            "w": x1 - x0,
            "h": y1 - y0,
            "count": frame.count,
            "fs": round(frame.font_px, 1),
            "font": TITLE_PX,
            "tm": title_drop(TITLE_PX),
            "tw": max(x1 - x0 - 2 * FRAME_PAD, 0),
        },
        "classes": RUN_BOX,
        "position": {"x": (x0 + x1) / 2, "y": (y0 + y1) / 2},
    }


def _collapse(
    by_arn: Mapping[str, Vertex],
    edges: list[Edge],
    start_arn: str | None,
    threshold: int,
    expanded: frozenset[str],
    runs: Mapping[str, str] | None = None,
) -> tuple[dict[str, tuple[str, str, str, list[str]]], list[str]]:
    """Choose groups: group id → (anchor, side, type, sorted members), and the expanded ids.

    Candidates are taken biggest first (ties by id) so results do not depend on input order.
    A vertex joins at most one group; anchors, the start vertex and members of expanded
    groups never join one. With `runs` (vertex → its run), a group holds one run's vertices.
    """
    run_of = runs or {}
    neighbours: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for edge in edges:
        src, dst = edge["SourceArn"], edge["DestinationArn"]
        if src == dst:
            continue
        neighbours[(dst, "in", _type_key(by_arn[src]), run_of.get(src, ""))].add(src)
        neighbours[(src, "out", _type_key(by_arn[dst]), run_of.get(dst, ""))].add(dst)
    candidates = sorted(
        ((len(members), group_id(*key), key) for key, members in neighbours.items()),
        key=lambda c: (-c[0], c[1]),
    )
    pinned: set[str] = {start_arn} if start_arn else set()
    still_expanded: list[str] = []
    for size, gid, key in candidates:
        if gid in expanded and size > threshold and size >= 2:
            pinned |= neighbours[key]
            still_expanded.append(gid)
    chosen: dict[str, tuple[str, str, str, list[str]]] = {}
    taken: set[str] = set()
    for size, gid, (anchor, side, vertex_type, run) in candidates:
        if size <= threshold or size < 2 or gid in expanded or anchor in taken:
            continue
        members = sorted(neighbours[(anchor, side, vertex_type, run)] - taken - pinned)
        if len(members) <= threshold or len(members) < 2:
            continue
        chosen[gid] = (anchor, side, vertex_type, members)
        taken.update(members)
        pinned.add(anchor)
    return chosen, sorted(still_expanded)


def _type_key(vertex: Mapping[str, Any]) -> str:
    """Type used for grouping; falls back to the LineageType when Type is missing."""
    return str(vertex.get("Type") or vertex.get("LineageType") or NO_TYPE)
