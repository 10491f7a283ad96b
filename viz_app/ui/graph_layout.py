"""A deterministic left-to-right layered (Sugiyama-style) graph layout in pure Python.

Steps per connected component: break cycles (reverse DFS back edges), layer by longest
path from sources (sources pulled next to their first successor), order each layer by
barycenter sweeps, then place y with a least-squares pass that keeps `node_sep` gaps.
Long edges get no dummy nodes, so every step is O(V + E) per sweep (plus sorting).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final

ORDER_SWEEPS: Final = 4
PLACEMENT_PASSES: Final = 2
# Spacing that keeps labels (below nodes, <= ~160 px) apart while a depth-10 graph of about
# 100 vertices still fits at a zoom where labels show (see the stylesheet's label threshold).
RANK_SEP: Final = 180.0
NODE_SEP: Final = 60.0
CACHED_LAYOUTS: Final = 64


def layered_positions(
    node_ids: Iterable[str],
    edges: Iterable[tuple[str, str]],
    *,
    rank_sep: float = RANK_SEP,
    node_sep: float = NODE_SEP,
) -> dict[str, tuple[float, float]]:
    """Map every node id to an (x, y) position; edges point left to right (lineage flow).

    Edges naming unknown nodes and self-loops are ignored. Connected components are stacked
    top to bottom, largest first; single nodes are packed in a grid below them. The result
    depends only on the sets of ids and edges, not on their order. Coordinates are whole
    pixels; the last layouts are cached, so redraws of the same graph (a click, a search)
    and returning to a view do not lay it out again.
    """
    ids = tuple(sorted(set(node_ids)))
    index = {node: i for i, node in enumerate(ids)}
    pairs: set[tuple[int, int]] = set()
    for source, target in edges:
        i, j = index.get(source), index.get(target)
        if i is not None and j is not None and i != j:
            pairs.add((i, j))
    return dict(_layout(ids, frozenset(pairs), rank_sep, node_sep))


@lru_cache(maxsize=CACHED_LAYOUTS)
def _layout(
    ids: tuple[str, ...], pairs: frozenset[tuple[int, int]], rank_sep: float, node_sep: float
) -> dict[str, tuple[float, float]]:
    succ: list[list[int]] = [[] for _ in ids]
    for i, j in sorted(pairs):
        succ[i].append(j)
    pred: list[list[int]] = [[] for _ in ids]
    for i, targets in enumerate(succ):
        for j in targets:
            pred[j].append(i)

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


def _fit_with_gaps(desired: list[float], gap: float) -> list[float]:
    """Closest ys (least squares) to `desired` in the given order with at least `gap` between."""
    blocks: list[list[float]] = []  # [sum, count] of shifted targets, pooled when out of order
    for i, d in enumerate(desired):
        blocks.append([d - i * gap, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    fitted: list[float] = []
    for total, count in blocks:
        fitted.extend([total / count] * int(count))
    return [z + i * gap for i, z in enumerate(fitted)]


def _layout_component(
    nodes: list[int],
    succ: Sequence[list[int]],
    pred: Sequence[list[int]],
    rank_sep: float,
    node_sep: float,
) -> dict[int, tuple[float, float]]:
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

    y = {node: p * node_sep for node, p in pos.items()}
    both = {n: dag_pred[n] + dag_succ[n] for n in nodes}

    def place(row: list[int], neighbours: dict[int, list[int]]) -> None:
        desired = [
            sum(y[m] for m in neighbours[n]) / len(neighbours[n]) if neighbours[n] else y[n]
            for n in row
        ]
        for node, value in zip(row, _fit_with_gaps(desired, node_sep), strict=True):
            y[node] = value

    for _ in range(PLACEMENT_PASSES):
        for row in rows[1:]:
            place(row, dag_pred)
        for row in reversed(rows[:-1]):
            place(row, dag_succ)
    for row in rows:
        place(row, both)
    return {n: (layer[n] * rank_sep, y[n]) for n in nodes}
