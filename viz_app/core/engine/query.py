"""QueryLineage answered entirely on the in-memory adjacency index (ints, not ARNs)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from viz_app.core.engine.index import AdjacencyIndex, Steps
from viz_app.core.lineage import LineageResult, QueryFilters
from viz_app.core.model import EntityRecord
from viz_app.core.walk import layers

RecordLoader = Callable[[Iterable[str]], Mapping[str, EntityRecord]]
_FEW = 8  # a neighbour list this short is scanned, never intersected


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
    alive = index.alive
    # Breadth-first (`walk.layers`): `found` gets the vertices with an entity in the order
    # first reached, so by distance (the start is not its own match); `runs` are the
    # (begin, end) of each distance's vertices in `found` when there are two or more.
    distance = {s: 0}
    found: list[int] = []
    runs: list[tuple[int, int]] = []
    keep = alive.__getitem__ if index.dead else None  # usually every id has an entity
    for reached in layers(distance, ahead, max_depth):
        begin = len(found)
        found.extend(reached if keep is None else filter(keep, reached))
        if len(found) - begin > 1:
            runs.append((begin, len(found)))
    # By distance, then ARN: only each distance's run needs sorting.
    if runs:
        by_arn = index.arns.__getitem__
        for begin, end in runs:
            found[begin:end] = sorted(found[begin:end], key=by_arn)
    made = index.vertices
    matched = found  # a filter keeps the order
    if found and not filters.is_empty():
        matched = _filter(index, found, filters, load_records)
    if not include_edges:
        return LineageResult([made[v] or index.vertex(v) for v in matched], [])
    # The returned vertices are among the start and `found`: keep their order.
    chosen = _on_shortest_paths(s, matched, distance, behind)
    if len(found) < len(distance) - 1:  # the walk met ARNs with no entity: never returned
        chosen = {v for v in chosen if alive[v]}
    order = [v for v in found if v in chosen]
    if alive[s]:
        order.insert(0, s)
    else:
        chosen.discard(s)
    vertices = [made[v] or index.vertex(v) for v in order]
    arns = index.arns
    out, out_types = index.out, index.out_types
    edges = [
        (arns[v], arns[w], t)
        for v in order
        for w, t in zip(out[v], out_types[v], strict=True)
        if w in chosen
    ]
    edges.sort()
    return LineageResult(vertices, edges)


def _on_shortest_paths(
    s: int,
    matched: list[int],
    distance: dict[int, int],
    behind: Steps,
) -> set[int]:
    """The start, the matches, and every vertex on a shortest path between them."""
    chosen = set(matched)
    chosen.add(s)
    stack = list(matched)
    reached = distance.keys()
    while stack:
        v = stack.pop()
        up = distance[v] - 1
        for adjacency in behind:
            listed = adjacency[v]
            neighbours: Iterable[int] = listed
            if len(listed) > _FEW and len(listed) > len(reached):
                neighbours = reached & listed  # mostly not reached: one pass in C
            for u in neighbours:
                if u not in chosen and distance.get(u) == up:
                    chosen.add(u)
                    stack.append(u)
    return chosen


def _filter(
    index: AdjacencyIndex, found: list[int], filters: QueryFilters, load_records: RecordLoader
) -> list[int]:
    keep = filters.select(found, index.kinds, index.vtypes, index.created, index.modified)
    if not filters.properties or not keep:
        return keep
    # Properties live in the entity documents; read only the few candidates left.
    arns = index.arns
    records = load_records(arns[v] for v in keep)
    return [v for v in keep if arns[v] in records and filters.matches(records[arns[v]])]
