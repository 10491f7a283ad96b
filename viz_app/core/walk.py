"""The one breadth-first walk every traversal uses: level by level, each vertex once.

Like networkx's `bfs_layers`, it yields the vertices first reached at each depth; callers add
what they need (the engine's int ids and entity flags, the reference walk's shortest-path
parents, a largest hop count) around it rather than coding the walk again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Protocol, TypeVar

V = TypeVar("V", bound=Hashable)
V_contra = TypeVar("V_contra", contravariant=True)
V_co = TypeVar("V_co", covariant=True)


class Table(Protocol[V_contra, V_co]):
    """Neighbours by vertex: a list of lists by int id, or a dict (a defaultdict where some
    vertices have none)."""

    def __getitem__(self, vertex: V_contra, /) -> Iterable[V_co]: ...


Tables = Sequence[Table[V, V]] | Callable[[list[V]], Sequence[Table[V, V]]]


def layers(distance: dict[V, int], tables: Tables[V], max_depth: int) -> Iterator[list[V]]:
    """Yield the vertices first reached at depth 1, 2, ... up to `max_depth`, in the order met.

    `distance` holds only the start(s), at depth 0, and is filled with every vertex reached.
    `tables` are read one after the other for each level's vertices (forward, then backward
    for a walk both ways); a function instead gives them for each level (one batched read).
    """
    frontier = list(distance)
    depth = 0
    while frontier and depth < max_depth:
        depth += 1
        reached: list[V] = []
        for table in tables(frontier) if callable(tables) else tables:
            for v in frontier:
                for w in table[v]:
                    if w not in distance:
                        distance[w] = depth
                        reached.append(w)
        if reached:
            yield reached
        frontier = reached


def hop_counts(start: V, tables: Tables[V], max_depth: int) -> dict[V, int]:
    """Hop count of every vertex within `max_depth` of `start` (the start at 0)."""
    distance = {start: 0}
    for _ in layers(distance, tables, max_depth):
        pass
    return distance
