"""The one breadth-first walk (`core.walk`) and the thin variants built on it."""

from __future__ import annotations

from collections import defaultdict

from viz_app.core.walk import hop_counts, layers
from viz_app.ui.view_build import max_distance

# 0 -> 1 -> 2 -> 3, 0 -> 2, 4 -> 1 (4 only reached going backwards)
OUT = [[1, 2], [2], [3], [], [1]]
INC = [[], [0, 4], [1, 0], [2], []]


def test_layers_yield_each_vertex_once_at_its_shortest_distance() -> None:
    distance = {0: 0}
    assert list(layers(distance, [OUT], 10)) == [[1, 2], [3]]
    assert distance == {0: 0, 1: 1, 2: 1, 3: 2}


def test_max_depth_stops_the_walk_and_leaves_deeper_vertices_unreached() -> None:
    distance = {0: 0}
    assert list(layers(distance, [OUT], 1)) == [[1, 2]]
    assert 3 not in distance


def test_two_tables_are_read_one_after_the_other_for_a_walk_both_ways() -> None:
    distance = {3: 0}
    # Level 2 is met as 3's successors (none) and 2's (3, seen), then 2's predecessors.
    assert list(layers(distance, [OUT, INC], 10)) == [[2], [1, 0], [4]]
    assert distance == {3: 0, 2: 1, 1: 2, 0: 2, 4: 3}


def test_tables_given_by_a_function_are_read_once_per_level() -> None:
    frontiers: list[list[int]] = []

    def read_level(frontier: list[int]) -> list[list[list[int]]]:
        frontiers.append(frontier)
        return [OUT]

    assert hop_counts(0, read_level, 10) == {0: 0, 1: 1, 2: 1, 3: 2}
    assert frontiers == [[0], [1, 2], [3]]


def test_hop_counts_of_a_lone_vertex_is_just_the_start() -> None:
    assert hop_counts("a", [defaultdict(list)], 5) == {"a": 0}


def test_max_distance_is_the_longest_shortest_path_in_the_direction() -> None:
    edges = [
        {"SourceArn": s, "DestinationArn": d}
        for s, d in (("a", "b"), ("b", "c"), ("c", "d"), ("a", "d"), ("e", "b"))
    ]
    assert max_distance("a", edges, "Descendants") == 2  # d is one hop away directly
    assert max_distance("d", edges, "Ascendants") == 3  # e is behind b, behind c
    assert max_distance("c", edges, "Both") == 2
    assert max_distance("a", [], "Both") == 0
