"""Text boxes for the evidence SVG: DejaVu Sans advance widths and a grid of occupied boxes.

Chromium draws the SVG with DejaVu Sans (fonts-dejavu-core), so the widths below are that
font's advance widths in thousandths of an em (regular and bold, ASCII 32-126), read from the
font's `hmtx` table. Characters not listed count as a full em, which over-estimates any other
Latin glyph; `SAFETY` leaves room for kerning and hinting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

ASCENT: Final = 1901 / 2048  # DejaVu Sans hhea ascender / descender, in em
DESCENT: Final = 483 / 2048
LINE_SPACING: Final = 1.2  # baseline to baseline, in em, for multi-line labels
SAFETY: Final = 1.04
UNKNOWN_WIDTH: Final = 1000

_ASCII: Final = "".join(chr(code) for code in range(32, 127))
_REGULAR_WIDTHS: Final = (
    "318,401,460,838,636,950,780,275,390,390,500,838,318,361,318,337,636,636,636,636,636,636,"
    "636,636,636,636,337,337,838,838,838,531,1000,684,686,698,770,632,575,775,752,295,295,656,"
    "557,863,748,787,603,787,695,635,611,732,684,989,685,611,685,390,337,390,838,500,500,613,"
    "635,550,635,615,352,635,634,278,278,579,278,974,634,612,635,635,411,521,392,634,592,818,"
    "592,592,525,636,337,636,838"
)
_BOLD_WIDTHS: Final = (
    "348,456,521,838,696,1002,872,306,457,457,523,838,380,415,380,365,696,696,696,696,696,696,"
    "696,696,696,696,400,400,838,838,838,580,1000,774,762,734,830,683,683,821,837,372,372,775,"
    "637,995,837,850,733,850,770,720,682,812,774,1103,771,724,725,457,365,457,838,500,500,675,"
    "716,593,716,678,435,716,712,343,343,665,343,1042,712,687,716,716,493,595,478,712,652,924,"
    "645,652,582,712,365,712,838"
)
_EXTRA: Final = {"·": 318, "…": 1000, "–": 500, "—": 1000, "→": 838}


def _table(widths: str) -> dict[str, int]:
    table = dict(zip(_ASCII, (int(w) for w in widths.split(",")), strict=True))
    return {**table, **_EXTRA}


REGULAR: Final = _table(_REGULAR_WIDTHS)
BOLD: Final = _table(_BOLD_WIDTHS)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The drawn width of one line of `text` at `size` px (an upper bound, not an estimate)."""
    table = BOLD if bold else REGULAR
    return sum(table.get(ch, UNKNOWN_WIDTH) for ch in text) * size / 1000 * SAFETY


def line_height(size: float) -> float:
    """Baseline-to-baseline distance of multi-line text at `size` px."""
    return round(size * LINE_SPACING, 1)


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: left, top, right, bottom."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def overlaps(self, other: Box) -> bool:
        """True when the interiors intersect (touching edges do not count)."""
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def inside(self, other: Box) -> bool:
        return (
            other.x0 <= self.x0
            and self.x1 <= other.x1
            and other.y0 <= self.y0 <= self.y1 <= other.y1
        )

    def grown(self, pad: float) -> Box:
        return Box(self.x0 - pad, self.y0 - pad, self.x1 + pad, self.y1 + pad)

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0), min(self.y0, other.y0),
            max(self.x1, other.x1), max(self.y1, other.y1),
        )  # fmt: skip


def union_all(boxes: Sequence[Box]) -> Box | None:
    """The smallest box around all of `boxes` (None for none)."""
    if not boxes:
        return None
    out = boxes[0]
    for box in boxes[1:]:
        out = out.union(box)
    return out


def text_box(
    lines: Sequence[str], x: float, baseline: float, size: float, anchor: str, *, bold: bool = False
) -> Box:
    """The box a reader's font gives `lines` drawn from the first baseline at (x, baseline)."""
    width = max((text_width(line, size, bold=bold) for line in lines), default=0.0)
    left = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
    bottom = baseline + line_height(size) * (len(lines) - 1) + DESCENT * size
    return Box(left, baseline - ASCENT * size, left + width, bottom)


class BoxIndex:
    """Occupied boxes in a coarse grid, so each overlap test looks at a few neighbours only."""

    CELL: Final = 64.0

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Box]] = defaultdict(list)

    def _keys(self, box: Box) -> Iterator[tuple[int, int]]:
        c = self.CELL
        for i in range(int(box.x0 // c), int(box.x1 // c) + 1):
            for j in range(int(box.y0 // c), int(box.y1 // c) + 1):
                yield i, j

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self._cells[key].append(box)

    def hits(self, box: Box) -> bool:
        """True when `box` overlaps any box added so far."""
        return any(
            box.overlaps(other) for key in self._keys(box) for other in self._cells.get(key, ())
        )
