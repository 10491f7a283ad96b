"""A layout grouped by pipeline run: each run's vertices laid out as one framed block.

Each group (a run, see `viz_app.ui.runs`) is laid out on its own with the layered layout
(`graph_layout.layered_positions`, edges inside it only), as are the vertices shared by
several runs. The blocks are then packed in rows aiming at the window's aspect, the shared
block first, then the runs, biggest first. A group's frame is its block's extent plus a
margin and a title band, and frames never overlap: that is what makes a big view of many
projects read as a list of runs instead of one tangle.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from viz_app.ui.graph_layout import ASPECT, Box, layered_positions

FRAME_PAD: Final = 30.0  # between a frame and the boxes inside it
TITLE_PX: Final = 15.0  # a frame title's least font size (model px)
MAX_TITLE_PX: Final = 200.0
# The band atop a frame holds its title where node labels are read (zoom >= 10/12: at most
# 18 model px); zoomed further out, the title is drawn bigger over the frame's middle.
TITLE_BAND: Final = 36.0
TITLE_CHAR: Final = 0.7  # a bold title character's estimated width, in font sizes
BLOCK_GAP: Final = 48.0  # between two frames (or a frame and the shared block)
SHARED: Final = ""  # the group id of the vertices no run owns


@dataclass(frozen=True)
class Frame:
    """A group's frame: its title, member count and rectangle (left, top, right, bottom)."""

    group: str
    title: str
    count: int
    rect: tuple[float, float, float, float]
    font_px: float  # the biggest the title can be drawn (it fits the frame's width)


def _block(
    members: list[str],
    edges: list[tuple[str, str]],
    boxes: Mapping[str, Box],
    anchor: str | None,
) -> tuple[dict[str, tuple[float, float]], tuple[float, float, float, float]]:
    inside = set(members)
    positions = layered_positions(
        members,
        [(s, t) for s, t in edges if s in inside and t in inside],
        boxes={m: boxes[m] for m in members},
        anchor=anchor if anchor in inside else None,
    )
    extent = (
        min(x - boxes[m][0] for m, (x, _) in positions.items()),
        min(y - boxes[m][1] for m, (_, y) in positions.items()),
        max(x + boxes[m][0] for m, (x, _) in positions.items()),
        max(y + boxes[m][2] for m, (_, y) in positions.items()),
    )
    return positions, extent


def grouped_positions(
    node_ids: Iterable[str],
    edges: Iterable[tuple[str, str]],
    boxes: Mapping[str, Box],
    groups: Mapping[str, str],
    titles: Mapping[str, str],
    *,
    anchor: str | None = None,
) -> tuple[dict[str, tuple[float, float]], list[Frame]]:
    """Positions of every node, and one frame per group.

    `groups` maps node ids to a group id (nodes not in it are shared), `titles` group ids to
    the text of their frame. Deterministic: the result depends only on the sets given.
    """
    ids = sorted(set(node_ids))
    edge_list = sorted(set(edges))
    members: dict[str, list[str]] = {}
    for node in ids:
        members.setdefault(groups.get(node, SHARED), []).append(node)
    order = sorted(members, key=lambda g: (g != SHARED, -len(members[g]), g))
    blocks = []
    for group in order:
        coords, (x0, y0, x1, y1) = _block(members[group], edge_list, boxes, anchor)
        font = 0.0
        if group != SHARED:
            # The title may grow as big as the block's width allows (readable zoomed out,
            # where a big view opens on its overview), never smaller than TITLE_PX.
            chars = max(len(titles.get(group, group)), 1) * TITLE_CHAR
            font = min(MAX_TITLE_PX, max(TITLE_PX, (x1 - x0) / chars))
            x1 = max(x1, x0 + chars * font - 2 * FRAME_PAD)
            top = y0 - FRAME_PAD - TITLE_BAND
            x0, y0, x1, y1 = x0 - FRAME_PAD, top, x1 + FRAME_PAD, y1 + FRAME_PAD
        blocks.append((group, coords, (x0, y0, x1, y1), font))
    # The shared vertices (hubs such as a common image) in a column on the left, level with
    # the middle of the frames, which are packed in rows to their right.
    shared = blocks.pop(0) if blocks and blocks[0][0] == SHARED else None
    origin = shared[2][2] - shared[2][0] + BLOCK_GAP if shared else 0.0
    area = sum((b[2] - b[0] + BLOCK_GAP) * (b[3] - b[1] + BLOCK_GAP) for _, _, b, _ in blocks)
    shelf = max([b[2] - b[0] for _, _, b, _ in blocks] + [math.sqrt(area / ASPECT)])
    positions: dict[str, tuple[float, float]] = {}
    frames: list[Frame] = []
    left, top, shelf_height = origin, 0.0, 0.0
    for group, coords, (x0, y0, x1, y1), font in blocks:
        if left > origin and left + (x1 - x0) > origin + shelf:
            left, top, shelf_height = origin, top + shelf_height + BLOCK_GAP, 0.0
        dx, dy = left - x0, top - y0
        for node, (x, y) in coords.items():
            positions[node] = (round(x + dx), round(y + dy))
        if group != SHARED:
            rect = (round(left), round(top), round(x1 + dx), round(y1 + dy))
            frames.append(Frame(group, titles.get(group, group), len(coords), rect, font))
        left += x1 - x0 + BLOCK_GAP
        shelf_height = max(shelf_height, y1 - y0)
    if shared is not None:
        _, coords, (x0, y0, x1, y1), _ = shared
        dy = (top + shelf_height - (y1 - y0)) / 2 - y0 if blocks else -y0
        for node, (x, y) in coords.items():
            positions[node] = (round(x - x0), round(y + max(dy, -y0)))
    return positions, frames
