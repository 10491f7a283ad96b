"""The one breadth-first walk every traversal uses: level by level, each vertex once.

Like networkx's `bfs_layers`, it yields the vertices first reached at each depth; callers add
what they need (the engine's int ids and entity flags, the reference walk's shortest-path
parents, a largest hop count) around it rather than coding the walk again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from itertools import chain
from typing import TypeVar

V = TypeVar("V", bound=Hashable)


def layers(
    distance: dict[V, int], expand: Callable[[list[V]], Iterable[V]], max_depth: int
) -> Iterator[list[V]]:
    """Yield the vertices first reached at depth 1, 2, ... up to `max_depth`, in the order met.

    `distance` holds the start(s) at depth 0 and is filled with every vertex reached.
    `expand(frontier)` gives the neighbours of a level's vertices (repeats are fine).
    """
    frontier = [v for v, d in distance.items() if d == 0]
    depth = 0
    while frontier and depth < max_depth:
        depth += 1
        reached: list[V] = []
        for w in expand(frontier):
            if w not in distance:
                distance[w] = depth
                reached.append(w)
        if reached:
            yield reached
        frontier = reached


def neighbours_in(
    getters: Iterable[Callable[[V], Iterable[V]]],
) -> Callable[[list[V]], Iterable[V]]:
    """An `expand` reading neighbour tables through their lookups (`table.__getitem__` of
    lists by int id, or of dicts): each vertex's neighbours in one table, then the next."""
    getters = list(getters)
    if len(getters) == 1:
        (getter,) = getters
        return lambda frontier: chain.from_iterable(map(getter, frontier))
    return lambda frontier: chain.from_iterable(
        chain.from_iterable(map(getter, frontier)) for getter in getters
    )


def hop_counts(start: V, expand: Callable[[list[V]], Iterable[V]], max_depth: int) -> dict[V, int]:
    """Hop count of every vertex within `max_depth` of `start` (the start at 0)."""
    distance = {start: 0}
    for _ in layers(distance, expand, max_depth):
        pass
    return distance
