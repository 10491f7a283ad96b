"""Read an SVG as a reader's renderer would: where every text and node outline ends up.

Positions, font sizes, anchors, lines (tspans) and translations come from the SVG itself;
only the glyph widths come from the DejaVu Sans table in `viz_app.render.svg_text`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from viz_app.render.svg_text import ASCENT, DESCENT, Box, text_width

NS = "{http://www.w3.org/2000/svg}"
_TRANSLATE_RE = re.compile(r"translate\(\s*([-\d.]+)[ ,]+([-\d.]+)\s*\)")


@dataclass(frozen=True)
class TextBox:
    """One <text> element: its box in page pixels, its font size, and what it belongs to."""

    box: Box
    size: float
    kind: str  # "node", "edge", "caption" or "other": the class of the nearest <g>
    text: str


def _offset(element: ET.Element) -> tuple[float, float]:
    dx = dy = 0.0
    if element.tag == f"{NS}svg":
        dx, dy = float(element.get("x", "0")), float(element.get("y", "0"))
    match = _TRANSLATE_RE.search(element.get("transform", ""))
    if match:
        dx, dy = dx + float(match.group(1)), dy + float(match.group(2))
    assert "scale" not in element.get("transform", ""), "text under a scale is not read here"
    return dx, dy


def _walk(
    element: ET.Element, ox: float, oy: float, kind: str
) -> Iterator[tuple[ET.Element, float, float, str]]:
    dx, dy = _offset(element)
    ox, oy = ox + dx, oy + dy
    if element.tag == f"{NS}g":
        classes = element.get("class", "").split()
        kind = next((c for c in ("node", "edge", "caption") if c in classes), kind)
    yield element, ox, oy, kind
    for child in element:
        yield from _walk(child, ox, oy, kind)


def _text_box(text: ET.Element, ox: float, oy: float) -> tuple[Box, float, str]:
    size = float(text.get("font-size", "16"))
    bold = text.get("font-weight") == "bold"
    anchor = text.get("text-anchor", "start")
    x, y = float(text.get("x", "0")), float(text.get("y", "0"))
    spans = list(text.iter(f"{NS}tspan"))
    lines: list[tuple[float, float, str]] = []
    if spans:
        for span in spans:
            x = float(span.get("x", x))
            y += float(span.get("dy", "0"))
            lines.append((x, y, span.text or ""))
    else:
        lines.append((x, y, text.text or ""))
    boxes = []
    for lx, ly, line in lines:
        width = text_width(line, size, bold=bold)
        left = {"middle": lx - width / 2, "end": lx - width}.get(anchor, lx)
        boxes.append(
            Box(left + ox, ly - ASCENT * size + oy, left + width + ox, ly + DESCENT * size + oy)
        )
    box = boxes[0]
    for other in boxes[1:]:
        box = box.union(other)
    return box, size, "\n".join(line for _, _, line in lines)


def _points_box(points: str) -> Box:
    pairs = [tuple(float(v) for v in p.split(",")) for p in points.split()]
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    return Box(min(xs), min(ys), max(xs), max(ys))


def read_svg(svg: str) -> tuple[float, list[TextBox], list[Box]]:
    """The SVG's width, every text box, and the box of every node outline (stroke included)."""
    root = ET.fromstring(svg)
    texts: list[TextBox] = []
    shapes: list[Box] = []
    for element, ox, oy, kind in _walk(root, 0.0, 0.0, "other"):
        if element.tag == f"{NS}text":
            box, size, content = _text_box(element, ox, oy)
            texts.append(TextBox(box, size, kind, content))
        elif kind == "node" and element.tag in (f"{NS}polygon", f"{NS}ellipse"):
            half_stroke = float(element.get("stroke-width", "1")) / 2
            if element.tag == f"{NS}polygon":
                box = _points_box(element.get("points", ""))
            else:
                cx, cy = float(element.get("cx", "0")), float(element.get("cy", "0"))
                rx, ry = float(element.get("rx", "0")), float(element.get("ry", "0"))
                box = Box(cx - rx, cy - ry, cx + rx, cy + ry)
            shapes.append(box.grown(half_stroke).shifted(ox, oy))
    return float(root.get("width", "0")), texts, shapes


def collisions(svg: str) -> list[str]:
    """Every pair of texts that overlap and every edge label over a node outline."""
    _, texts, shapes = read_svg(svg)
    found = []
    ordered = sorted(texts, key=lambda t: t.box.x0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.box.x0 >= a.box.x1:
                break
            if a.box.overlaps(b.box):
                found.append(f"{a.kind} {a.text!r} / {b.kind} {b.text!r}")
    for t in texts:
        if t.kind == "edge":
            found += [f"edge {t.text!r} over a node" for s in shapes if t.box.overlaps(s)]
    return found
