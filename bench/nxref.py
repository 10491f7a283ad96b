"""The networkx reference, shared by the benchmarks and the tests.

- `query`: a QueryLineage answer on a DiGraph held in memory, BFS by level (what the traversal
  benchmark times the engine against, and checks it agrees with);
- `by_shortest_paths`: the expected vertices and edges by the spec's rules, from networkx's own
  shortest-path lengths (the API property test's reference; independent of any level walk);
- `hops`: hop counts along or against the associations (the impact tests, on a graph made from
  ListAssociations).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable

import networkx as nx  # type: ignore[import-untyped]

from viz_app.core.lineage import ASCENDANTS, BOTH, DESCENDANTS, LineageResult, QueryFilters, Vertex
from viz_app.core.model import vertex_type
from viz_app.core.store import Store


def build_graph(store: Store) -> nx.DiGraph:
    """Every entity (with the fields filters read) and association, read from the store once."""
    graph = nx.DiGraph()
    conn = store._conn()
    for arn, kind, etype, created, modified, props in conn.execute(
        "SELECT arn, kind, type, created, modified, json_extract(doc, '$.Properties') FROM entities"
    ):
        graph.add_node(
            arn,
            kind=kind,
            vtype=vertex_type(kind, etype),
            created=created,
            modified=modified,
            props=_props(props),
        )
    graph.add_edges_from(
        (s, d, {"type": t})
        for s, d, t in conn.execute("SELECT source_arn, destination_arn, type FROM associations")
    )
    return graph


def from_associations(
    edges: Iterable[tuple[Hashable, Hashable]], nodes: Iterable[Hashable] = ()
) -> nx.DiGraph:
    """A DiGraph of (source, destination) pairs and lone `nodes`, with no entity fields."""
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph


def by_shortest_paths(
    graph: nx.DiGraph,
    start: Hashable,
    direction: str,
    depth: int,
    matches: Callable[[Hashable], bool],
    include_edges: bool,
) -> tuple[set[Hashable], set[tuple[Hashable, Hashable]]]:
    """The vertices and edges QueryLineage must return: the reached vertices `matches` accepts
    and, with edges, the start and every vertex on a shortest path to one of them, with the
    edges among all those."""
    walk = {
        DESCENDANTS: graph,
        ASCENDANTS: graph.reverse(copy=True),
        BOTH: graph.to_undirected(as_view=False),
    }[direction]
    dist = nx.single_source_shortest_path_length(walk, start, cutoff=depth)
    matched = {v for v in set(dist) - {start} if matches(v)}
    if not include_edges:
        return matched, set()
    keep = set(matched) | {start}
    back = walk.reverse(copy=False) if walk.is_directed() else walk
    for target in matched:
        # On a shortest start->target path: dist(start, u) + dist(u, target) == dist(target).
        to_target = nx.single_source_shortest_path_length(back, target)
        keep |= {u for u in dist if u in to_target and dist[u] + to_target[u] == dist[target]}
    return keep, {(a, b) for a, b in graph.edges if a in keep and b in keep}


def hops(graph: nx.DiGraph, start: str, forward: bool, depth: int = 10) -> dict[str, int]:
    """Hop count of every vertex within `depth` of `start`, along (or against) the edges."""
    if start not in graph:
        return {start: 0}
    walked = graph if forward else graph.reverse(copy=False)
    return dict(nx.single_source_shortest_path_length(walked, start, cutoff=depth))


def _props(raw: str | None) -> dict[str, str]:
    value = json.loads(raw) if raw else None
    return value if isinstance(value, dict) else {}


def _matches(attrs: dict[str, object], filters: QueryFilters) -> bool:
    if not filters.matches_fields(
        str(attrs["kind"]),
        attrs["vtype"],  # type: ignore[arg-type]
        attrs["created"],  # type: ignore[arg-type]
        attrs["modified"],  # type: ignore[arg-type]
    ):
        return False
    props: dict[str, str] = attrs["props"]  # type: ignore[assignment]
    return not filters.properties or any(props.get(k) == v for k, v in filters.properties)


def query(
    graph: nx.DiGraph,
    start: str,
    *,
    direction: str,
    max_depth: int,
    filters: QueryFilters,
    include_edges: bool,
) -> LineageResult:
    """BFS by level with successors/predecessors; filters, shortest-path vertices and edges."""
    if start not in graph:
        return LineageResult()
    forward = direction in (DESCENDANTS, BOTH)
    backward = direction in (ASCENDANTS, BOTH)
    distance = {start: 0}
    frontier = [start]
    for depth in range(1, max_depth + 1):
        if not frontier:
            break
        nxt: list[str] = []
        for v in frontier:
            steps = []
            if forward:
                steps.append(graph.successors(v))
            if backward:
                steps.append(graph.predecessors(v))
            for neighbours in steps:
                for w in neighbours:
                    if w not in distance:
                        distance[w] = depth
                        nxt.append(w)
        frontier = nxt
    nodes = graph.nodes
    empty = filters.is_empty()
    matched = {
        v
        for v in distance
        if v != start and "kind" in nodes[v] and (empty or _matches(nodes[v], filters))
    }
    chosen = set(matched)
    if include_edges:
        chosen.add(start)
        stack = list(matched)
        while stack:
            v = stack.pop()
            up = distance[v] - 1
            parents = []
            if forward:
                parents.append(graph.predecessors(v))
            if backward:
                parents.append(graph.successors(v))
            for candidates in parents:
                for u in candidates:
                    if u not in chosen and distance.get(u) == up:
                        chosen.add(u)
                        stack.append(u)
        chosen = {v for v in chosen if "kind" in nodes[v]}
    order = sorted(chosen, key=lambda v: (distance[v], v))
    # Positional arguments, as the engine builds its answer (keywords cost ~0.2 µs more).
    result = LineageResult([Vertex(v, nodes[v]["vtype"], nodes[v]["kind"]) for v in order], [])
    if include_edges:
        succ = graph.succ
        result.edges = sorted(
            (v, w, data["type"]) for v in order for w, data in succ[v].items() if w in chosen
        )
    return result
