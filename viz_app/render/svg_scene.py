"""Where everything in the evidence SVG goes, decided before any markup is written.

A scene is the positioned elements plus every text box: node labels (one or more lines)
under their shapes, and edge labels only where they cover no other text and no node. When
the layout puts two nodes' shapes and labels over each other, the columns and rows are
spread apart (never shrunk), so text keeps its size.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Final

from viz_app.render.stylesheet import (
    COLOR_BY_LINEAGE_TYPE,
    DEFAULT_SHAPE,
    EDGE_STYLE_BY_ASSOCIATION,
    GROUP_COLOR,
    SHAPE_BY_TYPE,
    UNKNOWN_COLOR,
)
from viz_app.render.svg_text import ASCENT, DESCENT, Box, BoxIndex, text_box

NODE_SIZE: Final = 34.0
START_SIZE: Final = 42.0
GROUP_SIZE: Final = 46.0
NODE_FONT: Final = 12.0
EDGE_FONT: Final = 10.0
LABEL_GAP: Final = 3.0  # between a node's outline and its label
CLEARANCE: Final = 6.0  # kept free between neighbouring nodes (shape plus label)
TEXT_PAD: Final = 1.5  # kept free around an edge label
# Where along an edge its label may sit (fractions from source to target), best first.
LABEL_SPOTS: Final = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78)
MARKERS: Final = ("triangle", "triangle-backcurve", "diamond")
DASHES: Final = {"dashed": "6,4", "dotted": "1.5,3"}


@dataclass
class NodeDraw:
    """One node: centre, outline, fill, label lines (positions change when spreading)."""

    id: str
    x: float
    y: float
    half: float
    stroke: float
    stroke_color: str
    shape: str
    fill: str
    classes: str
    title: str
    lines: tuple[str, ...]

    def shape_box(self) -> Box:
        r = self.half + self.stroke / 2
        return Box(self.x - r, self.y - r, self.x + r, self.y + r)

    def baseline(self) -> float:
        return self.y + self.half + self.stroke / 2 + LABEL_GAP + ASCENT * NODE_FONT

    def label_box(self) -> Box | None:
        if not self.lines:
            return None
        return text_box(self.lines, self.x, self.baseline(), NODE_FONT, "middle")

    def footprint(self) -> Box:
        label = self.label_box()
        return self.shape_box() if label is None else self.shape_box().union(label)


@dataclass
class EdgeDraw:
    """One edge, trimmed to the node outlines, and where its label goes (None: left out)."""

    id: str
    source: str
    target: str
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    dash: str
    arrow: str
    label: str
    label_at: tuple[float, float] | None = None  # (x, baseline), text-anchor middle

    def length(self) -> float:
        return math.hypot(self.x2 - self.x1, self.y2 - self.y1)

    def label_box(self) -> Box | None:
        if self.label_at is None:
            return None
        return text_box((self.label,), *self.label_at, EDGE_FONT, "middle")


@dataclass
class Scene:
    """Nodes and edges ready to draw; `columns` are the distinct node x positions, sorted."""

    nodes: list[NodeDraw]
    edges: list[EdgeDraw]
    columns: list[float]

    def omitted_labels(self) -> int:
        return sum(1 for e in self.edges if e.label and e.label_at is None)

    def bounds(self) -> Box:
        boxes = [n.footprint() for n in self.nodes]
        boxes += [b for b in (e.label_box() for e in self.edges) if b is not None]
        if not boxes:
            return Box(0, 0, 0, 0)
        return Box(
            min(b.x0 for b in boxes), min(b.y0 for b in boxes),
            max(b.x1 for b in boxes), max(b.y1 for b in boxes),
        )  # fmt: skip


def _node(element: Mapping[str, Any]) -> NodeDraw:
    data: Mapping[str, Any] = element.get("data", {})
    classes = str(element.get("classes", ""))
    group = "group" in classes.split()
    if group:
        size, stroke, color = GROUP_SIZE, 3.0, "#333333"
        fill = GROUP_COLOR
    else:
        size = START_SIZE if data.get("is_start") else NODE_SIZE
        stroke, color = (5.0, "#000000") if data.get("is_start") else (1.0, "#333333")
        fill = COLOR_BY_LINEAGE_TYPE.get(str(data.get("lineage_type") or ""), UNKNOWN_COLOR)
    label = str(data.get("label") or data.get("id") or "")
    return NodeDraw(
        id=str(data.get("id", "")),
        x=float(element["position"]["x"]),
        y=float(element["position"]["y"]),
        half=size / 2,
        stroke=stroke,
        stroke_color=color,
        shape=SHAPE_BY_TYPE.get(str(data.get("type") or ""), DEFAULT_SHAPE),
        fill=fill,
        classes=classes,
        title=str(data.get("full") or data.get("id") or ""),
        lines=tuple(line for line in label.split("\n") if line.strip()),
    )


def _edge(element: Mapping[str, Any], by_id: Mapping[str, NodeDraw]) -> EdgeDraw | None:
    data: Mapping[str, Any] = element.get("data", {})
    source, target = by_id.get(str(data.get("source"))), by_id.get(str(data.get("target")))
    if source is None or target is None:
        return None
    length = math.hypot(target.x - source.x, target.y - source.y) or 1.0
    ux, uy = (target.x - source.x) / length, (target.y - source.y) / length
    kinds = [k for k in str(data.get("association_type") or "").split(" / ") if k]
    style = EDGE_STYLE_BY_ASSOCIATION.get(kinds[0]) if len(kinds) == 1 else None
    return EdgeDraw(
        id=str(data.get("id", "")),
        source=source.id,
        target=target.id,
        x1=source.x + ux * source.half,
        y1=source.y + uy * source.half,
        x2=target.x - ux * (target.half + 2),
        y2=target.y - uy * (target.half + 2),
        width=style.width if style else 1.5,
        dash=DASHES.get(style.line_style, "") if style else "",
        arrow=style.arrow if style and style.arrow in MARKERS else "triangle",
        label=" / ".join(kinds),
    )


def _extents(node: NodeDraw) -> Box:
    """The node's footprint relative to its centre."""
    return node.footprint().shifted(-node.x, -node.y)


def _row_factor(columns: Mapping[float, list[NodeDraw]], ext: Mapping[str, Box]) -> float:
    """How much to stretch y so that no two nodes of one column touch."""
    factor = 1.0
    for column in columns.values():
        for a, b in pairwise(sorted(column, key=lambda n: n.y)):
            gap = b.y - a.y
            need = ext[a.id].y1 - ext[b.id].y0 + CLEARANCE
            if gap > 0 and need > gap:
                factor = max(factor, need / gap)
    return factor


def _column_gap(left: list[NodeDraw], right: list[NodeDraw], ext: Mapping[str, Box]) -> float:
    """The x distance two columns need so that no node of one touches a node of the other."""
    tops = [n.y + ext[n.id].y0 for n in left]
    need = 0.0
    for b in right:
        b_top, b_bottom = b.y + ext[b.id].y0, b.y + ext[b.id].y1
        k = bisect_left(tops, b_bottom + CLEARANCE) - 1
        while k >= 0 and left[k].y + ext[left[k].id].y1 + CLEARANCE > b_top:
            need = max(need, ext[left[k].id].x1 - ext[b.id].x0 + CLEARANCE)
            k -= 1
    return need


def spread(nodes: Sequence[NodeDraw]) -> list[float]:
    """Move columns and rows apart until no node's shape or label touches another's.

    Rows get one stretch factor (the layout's vertical order and proportions stay); each
    gap between columns grows to what its widest labels need. Returns the new column xs.
    """
    columns: dict[float, list[NodeDraw]] = defaultdict(list)
    for node in nodes:
        columns[node.x].append(node)
    ext = {n.id: _extents(n) for n in nodes}
    factor = _row_factor(columns, ext)
    for node in nodes:
        node.y *= factor
    xs = sorted(columns)
    for column in columns.values():
        column.sort(key=lambda n: n.y)
    new: list[float] = []
    for j, x in enumerate(xs):
        pos = x if j == 0 else new[j - 1] + (x - xs[j - 1])
        for i in range(j):
            pos = max(pos, new[i] + _column_gap(columns[xs[i]], columns[x], ext))
        new.append(pos)
    for x, moved in zip(xs, new, strict=True):
        for node in columns[x]:
            node.x = moved
    return new


def _candidates(edge: EdgeDraw) -> list[tuple[float, float]]:
    """Label anchors (x, baseline) just above, then just below, spots along the edge."""
    out = []
    for t in LABEL_SPOTS:
        px, py = edge.x1 + (edge.x2 - edge.x1) * t, edge.y1 + (edge.y2 - edge.y1) * t
        out.append((px, py - 3 - DESCENT * EDGE_FONT))
        out.append((px, py + 3 + ASCENT * EDGE_FONT))
    return out


def place_edge_labels(nodes: Sequence[NodeDraw], edges: Sequence[EdgeDraw]) -> None:
    """Give each edge label a free spot (shortest edges first: they have the fewest)."""
    taken = BoxIndex()
    for node in nodes:
        taken.add(node.shape_box())
        label = node.label_box()
        if label is not None:
            taken.add(label)
    for edge in sorted(edges, key=lambda e: (e.length(), e.id)):
        if not edge.label:
            continue
        for x, baseline in _candidates(edge):
            box = text_box((edge.label,), x, baseline, EDGE_FONT, "middle").grown(TEXT_PAD)
            if not taken.hits(box):
                edge.label_at = (x, baseline)
                taken.add(box)
                break


def build_scene(elements: Sequence[Mapping[str, Any]]) -> Scene:
    """Nodes (spread apart where their labels would touch), edges, and edge label spots."""
    nodes = [_node(e) for e in elements if "position" in e]
    columns = spread(nodes)
    by_id = {n.id: n for n in nodes}
    edges = [
        edge
        for e in elements
        if "position" not in e and "source" in e.get("data", {})
        for edge in (_edge(e, by_id),)
        if edge is not None
    ]
    place_edge_labels(nodes, edges)
    return Scene(nodes, edges, columns)
