"""A deterministic left-to-right layered (Sugiyama-style) graph layout in pure Python.

Steps per connected component: break cycles (reverse DFS back edges), layer by longest
path from sources (sources pulled next to their first successor), order each layer by
barycenter sweeps, then place y with a least-squares pass that keeps every node's box
(shape plus its label below) clear of its neighbours'. Layers sit as far apart as their
widest labels need. Long edges get no dummy nodes, so every step is O(V + E) per sweep.

A graph much taller than the window (thousands of vertices in a few layers) would be a
strip nobody can read, so layers taller than the aspect wants are folded into several
columns, and components are packed in rows rather than stacked.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final

ORDER_SWEEPS: Final = 4
PLACEMENT_PASSES: Final = 2
# Without boxes: spacing that keeps one-line labels (below nodes, <= ~160 px) apart.
RANK_SEP: Final = 180.0
NODE_SEP: Final = 60.0
# With boxes: the least distance between layers, and the air between neighbouring boxes.
MIN_RANK_SEP: Final = 120.0
H_GAP: Final = 28.0
V_GAP: Final = 10.0
ASPECT: Final = 0.62  # height / width the layout aims at (a laptop's graph area)
CACHED_LAYOUTS: Final = 64

Box = tuple[float, float, float]  # half width, extent above the centre, extent below it


def layered_positions(
    node_ids: Iterable[str],
    edges: Iterable[tuple[str, str]],
    *,
    rank_sep: float = RANK_SEP,
    node_sep: float = NODE_SEP,
    boxes: dict[str, Box] | None = None,
    anchor: str | None = None,
) -> dict[str, tuple[float, float]]:
    """Map every node id to an (x, y) position; edges point left to right (lineage flow).

    Edges naming unknown nodes and self-loops are ignored. Without `boxes`, layers are
    `rank_sep` apart and nodes `node_sep`, and components are stacked top to bottom,
    largest first, single nodes in a grid below them. With `boxes` (node id -> half width,
    extent above and below the centre, label included), spacing follows the boxes
    (`rank_sep` and `node_sep` are then minimums), tall layers fold into columns and
    components are packed in rows, aiming at `ASPECT`; folded columns keep `anchor` (the
    start) next to its neighbours. The result depends only on the sets
    of ids and edges, not on their order. Coordinates are whole pixels; the last layouts
    are cached, so redraws of the same graph and returning to a view do not lay it out again.
    """
    ids = tuple(sorted(set(node_ids)))
    index = {node: i for i, node in enumerate(ids)}
    pairs: set[tuple[int, int]] = set()
    for source, target in edges:
        i, j = index.get(source), index.get(target)
        if i is not None and j is not None and i != j:
            pairs.add((i, j))
    if boxes is not None:
        default = (rank_sep / 2, node_sep / 2, node_sep / 2)
        sized = tuple(boxes.get(node, default) for node in ids)
        fixed = index.get(anchor) if anchor is not None else None
        return dict(_boxed_layout(ids, frozenset(pairs), sized, min(rank_sep, MIN_RANK_SEP), fixed))
    return dict(_layout(ids, frozenset(pairs), rank_sep, node_sep))


@lru_cache(maxsize=CACHED_LAYOUTS)
def _layout(
    ids: tuple[str, ...], pairs: frozenset[tuple[int, int]], rank_sep: float, node_sep: float
) -> dict[str, tuple[float, float]]:
    succ, pred = _adjacency(len(ids), pairs)

    positions: dict[str, tuple[float, float]] = {}
    components = _components(succ, pred)
    singles = [c[0] for c in components if len(c) == 1]
    top = 0.0
    for component in components:
        if len(component) == 1:
            continue
        coords = _layout_component(component, succ, pred, rank_sep, node_sep)
        y_min = min(y for _, y in coords.values())
        y_max = max(y for _, y in coords.values())
        for node, (x, y) in coords.items():
            positions[ids[node]] = (round(x), round(y - y_min + top))
        top += y_max - y_min + 2 * node_sep
    columns = max(1, int(len(singles) ** 0.5 + 0.999))
    for k, node in enumerate(singles):
        row, column = divmod(k, columns)
        positions[ids[node]] = (round(column * rank_sep), round(top + row * node_sep))
    return positions


def _adjacency(
    count: int, pairs: frozenset[tuple[int, int]]
) -> tuple[list[list[int]], list[list[int]]]:
    """Successor and predecessor lists of `count` nodes, each in a fixed (sorted) order."""
    succ: list[list[int]] = [[] for _ in range(count)]
    for i, j in sorted(pairs):
        succ[i].append(j)
    pred: list[list[int]] = [[] for _ in range(count)]
    for i, targets in enumerate(succ):
        for j in targets:
            pred[j].append(i)
    return succ, pred


def _components(succ: Sequence[list[int]], pred: Sequence[list[int]]) -> list[list[int]]:
    """Weakly connected components, each sorted, largest first then by smallest node."""
    seen = [False] * len(succ)
    components: list[list[int]] = []
    for root in range(len(succ)):
        if seen[root]:
            continue
        seen[root] = True
        stack, members = [root], [root]
        while stack:
            node = stack.pop()
            for other in (*succ[node], *pred[node]):
                if not seen[other]:
                    seen[other] = True
                    stack.append(other)
                    members.append(other)
        components.append(sorted(members))
    components.sort(key=lambda c: (-len(c), c[0]))
    return components


def _acyclic(
    nodes: list[int], succ: Sequence[list[int]], pred: Sequence[list[int]]
) -> tuple[dict[int, list[int]], dict[int, list[int]], list[int]]:
    """DAG successors/predecessors (DFS back edges reversed) and the DFS preorder."""
    state = dict.fromkeys(nodes, 0)  # 0 new, 1 on stack, 2 done
    dag_succ: dict[int, list[int]] = {n: [] for n in nodes}
    dag_pred: dict[int, list[int]] = {n: [] for n in nodes}
    preorder: list[int] = []
    roots = [n for n in nodes if not pred[n]] + nodes  # sources first, then whatever is left
    for root in roots:
        if state[root]:
            continue
        state[root] = 1
        preorder.append(root)
        stack: list[tuple[int, int]] = [(root, 0)]
        while stack:
            node, k = stack[-1]
            if k == len(succ[node]):
                state[node] = 2
                stack.pop()
                continue
            stack[-1] = (node, k + 1)
            child = succ[node][k]
            if state[child] == 1:  # back edge: reverse it
                dag_succ[child].append(node)
                dag_pred[node].append(child)
                continue
            dag_succ[node].append(child)
            dag_pred[child].append(node)
            if state[child] == 0:
                state[child] = 1
                preorder.append(child)
                stack.append((child, 0))
    return dag_succ, dag_pred, preorder


def _layers(
    nodes: list[int], dag_succ: dict[int, list[int]], dag_pred: dict[int, list[int]]
) -> dict[int, int]:
    """Longest-path layers from the sources; sources then move right next to their successors."""
    indegree = {n: len(dag_pred[n]) for n in nodes}
    layer = dict.fromkeys(nodes, 0)
    ready = [n for n in nodes if indegree[n] == 0]
    while ready:
        node = ready.pop()
        for child in dag_succ[node]:
            if layer[node] + 1 > layer[child]:
                layer[child] = layer[node] + 1
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    for node in nodes:
        if not dag_pred[node] and dag_succ[node]:
            layer[node] = min(layer[c] for c in dag_succ[node]) - 1
    return layer


def _fit_with_gaps(desired: list[float], gap: float | list[float]) -> list[float]:
    """Closest ys (least squares) to `desired` in the given order with at least `gap` between
    neighbours (`gap[i]`: between item i and i + 1, when a list)."""
    offsets = [0.0] * len(desired)
    for i in range(1, len(desired)):
        offsets[i] = offsets[i - 1] + (gap[i - 1] if isinstance(gap, list) else gap)
    blocks: list[list[float]] = []  # [sum, count] of shifted targets, pooled when out of order
    for i, d in enumerate(desired):
        blocks.append([d - offsets[i], 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    fitted: list[float] = []
    for total, count in blocks:
        fitted.extend([total / count] * int(count))
    return [z + offsets[i] for i, z in enumerate(fitted)]


def _ordered_rows(
    nodes: list[int], succ: Sequence[list[int]], pred: Sequence[list[int]]
) -> tuple[list[list[int]], dict[int, list[int]], dict[int, list[int]], dict[int, int]]:
    """Layers of a component, each ordered by barycenter sweeps (DAG neighbours, layers)."""
    dag_succ, dag_pred, preorder = _acyclic(nodes, succ, pred)
    layer = _layers(nodes, dag_succ, dag_pred)
    depth = max(layer.values()) + 1
    rows: list[list[int]] = [[] for _ in range(depth)]
    for node in preorder:
        rows[layer[node]].append(node)

    pos: dict[int, float] = {}

    def settle(row: list[int]) -> None:
        middle = (len(row) - 1) / 2
        for k, node in enumerate(row):
            pos[node] = k - middle

    for row in rows:
        settle(row)

    def reorder(row: list[int], neighbours: dict[int, list[int]]) -> None:
        def key(node: int) -> tuple[float, float]:
            near = neighbours[node]
            bary = sum(pos[m] for m in near) / len(near) if near else pos[node]
            return (bary, pos[node])

        row.sort(key=key)
        settle(row)

    for _ in range(ORDER_SWEEPS):
        for row in rows[1:]:
            reorder(row, dag_pred)
        for row in reversed(rows[:-1]):
            reorder(row, dag_succ)
    return rows, dag_succ, dag_pred, layer


def _place_ys(
    rows: list[list[int]],
    dag_succ: dict[int, list[int]],
    dag_pred: dict[int, list[int]],
    gaps: dict[int, list[float]],
) -> dict[int, float]:
    """Ys near the neighbours' mean, in each row's order, `gaps[row][i]` apart at least."""
    y: dict[int, float] = {}
    for r, row in enumerate(rows):
        at = 0.0
        for k, node in enumerate(row):
            y[node] = at
            if k < len(row) - 1:
                at += gaps[r][k]
        for node in row:
            y[node] -= at / 2
    both = {n: dag_pred[n] + dag_succ[n] for row in rows for n in row}

    def place(r: int, neighbours: dict[int, list[int]]) -> None:
        row = rows[r]
        desired = [
            sum(y[m] for m in neighbours[n]) / len(neighbours[n]) if neighbours[n] else y[n]
            for n in row
        ]
        for node, value in zip(row, _fit_with_gaps(desired, gaps[r]), strict=True):
            y[node] = value

    for _ in range(PLACEMENT_PASSES):
        for r in range(1, len(rows)):
            place(r, dag_pred)
        for r in reversed(range(len(rows) - 1)):
            place(r, dag_succ)
    for r in range(len(rows)):
        place(r, both)
    return y


def _layout_component(
    nodes: list[int],
    succ: Sequence[list[int]],
    pred: Sequence[list[int]],
    rank_sep: float,
    node_sep: float,
) -> dict[int, tuple[float, float]]:
    rows, dag_succ, dag_pred, layer = _ordered_rows(nodes, succ, pred)
    gaps = {r: [node_sep] * max(len(row) - 1, 0) for r, row in enumerate(rows)}
    y = _place_ys(rows, dag_succ, dag_pred, gaps)
    return {n: (layer[n] * rank_sep, y[n]) for n in nodes}


def _boxed_component(
    nodes: list[int],
    succ: Sequence[list[int]],
    pred: Sequence[list[int]],
    boxes: Sequence[Box],
    min_rank: float,
    anchor: int | None,
) -> dict[int, tuple[float, float]]:
    """One component laid out by its boxes. If it would be a strip (much taller than
    `ASPECT` wants), rows taller than the fold height become several columns; the columns
    that hold `anchor` (the start) and its neighbours sit next to each other."""
    rows, dag_succ, dag_pred, _ = _ordered_rows(nodes, succ, pred)
    gaps = {
        r: [boxes[a][2] + boxes[b][1] + V_GAP for a, b in itertools.pairwise(row)]
        for r, row in enumerate(rows)
    }
    y = _place_ys(rows, dag_succ, dag_pred, gaps)
    halves = [max(boxes[n][0] for n in row) for row in rows]
    spans = [
        max(y[n] + boxes[n][2] for n in row) - min(y[n] - boxes[n][1] for n in row) for row in rows
    ]
    width = sum(2 * h + H_GAP for h in halves)
    fold: float | None = None
    if max(spans) > ASPECT * width * 1.5 and len(nodes) > 12:
        area = sum((2 * boxes[n][0] + H_GAP) * (boxes[n][1] + boxes[n][2] + V_GAP) for n in nodes)
        fold = max(math.sqrt(area * ASPECT), 6 * (boxes[nodes[0]][1] * 2 + V_GAP))
    after = set(succ[anchor]) if anchor is not None else set()
    before = set(pred[anchor]) if anchor is not None else set()
    columns: list[tuple[list[int], float]] = []  # (nodes, half width) left to right
    anchor_y: float | None = None  # where the start ended up, once its row is placed
    for row, half, span in zip(rows, halves, spans, strict=True):
        if fold is None or span <= fold:
            columns.append((row, half))
            if anchor in row:
                anchor_y = y[anchor]
            continue
        ordered = sorted(row, key=lambda n: y[n])
        # The start's successors (a row after it) or predecessors (a row before it) as one
        # block, at the end of the row that meets the start's column: spread over the row by
        # their other neighbours, they would sit thousands of pixels from the start.
        block = after if anchor_y is not None else before
        mine = [n for n in ordered if n in block] if anchor not in row else []
        if mine:
            rest = [n for n in ordered if n not in block]
            ordered = mine + rest if anchor_y is not None else rest + mine
        size = math.ceil(len(ordered) / min(len(row), math.ceil(span / fold)))
        if mine:  # the block in one column, as far as the fold height allows
            tall = max(boxes[n][1] + boxes[n][2] + V_GAP for n in mine)
            size = max(size, min(len(mine), int(fold // tall)))
        chunks = [ordered[k : k + size] for k in range(0, len(ordered), size)]
        chunks = _near_anchor_first(chunks, anchor, after, before)
        for i, chunk in enumerate(chunks):
            if mine and block.intersection(chunk):
                _restack(chunk, y, boxes)  # its row's spacing no longer holds in the new order
            centre = sum(y[n] for n in chunk) / len(chunk)
            near = [y[n] for n in chunk if n in after]
            if i == 0 and near and anchor_y is not None:
                # The start's successors at the start's height, right next to its column.
                centre = sum(near) / len(near) - anchor_y
            for n in chunk:
                y[n] -= centre
            if anchor in chunk:
                anchor_y = y[anchor]
            columns.append((chunk, half))
    if anchor is not None and before:
        _beside_anchor(columns, y, anchor, before)
    out: dict[int, tuple[float, float]] = {}
    x = 0.0
    previous = 0.0
    for i, (column, half) in enumerate(columns):
        if i:
            x += max(previous + half + H_GAP, min_rank)
        previous = half
        for n in column:
            out[n] = (x, y[n])
    return out


def _restack(chunk: list[int], y: dict[int, float], boxes: Sequence[Box]) -> None:
    """Stack a column's nodes top to bottom in its order, each box clear of the one above."""
    at = 0.0
    for k, n in enumerate(chunk):
        if k:
            at += boxes[chunk[k - 1]][2] + boxes[n][1] + V_GAP
        y[n] = at


def _beside_anchor(
    columns: list[tuple[list[int], float]], y: dict[int, float], anchor: int, before: set[int]
) -> None:
    """Move the column just left of the start's, if it holds predecessors of the start, up or
    down so that they sit level with it. (Columns are separate stacks, so nothing comes to
    overlap. The start's successors were levelled as their row was folded: the start's
    height was known by then.)"""
    k = next(i for i, (column, _) in enumerate(columns) if anchor in column)
    if k == 0:
        return
    left = columns[k - 1][0]
    preds = [n for n in left if n in before]
    if not preds:
        return
    shift = y[anchor] - sum(y[n] for n in preds) / len(preds)
    for n in left:
        y[n] += shift


def _near_anchor_first(
    chunks: list[list[int]], anchor: int | None, after: set[int], before: set[int]
) -> list[list[int]]:
    """Order a folded row's columns so that the start and its neighbours meet: the start's
    column goes next to the row its successors are in (last), the column with most of its
    successors first, the column with most of its predecessors last."""
    if anchor is None:
        return chunks

    def moved(index: int, to_end: bool) -> list[list[int]]:
        rest = chunks[:index] + chunks[index + 1 :]
        return [*rest, chunks[index]] if to_end else [chunks[index], *rest]

    for i, chunk in enumerate(chunks):
        if anchor in chunk:
            return moved(i, to_end=bool(after))
    succ_counts = [len(after.intersection(chunk)) for chunk in chunks]
    if max(succ_counts) > 0:
        return moved(succ_counts.index(max(succ_counts)), to_end=False)
    pred_counts = [len(before.intersection(chunk)) for chunk in chunks]
    if max(pred_counts) > 0:
        return moved(pred_counts.index(max(pred_counts)), to_end=True)
    return chunks


def _extent(coords: dict[int, tuple[float, float]], boxes: Sequence[Box]) -> tuple[float, ...]:
    """(left, top, right, bottom) of the boxes at `coords`."""
    return (
        min(x - boxes[n][0] for n, (x, _) in coords.items()),
        min(y - boxes[n][1] for n, (_, y) in coords.items()),
        max(x + boxes[n][0] for n, (x, _) in coords.items()),
        max(y + boxes[n][2] for n, (_, y) in coords.items()),
    )


@lru_cache(maxsize=CACHED_LAYOUTS)
def _boxed_layout(
    ids: tuple[str, ...],
    pairs: frozenset[tuple[int, int]],
    boxes: tuple[Box, ...],
    min_rank: float,
    anchor: int | None,
) -> dict[str, tuple[float, float]]:
    succ, pred = _adjacency(len(ids), pairs)
    laid: list[tuple[dict[int, tuple[float, float]], tuple[float, ...]]] = []
    for component in _components(succ, pred):
        inside = anchor if anchor is not None and anchor in set(component) else None
        coords = _boxed_component(component, succ, pred, boxes, min_rank, inside)
        laid.append((coords, _extent(coords, boxes)))
    # Components in rows (shelves), largest first, so many small ones do not make a strip.
    total = sum((b[2] - b[0] + 2 * H_GAP) * (b[3] - b[1] + 2 * V_GAP) for _, b in laid)
    shelf_width = max([b[2] - b[0] for _, b in laid] + [math.sqrt(total / ASPECT) if laid else 0.0])
    positions: dict[str, tuple[float, float]] = {}
    left = top = shelf_height = 0.0
    for coords, (x0, y0, x1, y1) in laid:
        if left > 0 and left + (x1 - x0) > shelf_width:
            left, top, shelf_height = 0.0, top + shelf_height + 4 * V_GAP, 0.0
        for node, (x, y) in coords.items():
            positions[ids[node]] = (round(x - x0 + left), round(y - y0 + top))
        left += x1 - x0 + 2 * H_GAP
        shelf_height = max(shelf_height, y1 - y0)
    return positions
