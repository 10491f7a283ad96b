"""Render positioned lineage elements as standalone, captioned, fully escaped SVG images.

`render_svg` draws the whole graph on one page at natural size (for zoomable viewers).
`render_pages` makes pictures a person can read when shown 1,600 px wide: one page when the
graph fits, else an overview plus pages along the layers (`viz_app.render.svg_tiles`).
`stack_pages` puts such pages into one SVG file, one under the other. No text is drawn over
other text: edge labels that would be are left out (see `viz_app.render.svg_scene`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from viz_app.render.svg_markup import (
    FONT_FAMILY,
    MARGIN,
    SMALLEST_FONT,
    PageContent,
    esc,
    page_markup,
)
from viz_app.render.svg_scene import Scene, build_scene
from viz_app.render.svg_tiles import overview_markup, plan_tiles, tile_content

__all__ = ["PAGE_WIDTH", "Caption", "esc", "max_page_width", "render_pages", "render_svg"]

PAGE_WIDTH: Final = 1600.0  # px: pages are made to be read at this width
MIN_READABLE: Final = 10.0  # px: no text smaller than this when a page is shown PAGE_WIDTH wide
STACK_GAP: Final = 24.0
_SIZE_RE: Final = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')


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


def max_page_width(page_width: float = PAGE_WIDTH) -> float:
    """The widest page whose smallest text is still MIN_READABLE px when shown `page_width` wide."""
    return page_width * SMALLEST_FONT / MIN_READABLE


def _whole(scene: Scene, caption: Caption, limit: float, prefix: str) -> str:
    content = PageContent(scene.bounds(), scene.nodes, scene.edges)
    return page_markup(caption.lines(), content, prefix, limit)


def render_svg(elements: Sequence[Mapping[str, Any]], caption: Caption) -> str:
    """The whole graph on one page at natural size, however wide, with labels and caption.

    `elements` are Cytoscape elements from `viz_app.ui.elements.to_elements` (nodes carry a
    `position`). Every string from the data is escaped; the result is a standalone SVG file.
    A wide result is meant for zooming (report.html); for pictures use `render_pages`.
    """
    return _whole(build_scene(elements), caption, max_page_width(), "lv-")


def render_pages(
    elements: Sequence[Mapping[str, Any]], caption: Caption, *, page_width: float = PAGE_WIDTH
) -> list[str]:
    """Standalone SVG pages whose text stays >= MIN_READABLE px when shown `page_width` wide.

    One page (as `render_svg`) when the graph fits; otherwise the overview first, then the
    pages, each captioned with the question, its place ("page 2 of 5 · layers 7-13 of 20")
    and the legend. Ids are unique across the pages, so `stack_pages` can join them.
    """
    scene = build_scene(elements)
    limit = max_page_width(page_width)
    if scene.bounds().width + 2 * MARGIN <= limit:
        return [_whole(scene, caption, limit, "lv-")]
    tiles = plan_tiles(scene, limit - 2 * MARGIN)
    if len(tiles) < 2:  # one layer wider than a page: nothing to split along
        return [_whole(scene, caption, limit, "lv-")]
    lines = caption.lines()
    pages = [
        page_markup(lines, tile_content(scene, tile, len(tiles)), f"lv-p{tile.number}-", limit)
        for tile in tiles
    ]
    return [overview_markup(scene, lines, tiles, limit, "lv-o-"), *pages]


def svg_size(svg: str) -> tuple[float, float]:
    """The width and height attributes of the outer `<svg>` (1200 x 800 if missing)."""
    match = _SIZE_RE.search(svg)
    if match is None:
        return 1200.0, 800.0
    return float(match.group(1)), float(match.group(2))


def stack_pages(pages: Sequence[str], caption: Caption | None = None) -> str:
    """Pages from `render_pages` in one SVG file, one under the other (one page: itself)."""
    if len(pages) == 1:
        return pages[0]
    sizes = [svg_size(page) for page in pages]
    width = max(w for w, _ in sizes)
    parts, top = [], 0.0
    for page, (_, h) in zip(pages, sizes, strict=True):
        parts.append(page.replace("<svg ", f'<svg x="0" y="{top:.0f}" ', 1))
        top += h + STACK_GAP
    height = top - STACK_GAP
    summary = esc(" | ".join(caption.lines()) if caption else f"{len(pages)} pages")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage-svg lineage-stack" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="{FONT_FAMILY}" role="img" aria-label="{summary}">'
        f"<title>{summary}</title>"
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#DDDDDD"/>'
        f"{''.join(parts)}</svg>"
    )
