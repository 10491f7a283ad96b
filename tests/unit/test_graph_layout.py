"""Tests for the pure-Python layered layout."""

from __future__ import annotations

import itertools
import random

import pytest

from viz_app.ui.graph_layout import layered_positions


def random_dag(n: int, m: int, seed: int) -> tuple[list[str], list[tuple[str, str]]]:
    rnd = random.Random(seed)
    nodes = [f"v{i:04d}" for i in range(n)]
    order = nodes[:]
    rnd.shuffle(order)  # a hidden topological order, unrelated to the ids' order
    edges: set[tuple[str, str]] = set()
    while len(edges) < m:
        i, j = sorted(rnd.sample(range(n), 2))
        edges.add((order[i], order[j]))
    return nodes, sorted(edges)


def test_every_dag_edge_points_left_to_right() -> None:
    for seed in range(5):
        nodes, edges = random_dag(120, 300, seed)
        pos = layered_positions(nodes, edges)
        assert all(pos[s][0] < pos[t][0] for s, t in edges)


def test_positions_are_distinct_for_every_node() -> None:
    nodes, edges = random_dag(300, 700, 11)
    pos = layered_positions(nodes, edges)
    assert set(pos) == set(nodes)
    assert len(set(pos.values())) == len(nodes)


def test_nodes_in_one_layer_keep_the_minimum_gap() -> None:
    nodes, edges = random_dag(200, 400, 3)
    pos = layered_positions(nodes, edges, node_sep=50)
    columns: dict[float, list[float]] = {}
    for x, y in pos.values():
        columns.setdefault(x, []).append(y)
    for ys in columns.values():
        ys.sort()
        assert all(b - a >= 50 - 1e-6 for a, b in itertools.pairwise(ys))


def test_layout_is_deterministic_whatever_the_input_order() -> None:
    nodes, edges = random_dag(150, 320, 5)
    first = layered_positions(nodes, edges)
    assert layered_positions(nodes, edges) == first
    assert layered_positions(list(reversed(nodes)), list(reversed(edges))) == first


def test_a_chain_uses_one_layer_per_node_spaced_by_rank_sep() -> None:
    pos = layered_positions(["a", "b", "c"], [("a", "b"), ("b", "c")], rank_sep=100)
    assert [pos[n][0] for n in "abc"] == [0, 100, 200]
    assert pos["a"][1] == pos["b"][1] == pos["c"][1]


def test_a_late_source_sits_just_left_of_its_target() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("late", "d")]
    pos = layered_positions(["a", "b", "c", "d", "late"], edges, rank_sep=10)
    assert pos["late"][0] == pos["c"][0]


def test_cycles_are_laid_out_with_distinct_positions() -> None:
    nodes = ["a", "b", "c", "d"]
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "d")]
    pos = layered_positions(nodes, edges)
    assert set(pos) == set(nodes)
    assert len(set(pos.values())) == 4
    assert layered_positions(nodes, list(reversed(edges))) == pos


def test_disconnected_components_are_stacked_without_overlap() -> None:
    edges = [("a1", "a2"), ("a2", "a3"), ("a1", "a4"), ("b1", "b2")]
    nodes = ["a1", "a2", "a3", "a4", "b1", "b2", "lonely"]
    pos = layered_positions(nodes, edges)
    a_bottom = max(pos[n][1] for n in nodes if n.startswith("a"))
    b_top = min(pos[n][1] for n in ("b1", "b2"))
    assert b_top > a_bottom
    assert pos["lonely"][1] > max(pos["b1"][1], pos["b2"][1])
    assert len(set(pos.values())) == len(nodes)


def test_a_single_isolated_node_gets_a_position() -> None:
    assert layered_positions(["start"], []) == {"start": (0.0, 0.0)}
    assert layered_positions([], []) == {}


def test_edges_to_unknown_nodes_are_ignored() -> None:
    pos = layered_positions(["a", "b"], [("a", "b"), ("a", "ghost")])
    assert set(pos) == {"a", "b"}
    assert pos["a"][0] < pos["b"][0]


def test_a_simple_crossing_is_untangled() -> None:
    edges = [("a", "y"), ("b", "x"), ("a", "p"), ("b", "q")]
    pos = layered_positions(["a", "b", "p", "q", "x", "y"], edges)

    def crosses(e: tuple[str, str], f: tuple[str, str]) -> bool:
        return (pos[e[0]][1] - pos[f[0]][1]) * (pos[e[1]][1] - pos[f[1]][1]) < 0

    assert not any(crosses(e, f) for e in edges for f in edges)


def test_boxes_of_sized_nodes_never_overlap() -> None:
    nodes, edges = random_dag(150, 300, 7)
    rnd = random.Random(3)
    boxes = {n: (rnd.uniform(17, 100), 17.0, rnd.choice([17.0, 36.0, 51.0])) for n in nodes}
    pos = layered_positions(nodes, edges, boxes=boxes)
    rects = [
        (pos[n][0] - b[0], pos[n][1] - b[1], pos[n][0] + b[0], pos[n][1] + b[2])
        for n, b in boxes.items()
    ]
    for a, b in itertools.combinations(rects, 2):
        assert not (a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1)


def test_a_graph_with_tall_layers_is_folded_instead_of_a_strip() -> None:
    # One source feeding 600 jobs that each make one model: two layers of 600.
    nodes = ["src"] + [f"job{i:03d}" for i in range(600)] + [f"model{i:03d}" for i in range(600)]
    edges = [("src", f"job{i:03d}") for i in range(600)]
    edges += [(f"job{i:03d}", f"model{i:03d}") for i in range(600)]
    boxes = dict.fromkeys(nodes, (80.0, 17.0, 36.0))
    pos = layered_positions(nodes, edges, boxes=boxes)
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert height < 2 * width, (width, height)
    assert all(pos[s][0] < pos[t][0] for s, t in edges), "edges still point left to right"


def _hub_in_a_tall_row(downstream: bool) -> tuple[list[str], list[tuple[str, str]]]:
    """A start with 8 neighbours in a row of 608 that gets folded; each neighbour also shares
    a node with a far part of the row, which pulls the 8 apart when the row is ordered."""
    nodes = ["start", "other"] + [f"n{i}" for i in range(8)] + [f"o{i:03d}" for i in range(600)]
    nodes += [f"u{i}" for i in range(8)]
    edges = [("other", f"o{i:03d}") for i in range(600)]
    for i in range(8):
        edges += [("start", f"n{i}"), (f"n{i}", f"u{i}"), (f"o{75 * i:03d}", f"u{i}")]
    if not downstream:  # every edge reversed: the 8 are the start's predecessors
        edges = [(t, s) for s, t in edges]
    return nodes, edges


def _hub_over_wide_subtrees() -> tuple[list[str], list[tuple[str, str]]]:
    """A start with 8 neighbours, each over 80 nodes of its own: the row of 8 is short, but
    placed level with their subtrees it spans thousands of pixels and is folded."""
    nodes = ["start"] + [f"n{i}" for i in range(8)]
    edges = [("start", f"n{i}") for i in range(8)]
    for i in range(8):
        kids = [f"k{i}-{j:02d}" for j in range(80)]
        nodes += kids
        edges += [(f"n{i}", k) for k in kids]
    return nodes, edges


@pytest.mark.parametrize(
    ("shape", "downstream"), [("tall row", True), ("tall row", False), ("wide subtrees", True)]
)
def test_a_folded_row_keeps_the_starts_neighbours_next_to_it(shape: str, downstream: bool) -> None:
    nodes, edges = (
        _hub_in_a_tall_row(downstream) if shape == "tall row" else _hub_over_wide_subtrees()
    )
    box = (80.0, 17.0, 36.0)
    pos = layered_positions(nodes, edges, boxes=dict.fromkeys(nodes, box), anchor="start")
    sx, sy = pos["start"]
    columns = sorted({x for x, _ in pos.values()})
    beside = columns[columns.index(sx) + (1 if downstream else -1)]
    neighbours = [pos[f"n{i}"] for i in range(8)]
    assert all(x == beside for x, _ in neighbours), "the 8 are in the column beside the start"
    # Stacked around the start's height: within the height of 8 boxes.
    assert all(abs(y - sy) <= 8 * (box[1] + box[2] + 10) for _, y in neighbours), neighbours
    rects = [(x - box[0], y - box[1], x + box[0], y + box[2]) for x, y in pos.values()]
    by_column: dict[float, list[tuple[float, float, float, float]]] = {}
    for r in rects:
        by_column.setdefault(r[0], []).append(r)
    for column in by_column.values():
        column.sort(key=lambda r: r[1])
        assert all(a[3] <= b[1] for a, b in itertools.pairwise(column)), "boxes overlap"
