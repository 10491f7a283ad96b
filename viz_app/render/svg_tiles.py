"""Graphs too wide to read on one page: pages along the left-to-right layers, and an overview.

Each page takes consecutive layers (columns) that fit the page width; a page's last layer is
repeated as the next page's first, so every edge between neighbouring layers is whole on some
page. Very tall graphs are also cut into parts from the top. The overview draws the whole graph
small, as shapes without text, with each page's rectangle numbered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from viz_app.render.svg_markup import (
    EDGE_COLOR,
    MARGIN,
    PageContent,
    caption_markup,
    markers,
    page_width,
    shape_markup,
    svg_document,
)
from viz_app.render.svg_scene import NodeDraw, Scene
from viz_app.render.svg_text import ASCENT, DESCENT, Box, BoxIndex, text_box, union_all

MAX_TILE_HEIGHT: Final = 4000.0  # graph px per page; keeps a page's PNG at full size
OVERVIEW_MAX_HEIGHT: Final = 5000.0
TILE_FONT: Final = 14.0
TILE_COLOR: Final = "#D55E00"


@dataclass(frozen=True)
class Tile:
    """One page of a split graph: layers `first`..`last` (1-based), part `part` of `parts`."""

    number: int
    first: int
    last: int
    layers: int
    part: int
    parts: int
    view: Box
    nodes: tuple[NodeDraw, ...]

    def lines(self, pages: int) -> list[str]:
        where = f"Page {self.number} of {pages} · layers {self.first}–{self.last} of {self.layers}"
        if self.parts > 1:
            where += f" · part {self.part} of {self.parts} from the top"
        return [
            where,
            "Lines cut at the page border continue on a neighbouring page; "
            "the overview shows where each page lies",
        ]


def _column_extents(scene: Scene) -> list[tuple[float, float]]:
    index = {x: i for i, x in enumerate(scene.columns)}
    lo = [float("inf")] * len(scene.columns)
    hi = [float("-inf")] * len(scene.columns)
    for node in scene.nodes:
        box, i = node.footprint(), index[node.x]
        lo[i], hi[i] = min(lo[i], box.x0), max(hi[i], box.x1)
    return list(zip(lo, hi, strict=True))


def column_groups(scene: Scene, max_width: float) -> list[tuple[int, int]]:
    """Runs of consecutive columns (first, last; 0-based) each no wider than `max_width`;
    each run starts at the previous run's last column when both fit together."""
    extents = _column_extents(scene)

    def width(a: int, b: int) -> float:
        return max(hi for _, hi in extents[a : b + 1]) - min(lo for lo, _ in extents[a : b + 1])

    groups: list[tuple[int, int]] = []
    first = 0
    while extents:
        last = first
        while last + 1 < len(extents) and width(first, last + 1) <= max_width:
            last += 1
        groups.append((first, last))
        if last == len(extents) - 1:
            break
        overlap = last > first and width(last, last + 1) <= max_width
        first = last if overlap else last + 1
    return groups


def _row_bands(nodes: Sequence[NodeDraw], max_height: float) -> list[list[NodeDraw]]:
    bands: list[list[NodeDraw]] = []
    top = 0.0
    for node in sorted(nodes, key=lambda n: (n.footprint().y0, n.x)):
        box = node.footprint()
        if not bands or box.y1 - top > max_height:
            bands.append([])
            top = box.y0
        bands[-1].append(node)
    return bands


def plan_tiles(scene: Scene, max_width: float, max_height: float = MAX_TILE_HEIGHT) -> list[Tile]:
    """The pages of `scene`, left to right, then top to bottom within each run of layers."""
    index = {x: i for i, x in enumerate(scene.columns)}
    tiles: list[Tile] = []
    for first, last in column_groups(scene, max_width):
        members = [n for n in scene.nodes if first <= index[n.x] <= last]
        bands = _row_bands(members, max_height)
        for part, band in enumerate(bands, start=1):
            view = union_all([n.footprint() for n in band]) or Box(0, 0, 0, 0)
            tiles.append(
                Tile(
                    number=len(tiles) + 1,
                    first=first + 1,
                    last=last + 1,
                    layers=len(scene.columns),
                    part=part,
                    parts=len(bands),
                    view=view,
                    nodes=tuple(band),
                )
            )
    return tiles


def tile_content(scene: Scene, tile: Tile, pages: int) -> PageContent:
    """What the page of `tile` draws: its nodes, every edge touching them, cut at the border."""
    ids = {n.id for n in tile.nodes}
    edges = [e for e in scene.edges if e.source in ids or e.target in ids]
    inner = [b for e in edges if e.source in ids and e.target in ids if (b := e.label_box())]
    view = tile.view
    wider = union_all([view, *inner])
    if wider is not None and wider.width <= tile.view.width + 1e-6:
        view = wider  # take in the labels of edges inside the page when the width allows
    clip = view.grown(MARGIN * 0.75)
    return PageContent(view, tile.nodes, edges, tile.lines(pages), clip)


def _tile_label(rect: Box, number: int, taken: BoxIndex) -> tuple[float, float, str] | None:
    """Where the page number goes by `rect` (x, baseline, anchor): a corner free of shapes
    and of other numbers, inside the rectangle or just above it."""
    text = f"page {number}"
    inside_top, inside_bottom = rect.y0 + 4 + ASCENT * TILE_FONT, rect.y1 - 4 - DESCENT * TILE_FONT
    above, below = rect.y0 - 4 - DESCENT * TILE_FONT, rect.y1 + 3 + ASCENT * TILE_FONT
    spots: list[tuple[float, float, str]] = []
    for y in (inside_top, above, inside_bottom, below):
        spots += [(rect.x0 + 4, y, "start"), (rect.x1 - 4, y, "end")]
    spots += [(rect.x0 + rect.width * k / 4, inside_top, "middle") for k in (1, 2, 3)]
    for x, baseline, anchor in spots:
        box = text_box((text,), x, baseline, TILE_FONT, anchor, bold=True).grown(1)
        if not taken.hits(box):
            taken.add(box)
            return x, baseline, anchor
    return None


def overview_markup(
    scene: Scene, caption: Sequence[str], tiles: Sequence[Tile], limit: float, prefix: str
) -> str:
    """The whole graph as shapes without text, scaled to `limit` wide, pages numbered."""
    bounds = scene.bounds()
    scale = min(
        1.0,
        (limit - 2 * MARGIN) / max(bounds.width, 1.0),
        OVERVIEW_MAX_HEIGHT / max(bounds.height, 1.0),
    )
    lines = [
        *caption,
        f"Overview: the whole graph without text, split into {len(tiles)} pages that draw "
        "every label readably; each numbered rectangle is one page",
    ]
    width = page_width(bounds.width * scale, lines, limit)
    caption_svg, caption_height = caption_markup(lines, width, prefix)
    ox = (width - bounds.width * scale) / 2
    oy = caption_height + MARGIN

    def at(x: float, y: float) -> tuple[float, float]:
        return ox + (x - bounds.x0) * scale, oy + (y - bounds.y0) * scale

    parts = ['<g class="overview">']
    for e in scene.edges:
        (x1, y1), (x2, y2) = at(e.x1, e.y1), at(e.x2, e.y2)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{EDGE_COLOR}" stroke-width="0.8"/>'
        )
    taken = BoxIndex()
    for n in scene.nodes:
        x, y = at(n.x, n.y)
        half = max(n.half * scale, 2.5)
        style = f'fill="{n.fill}" stroke="#333333" stroke-width="0.5"'
        parts.append(shape_markup(n.shape, x, y, half, style))
        taken.add(Box(x - half, y - half, x + half, y + half))
    for tile in tiles:
        (x0, y0), (x1, y1) = at(tile.view.x0, tile.view.y0), at(tile.view.x1, tile.view.y1)
        rect = Box(x0, y0, x1, y1)
        parts.append(
            f'<rect class="page" x="{x0:.1f}" y="{y0:.1f}" width="{rect.width:.1f}" '
            f'height="{rect.height:.1f}" fill="{TILE_COLOR}" fill-opacity="0.05" '
            f'stroke="{TILE_COLOR}" stroke-width="2"><title>page {tile.number}</title></rect>'
        )
        spot = _tile_label(rect, tile.number, taken)
        if spot is not None:
            x, baseline, anchor = spot
            parts.append(
                f'<text x="{x:.1f}" y="{baseline:.1f}" text-anchor="{anchor}" '
                f'font-size="{TILE_FONT:g}" font-weight="bold" fill="{TILE_COLOR}" '
                f'paint-order="stroke" stroke="#FFFFFF" stroke-width="3">'
                f"page {tile.number}</text>"
            )
    parts.append("</g>")
    height = oy + bounds.height * scale + MARGIN  # room for a page number under the last
    body = f"<defs>{markers(prefix)}</defs>" + "".join(parts) + caption_svg
    return svg_document(width, height, " | ".join(lines), body, "lineage-svg lineage-overview")
