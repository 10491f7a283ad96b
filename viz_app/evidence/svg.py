"""Render positioned lineage elements as a standalone, captioned, fully escaped SVG image."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from viz_app.ui.stylesheet import (
    COLOR_BY_LINEAGE_TYPE,
    DEFAULT_SHAPE,
    EDGE_STYLE_BY_ASSOCIATION,
    GROUP_COLOR,
    LIGHT_BACKGROUND,
    LIGHT_TEXT,
    SHAPE_BY_TYPE,
    UNKNOWN_COLOR,
)

EDGE_COLOR: Final = "#7A7A7A"
NODE_SIZE: Final = 34.0
START_SIZE: Final = 42.0
GROUP_SIZE: Final = 46.0
LABEL_HALF_WIDTH: Final = 90.0  # labels are at most ~28 characters at 11px
MARGIN: Final = 24.0
LINE_HEIGHT: Final = 18.0
CHAR_WIDTH: Final = 7.2  # rough width of a 12px sans-serif character, for sizing only

_XML_INVALID_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Node outlines in a unit box ([-1, 1] on both axes), matching the Cytoscape shapes' look.
_UNIT_SHAPES: Final[dict[str, tuple[tuple[float, float], ...]]] = {
    "rectangle": ((-1, -0.75), (1, -0.75), (1, 0.75), (-1, 0.75)),
    "cut-rectangle": (
        (-0.6, -0.75), (0.6, -0.75), (1, -0.4), (1, 0.4),
        (0.6, 0.75), (-0.6, 0.75), (-1, 0.4), (-1, -0.4),
    ),
    "bottom-round-rectangle": (
        (-1, -0.75), (1, -0.75), (1, 0.4), (0.75, 0.75), (-0.75, 0.75), (-1, 0.4),
    ),
    "barrel": (
        (-0.7, -1), (0.7, -1), (1, -0.6), (1, 0.6), (0.7, 1), (-0.7, 1), (-1, 0.6), (-1, -0.6),
    ),
    "hexagon": ((-0.5, -0.9), (0.5, -0.9), (1, 0), (0.5, 0.9), (-0.5, 0.9), (-1, 0)),
    "concave-hexagon": ((-1, -0.9), (1, -0.9), (0.7, 0), (1, 0.9), (-1, 0.9), (-0.7, 0)),
    "rhomboid": ((-0.5, -0.8), (1, -0.8), (0.5, 0.8), (-1, 0.8)),
    "diamond": ((0, -1), (1, 0), (0, 1), (-1, 0)),
    "triangle": ((0, -1), (1, 0.85), (-1, 0.85)),
    "vee": ((-1, -0.9), (0, -0.3), (1, -0.9), (0, 0.9)),
    "tag": ((-1, -0.7), (0.4, -0.7), (1, 0), (0.4, 0.7), (-1, 0.7)),
    "round-octagon": (
        (-0.4, -1), (0.4, -1), (1, -0.4), (1, 0.4), (0.4, 1), (-0.4, 1), (-1, 0.4), (-1, -0.4),
    ),
}  # fmt: skip


def _regular(points: int, inner: float | None = None) -> tuple[tuple[float, float], ...]:
    out: list[tuple[float, float]] = []
    steps = points * (2 if inner else 1)
    for k in range(steps):
        angle = -math.pi / 2 + k * 2 * math.pi / steps
        radius = inner if inner and k % 2 else 1.0
        out.append((round(radius * math.cos(angle), 4), round(radius * math.sin(angle), 4)))
    return tuple(out)


_UNIT_SHAPES["pentagon"] = _regular(5)
_UNIT_SHAPES["star"] = _regular(5, inner=0.45)

_MARKERS: Final = {
    "triangle": '<path d="M0,0 L10,5 L0,10 z" fill="{c}"/>',
    "triangle-backcurve": '<path d="M0,0 L10,5 L0,10 Q4,5 0,0 z" fill="{c}"/>',
    "diamond": '<path d="M0,5 L5,0 L10,5 L5,10 z" fill="{c}"/>',
}
_DASHES: Final = {"dashed": "6,4", "dotted": "1.5,3"}


def esc(value: object) -> str:
    """Escape any text for SVG/HTML text and attributes (XML-invalid characters dropped)."""
    return html.escape(_XML_INVALID_RE.sub("", str(value)), quote=True)


@dataclass(frozen=True)
class Caption:
    """What was asked and what came back: printed inside every exported image."""

    start_arn: str
    direction: str
    depth: int
    vertices: int
    edges: int
    account: str | None = None
    region: str | None = None
    types: tuple[str, ...] = ()
    lineage_types: tuple[str, ...] = ()
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    source: str | None = None  # e.g. "aws", "local", or an endpoint URL
    title: str = "Amazon SageMaker ML lineage"

    def filters_text(self) -> str:
        parts = []
        if self.types:
            parts.append("Types=" + ",".join(self.types))
        if self.lineage_types:
            parts.append("LineageTypes=" + ",".join(self.lineage_types))
        return "; ".join(parts) or "none"

    def utc_text(self) -> str:
        return self.generated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def lines(self) -> list[str]:
        """The caption, one line each, plain text (escape before embedding)."""
        where = f"Account: {self.account or 'unknown'} · Region: {self.region or 'unknown'}"
        if self.source:
            where += f" · Source: {self.source}"
        return [
            self.title,
            f"Start ARN: {self.start_arn}",
            f"Direction: {self.direction} · Depth: {self.depth} · Filters: {self.filters_text()}",
            where,
            f"Generated (UTC): {self.utc_text()}",
            f"Vertices: {self.vertices} · Edges: {self.edges}",
        ]


def _size(data: Mapping[str, Any], classes: str) -> float:
    if "group" in classes.split():
        return GROUP_SIZE
    return START_SIZE if data.get("is_start") else NODE_SIZE


def _fill(data: Mapping[str, Any], classes: str) -> str:
    if "group" in classes.split():
        return GROUP_COLOR
    return COLOR_BY_LINEAGE_TYPE.get(str(data.get("lineage_type") or ""), UNKNOWN_COLOR)


def _shape_markup(shape: str, x: float, y: float, half: float, style: str) -> str:
    unit = _UNIT_SHAPES.get(shape)
    if unit is None:
        return f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{half:.1f}" ry="{half:.1f}" {style}/>'
    points = " ".join(f"{x + px * half:.1f},{y + py * half:.1f}" for px, py in unit)
    return f'<polygon points="{points}" {style}/>'


def _node_markup(node: Mapping[str, Any]) -> str:
    data: Mapping[str, Any] = node.get("data", {})
    classes = str(node.get("classes", ""))
    x, y = float(node["position"]["x"]), float(node["position"]["y"])
    half = _size(data, classes) / 2
    shape = SHAPE_BY_TYPE.get(str(data.get("type") or ""), DEFAULT_SHAPE)
    if data.get("is_start"):
        style = 'stroke="#000000" stroke-width="5"'
    elif "group" in classes.split():
        style = 'stroke="#333333" stroke-width="3"'
    else:
        style = 'stroke="#333333" stroke-width="1"'
    style = f'fill="{_fill(data, classes)}" {style}'
    label = str(data.get("label") or data.get("id") or "")
    return (
        f'<g class="node {esc(classes)}" data-id="{esc(data.get("id", ""))}" tabindex="0">'
        f"<title>{esc(data.get('full') or data.get('id') or '')}</title>"
        f"{_shape_markup(shape, x, y, half, style)}"
        f'<text x="{x:.1f}" y="{y + half + 14:.1f}" text-anchor="middle" font-size="11" '
        f'fill="{LIGHT_TEXT}" paint-order="stroke" stroke="{LIGHT_BACKGROUND}" '
        f'stroke-width="3">{esc(label)}</text></g>'
    )


def _edge_markup(edge: Mapping[str, Any], centres: Mapping[str, tuple[float, float, float]]) -> str:
    data: Mapping[str, Any] = edge.get("data", {})
    source, target = centres.get(str(data.get("source"))), centres.get(str(data.get("target")))
    if source is None or target is None:
        return ""
    (x1, y1, r1), (x2, y2, r2) = source, target
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    sx, sy = x1 + ux * r1, y1 + uy * r1
    tx, ty = x2 - ux * (r2 + 2), y2 - uy * (r2 + 2)
    kinds = [k for k in str(data.get("association_type") or "").split(" / ") if k]
    style = EDGE_STYLE_BY_ASSOCIATION.get(kinds[0]) if len(kinds) == 1 else None
    arrow = style.arrow if style and style.arrow in _MARKERS else "triangle"
    dash = _DASHES.get(style.line_style, "") if style else ""
    width = style.width if style else 1.5
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    label = " / ".join(kinds)
    text = ""
    if label:
        mx, my = (sx + tx) / 2, (sy + ty) / 2 - 3
        text = (
            f'<text x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" font-size="8" '
            f'fill="{LIGHT_TEXT}" paint-order="stroke" stroke="{LIGHT_BACKGROUND}" '
            f'stroke-width="2.5">{esc(label)}</text>'
        )
    return (
        f'<g class="edge" data-id="{esc(data.get("id", ""))}">'
        f"<title>{esc(data.get('source', ''))} → {esc(data.get('target', ''))}"
        f"{' (' + esc(label) + ')' if label else ''}</title>"
        f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" stroke="{EDGE_COLOR}" '
        f'stroke-width="{width}"{dash_attr} marker-end="url(#lv-arrow-{arrow})"/>{text}</g>'
    )


def _caption_markup(caption: Caption, width: float) -> tuple[str, float]:
    lines = caption.lines()
    height = MARGIN + LINE_HEIGHT * len(lines) + 30
    parts = [
        f'<g class="caption"><rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" '
        f'fill="#F4F4F4" stroke="#CCCCCC"/>'
    ]
    for i, line in enumerate(lines):
        weight = ' font-weight="bold"' if i == 0 else ""
        y = MARGIN + LINE_HEIGHT * i
        parts.append(
            f'<text x="{MARGIN:.0f}" y="{y:.0f}" font-size="12" fill="{LIGHT_TEXT}"{weight}>'
            f"{esc(line)}</text>"
        )
    x, y = MARGIN, MARGIN + LINE_HEIGHT * len(lines) + 2
    for name, color in COLOR_BY_LINEAGE_TYPE.items():
        parts.append(
            f'<circle cx="{x + 6:.0f}" cy="{y - 4:.0f}" r="6" fill="{color}" stroke="#333333"/>'
            f'<text x="{x + 16:.0f}" y="{y:.0f}" font-size="11" fill="{LIGHT_TEXT}">'
            f"{esc(name)}</text>"
        )
        x += 30 + CHAR_WIDTH * len(name)
    parts.append("</g>")
    return "".join(parts), height


def render_svg(elements: Sequence[Mapping[str, Any]], caption: Caption) -> str:
    """The whole graph at its preset positions, with arrows, labels and the caption inside.

    `elements` are Cytoscape elements from `viz_app.ui.elements.to_elements` (nodes carry a
    `position`). Every string from the data is escaped; the result is a standalone SVG file.
    """
    nodes = [e for e in elements if "position" in e]
    edges = [e for e in elements if "position" not in e and "source" in e.get("data", {})]
    centres: dict[str, tuple[float, float, float]] = {}
    for node in nodes:
        data = node.get("data", {})
        half = _size(data, str(node.get("classes", ""))) / 2
        centres[str(data.get("id"))] = (
            float(node["position"]["x"]),
            float(node["position"]["y"]),
            half,
        )
    if centres:
        min_x = min(x for x, _, _ in centres.values()) - LABEL_HALF_WIDTH
        max_x = max(x for x, _, _ in centres.values()) + LABEL_HALF_WIDTH
        min_y = min(y - r for _, y, r in centres.values()) - 10
        max_y = max(y + r for _, y, r in centres.values()) + 24
    else:
        min_x = max_x = min_y = max_y = 0.0
    caption_width = 2 * MARGIN + CHAR_WIDTH * max(len(line) for line in caption.lines())
    width = max(max_x - min_x + 2 * MARGIN, caption_width, 320.0)
    caption_svg, caption_height = _caption_markup(caption, width)
    height = caption_height + (max_y - min_y) + 2 * MARGIN
    ox = MARGIN - min_x + (width - 2 * MARGIN - (max_x - min_x)) / 2
    oy = caption_height + MARGIN - min_y
    markers = "".join(
        f'<marker id="lv-arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse">{path.format(c=EDGE_COLOR)}</marker>'
        for name, path in _MARKERS.items()
    )
    summary = esc(" | ".join(caption.lines()))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage-svg" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" role="img" '
        f'aria-label="{summary}">'
        f"<title>{summary}</title><defs>{markers}</defs>"
        f'<rect class="background" x="0" y="0" width="{width:.0f}" height="{height:.0f}" '
        f'fill="{LIGHT_BACKGROUND}"/>'
        f'<g class="lineage-graph" data-ox="{ox:.1f}" data-oy="{oy:.1f}" '
        f'transform="translate({ox:.1f},{oy:.1f})">'
        f'<g class="edges">{"".join(_edge_markup(e, centres) for e in edges)}</g>'
        f'<g class="nodes">{"".join(_node_markup(n) for n in nodes)}</g></g>'
        f"{caption_svg}</svg>"
    )
