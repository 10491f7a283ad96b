"""SVG markup for a scene: node outlines, edges, the caption with its legend, whole pages.

Every string from the data goes through `esc`. Ids (arrow markers, clip paths) carry a
per-page prefix, so several pages can be stacked into one document.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from viz_app.render.stylesheet import (
    COLOR_BY_LINEAGE_TYPE,
    EDGE_STYLE_BY_ASSOCIATION,
    LIGHT_BACKGROUND,
    LIGHT_TEXT,
)
from viz_app.render.svg_scene import EDGE_FONT, MARKERS, NODE_FONT, EdgeDraw, NodeDraw
from viz_app.render.svg_text import Box, line_height, text_width

EDGE_COLOR: Final = "#7A7A7A"
MARGIN: Final = 24.0
LINE_HEIGHT: Final = 18.0
CAPTION_FONT: Final = 12.0
LEGEND_FONT: Final = 11.0
MIN_WIDTH: Final = 320.0
FONT_FAMILY: Final = "DejaVu Sans, Helvetica, Arial, sans-serif"
SMALLEST_FONT: Final = min(EDGE_FONT, NODE_FONT, CAPTION_FONT, LEGEND_FONT)

_XML_INVALID_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAKS: Final = " /:·,;"

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

_MARKER_PATHS: Final = {
    "triangle": '<path d="M0,0 L10,5 L0,10 z" fill="{c}"/>',
    "triangle-backcurve": '<path d="M0,0 L10,5 L0,10 Q4,5 0,0 z" fill="{c}"/>',
    "diamond": '<path d="M0,5 L5,0 L10,5 L5,10 z" fill="{c}"/>',
}
assert set(_MARKER_PATHS) == set(MARKERS)


def esc(value: object) -> str:
    """Escape any text for SVG/HTML text and attributes (XML-invalid characters dropped)."""
    return html.escape(_XML_INVALID_RE.sub("", str(value)), quote=True)


def shape_markup(shape: str, x: float, y: float, half: float, style: str) -> str:
    """A node outline centred on (x, y), `half` its half size."""
    unit = _UNIT_SHAPES.get(shape)
    if unit is None:
        return f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{half:.1f}" ry="{half:.1f}" {style}/>'
    points = " ".join(f"{x + px * half:.1f},{y + py * half:.1f}" for px, py in unit)
    return f'<polygon points="{points}" {style}/>'


def markers(prefix: str) -> str:
    """Arrow-head definitions, ids `<prefix>arrow-<name>`."""
    return "".join(
        f'<marker id="{prefix}arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f"{path.format(c=EDGE_COLOR)}</marker>"
        for name, path in _MARKER_PATHS.items()
    )


def _text_lines(lines: Sequence[str], x: float, size: float) -> str:
    if len(lines) == 1:
        return esc(lines[0])
    step = line_height(size)
    return "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else step:g}">{esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )


def node_markup(node: NodeDraw) -> str:
    """One node: outline, then its label (one `<tspan>` per line when it has several)."""
    style = f'fill="{node.fill}" stroke="{node.stroke_color}" stroke-width="{node.stroke:g}"'
    label = ""
    if node.lines:
        label = (
            f'<text x="{node.x:.1f}" y="{node.baseline():.1f}" text-anchor="middle" '
            f'font-size="{NODE_FONT:g}" fill="{LIGHT_TEXT}" paint-order="stroke" '
            f'stroke="{LIGHT_BACKGROUND}" stroke-width="3">'
            f"{_text_lines(node.lines, node.x, NODE_FONT)}</text>"
        )
    return (
        f'<g class="node {esc(node.classes)}" data-id="{esc(node.id)}" tabindex="0">'
        f"<title>{esc(node.title)}</title>"
        f"{shape_markup(node.shape, node.x, node.y, node.half, style)}{label}</g>"
    )


def edge_markup(edge: EdgeDraw, prefix: str, *, with_label: bool) -> str:
    """One edge line with its arrow head, and its label when `with_label` and it has a spot."""
    dash = f' stroke-dasharray="{edge.dash}"' if edge.dash else ""
    text = ""
    if with_label and edge.label_at is not None:
        x, baseline = edge.label_at
        text = (
            f'<text x="{x:.1f}" y="{baseline:.1f}" text-anchor="middle" '
            f'font-size="{EDGE_FONT:g}" fill="{LIGHT_TEXT}" paint-order="stroke" '
            f'stroke="{LIGHT_BACKGROUND}" stroke-width="2.5">{esc(edge.label)}</text>'
        )
    title_type = f" ({esc(edge.label)})" if edge.label else ""
    return (
        f'<g class="edge" data-id="{esc(edge.id)}">'
        f"<title>{esc(edge.source)} → {esc(edge.target)}{title_type}</title>"
        f'<line x1="{edge.x1:.1f}" y1="{edge.y1:.1f}" x2="{edge.x2:.1f}" y2="{edge.y2:.1f}" '
        f'stroke="{EDGE_COLOR}" stroke-width="{edge.width:g}"{dash} '
        f'marker-end="url(#{prefix}arrow-{edge.arrow})"/>{text}</g>'
    )


def wrap_line(line: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """`line` cut into pieces no wider than `width`, at a space, `/`, `:` or `·` if possible."""
    out: list[str] = []
    rest = line
    while text_width(rest, size, bold=bold) > width and len(rest) > 1:
        cut = 1
        while cut < len(rest) and text_width(rest[: cut + 1], size, bold=bold) <= width:
            cut += 1
        soft = max(rest.rfind(ch, 0, cut) for ch in _BREAKS) + 1
        cut = soft if soft > cut // 2 else cut
        out.append(rest[:cut])
        rest = rest[cut:]
    return [*out, rest]


@dataclass(frozen=True)
class _LegendItem:
    name: str
    color: str | None = None  # a lineage type's fill
    association: str | None = None  # an association type's line style

    def width(self) -> float:
        sample = 16.0 if self.color else 36.0
        return sample + text_width(self.name, LEGEND_FONT) + 14


def _legend_items() -> list[list[_LegendItem]]:
    vertices = [_LegendItem(name, color=color) for name, color in COLOR_BY_LINEAGE_TYPE.items()]
    edges = [_LegendItem(name, association=name) for name in EDGE_STYLE_BY_ASSOCIATION]
    return [vertices, edges]


def _legend_item_markup(item: _LegendItem, x: float, y: float, prefix: str) -> str:
    text_x = x + (16 if item.color else 36)
    text = (
        f'<text x="{text_x:.1f}" y="{y:.1f}" font-size="{LEGEND_FONT:g}" fill="{LIGHT_TEXT}">'
        f"{esc(item.name)}</text>"
    )
    if item.color:
        return (
            f'<circle cx="{x + 6:.1f}" cy="{y - 4:.1f}" r="6" fill="{item.color}" '
            f'stroke="#333333"/>{text}'
        )
    style = EDGE_STYLE_BY_ASSOCIATION[str(item.association)]
    dash = {"dashed": "6,4", "dotted": "1.5,3"}.get(style.line_style, "")
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    arrow = style.arrow if style.arrow in MARKERS else "triangle"
    return (
        f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 28:.1f}" y2="{y - 4:.1f}" '
        f'stroke="{EDGE_COLOR}" stroke-width="{style.width:g}"{dash_attr} '
        f'marker-end="url(#{prefix}arrow-{arrow})"/>{text}'
    )


def _legend(top: float, width: float, prefix: str) -> tuple[list[str], float]:
    """Legend rows (lineage-type colours, then association line styles) from baseline `top`."""
    parts: list[str] = []
    y = top
    for group in _legend_items():
        x = MARGIN
        for item in group:
            if x > MARGIN and x + item.width() > width - MARGIN:
                x, y = MARGIN, y + LINE_HEIGHT
            parts.append(_legend_item_markup(item, x, y, prefix))
            x += item.width()
        y += LINE_HEIGHT
    return parts, y


def caption_lines(lines: Sequence[str], width: float) -> list[tuple[str, bool]]:
    """Caption lines (the first bold) wrapped to fit `width`, each with its boldness."""
    out: list[tuple[str, bool]] = []
    for i, line in enumerate(lines):
        out += [(piece, i == 0) for piece in wrap_line(line, CAPTION_FONT, width, bold=i == 0)]
    return out


def caption_width(lines: Sequence[str]) -> float:
    """The width the caption needs unwrapped (text, and the widest legend item)."""
    texts = [text_width(line, CAPTION_FONT, bold=i == 0) for i, line in enumerate(lines)]
    items = [item.width() for group in _legend_items() for item in group]
    return 2 * MARGIN + max([*texts, *items])


def caption_markup(lines: Sequence[str], width: float, prefix: str) -> tuple[str, float]:
    """The caption panel across the page top, and its height."""
    wrapped = caption_lines(lines, width - 2 * MARGIN)
    parts = []
    for i, (line, bold) in enumerate(wrapped):
        weight = ' font-weight="bold"' if bold else ""
        parts.append(
            f'<text x="{MARGIN:.0f}" y="{MARGIN + LINE_HEIGHT * i:.0f}" '
            f'font-size="{CAPTION_FONT:g}" fill="{LIGHT_TEXT}"{weight}>{esc(line)}</text>'
        )
    legend, bottom = _legend(MARGIN + LINE_HEIGHT * len(wrapped) + 2, width, prefix)
    height = bottom + 6
    panel = (
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#F4F4F4" '
        f'stroke="#CCCCCC"/>'
    )
    return f'<g class="caption">{panel}{"".join(parts)}{"".join(legend)}</g>', height


def page_width(content: float, lines: Sequence[str], limit: float) -> float:
    """A page as wide as its graph, or as its caption up to `limit` (it wraps beyond)."""
    return max(content + 2 * MARGIN, min(caption_width(lines), limit), MIN_WIDTH)


def svg_document(width: float, height: float, summary: str, body: str, classes: str) -> str:
    """The outer `<svg>` element with a white background; `summary` is plain text."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="{FONT_FAMILY}" role="img" aria-label="{esc(summary)}">'
        f"<title>{esc(summary)}</title>"
        f'<rect class="background" x="0" y="0" width="{width:.0f}" height="{height:.0f}" '
        f'fill="{LIGHT_BACKGROUND}"/>{body}</svg>'
    )


@dataclass(frozen=True)
class PageContent:
    """What one page draws: a window `view` on the scene, its nodes and edges, extra lines."""

    view: Box
    nodes: Sequence[NodeDraw]
    edges: Sequence[EdgeDraw]
    extra_lines: Sequence[str] = ()
    clip: Box | None = None  # draw only inside this scene box (tiles cut edges at the border)


def edge_label_note(shown: int, total: int) -> str | None:
    """The caption line that says edge labels were left out, or None when none were."""
    if shown == total:
        return None
    return (
        f"{total - shown} of {total} edge labels left out where they would cover other "
        "text; each line's style names its association type (legend)"
    )


def page_markup(caption: Sequence[str], content: PageContent, prefix: str, limit: float) -> str:
    """One captioned page drawing the scene window `content.view` at natural size."""
    view = content.view
    shown = {
        e.id
        for e in content.edges
        if (box := e.label_box()) is not None and (content.clip is None or box.inside(view))
    }
    drawn = {n.id for n in content.nodes}
    inner = [e for e in content.edges if e.label and e.source in drawn and e.target in drawn]
    note = edge_label_note(sum(1 for e in inner if e.id in shown), len(inner))
    lines = [*caption, *content.extra_lines, *([note] if note else [])]
    width = page_width(view.width, lines, limit)
    caption_svg, caption_height = caption_markup(lines, width, prefix)
    ox = MARGIN - view.x0 + (width - 2 * MARGIN - view.width) / 2
    oy = caption_height + MARGIN - view.y0
    height = caption_height + view.height + 2 * MARGIN
    edges = "".join(edge_markup(e, prefix, with_label=e.id in shown) for e in content.edges)
    clip_def = clip_attr = ""
    if content.clip is not None:
        c = content.clip
        clip_def = (
            f'<clipPath id="{prefix}clip"><rect x="{c.x0:.1f}" y="{c.y0:.1f}" '
            f'width="{c.width:.1f}" height="{c.height:.1f}"/></clipPath>'
        )
        clip_attr = f' clip-path="url(#{prefix}clip)"'
    body = (
        f"<defs>{markers(prefix)}{clip_def}</defs>"
        f'<g class="lineage-graph" data-ox="{ox:.1f}" data-oy="{oy:.1f}" '
        f'transform="translate({ox:.1f},{oy:.1f})">'
        f'<g class="edges"{clip_attr}>{edges}</g>'
        f'<g class="nodes">{"".join(node_markup(n) for n in content.nodes)}</g></g>'
        f"{caption_svg}"
    )
    return svg_document(width, height, " | ".join(lines), body, "lineage-svg")
