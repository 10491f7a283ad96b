"""The one breadth-first walk (`core.walk`) and the thin variants built on it."""

from __future__ import annotations

from viz_app.core.walk import hop_counts, layers, neighbours_in
from viz_app.ui.view_build import max_distance

# 0 -> 1 -> 2 -> 3, 0 -> 2, 4 -> 1 (4 only reached going backwards)
OUT = [[1, 2], [2], [3], [], [1]]
INC = [[], [0, 4], [1, 0], [2], []]


def test_layers_yield_each_vertex_once_at_its_shortest_distance() -> None:
    distance = {0: 0}
    assert list(layers(distance, neighbours_in([OUT.__getitem__]), 10)) == [[1, 2], [3]]
    assert distance == {0: 0, 1: 1, 2: 1, 3: 2}


def test_max_depth_stops_the_walk_and_leaves_deeper_vertices_unreached() -> None:
    distance = {0: 0}
    assert list(layers(distance, neighbours_in([OUT.__getitem__]), 1)) == [[1, 2]]
    assert 3 not in distance


def test_two_tables_are_read_one_after_the_other_for_a_walk_both_ways() -> None:
    both = neighbours_in([OUT.__getitem__, INC.__getitem__])
    assert list(both([3, 1])) == [2, 2, 0, 4]  # out lists of 3 and 1, then their in lists
    assert hop_counts(3, both, 10) == {3: 0, 2: 1, 1: 2, 0: 2, 4: 3}


def test_hop_counts_of_a_lone_vertex_is_just_the_start() -> None:
    assert hop_counts("a", neighbours_in([{"a": []}.__getitem__]), 5) == {"a": 0}


def test_max_distance_is_the_longest_shortest_path_in_the_direction() -> None:
    edges = [
        {"SourceArn": s, "DestinationArn": d}
        for s, d in (("a", "b"), ("b", "c"), ("c", "d"), ("a", "d"), ("e", "b"))
    ]
    assert max_distance("a", edges, "Descendants") == 2  # d is one hop away directly
    assert max_distance("d", edges, "Ascendants") == 3  # e is behind b, behind c
    assert max_distance("c", edges, "Both") == 2
    assert max_distance("a", [], "Both") == 0
