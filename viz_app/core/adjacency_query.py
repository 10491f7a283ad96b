"""QueryLineage answered entirely on the in-memory adjacency index (ints, not ARNs)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping

from viz_app.core.adjacency import AdjacencyIndex, Steps
from viz_app.core.lineage import LineageResult, QueryFilters, Vertex
from viz_app.core.model import EntityRecord

RecordLoader = Callable[[Iterable[str]], Mapping[str, EntityRecord]]


def query(
    index: AdjacencyIndex,
    start: str,
    direction: str,
    max_depth: int,
    filters: QueryFilters,
    include_edges: bool,
    load_records: RecordLoader,
) -> LineageResult:
    """`lineage.query_lineage` on int ids; the same answer as the SQL walk, vertex for vertex."""
    s = index.ids.get(start)
    if s is None:
        return LineageResult()
    ahead, behind = index.steps(direction)
    distance = {s: 0}
    frontier: Iterable[int] = (s,)
    for depth in range(1, max_depth + 1):
        reached: set[int] = set()
        for adjacency in ahead:
            for v in frontier:
                reached.update(adjacency[v])
        reached.difference_update(distance)
        if not reached:
            break
        distance.update(dict.fromkeys(reached, depth))
        frontier = reached
    alive = index.alive
    matched = [v for v in distance if alive[v] and v != s]
    if not filters.is_empty():
        matched = _filter(index, matched, filters, load_records)
    chosen: Collection[int] = matched
    if include_edges:
        chosen = _on_shortest_paths(s, matched, distance, behind, alive)
    arns, kinds, vtypes = index.arns, index.kinds, index.vtypes
    order = sorted(chosen, key=arns.__getitem__)
    order.sort(key=distance.__getitem__)  # stable: by distance, then ARN
    result = LineageResult(vertices=[Vertex(arns[v], vtypes[v], kinds[v]) for v in order])
    if include_edges:
        out, out_types = index.out, index.out_types
        result.edges = sorted(
            (arns[v], arns[w], t)
            for v in order
            for w, t in zip(out[v], out_types[v], strict=True)
            if w in chosen
        )
    return result


def _on_shortest_paths(
    s: int,
    matched: list[int],
    distance: dict[int, int],
    behind: Steps,
    alive: bytearray,
) -> set[int]:
    """The start, the matches, and every vertex on a shortest path between them (with entities)."""
    chosen = set(matched)
    chosen.add(s)
    stack = list(matched)
    while stack:
        v = stack.pop()
        up = distance[v] - 1
        for adjacency in behind:
            for u in adjacency[v]:
                if u not in chosen and distance.get(u) == up:
                    chosen.add(u)
                    stack.append(u)
    return {v for v in chosen if alive[v]}


def _filter(
    index: AdjacencyIndex, found: list[int], filters: QueryFilters, load_records: RecordLoader
) -> list[int]:
    kinds, vtypes, created, modified = index.kinds, index.vtypes, index.created, index.modified
    keep = [
        v for v in found if filters.matches_fields(kinds[v], vtypes[v], created[v], modified[v])
    ]
    if not filters.properties or not keep:
        return keep
    # Properties live in the entity documents; read only the few candidates left.
    arns = index.arns
    records = load_records(arns[v] for v in keep)
    return [v for v in keep if arns[v] in records and filters.matches(records[arns[v]])]
