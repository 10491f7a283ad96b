"""QueryLineage traversal: breadth-first walk, filters on reached vertices, paths and edges."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from viz_app.core.model import EntityRecord, vertex_type
from viz_app.core.walk import layers

ASCENDANTS = "Ascendants"
DESCENDANTS = "Descendants"
BOTH = "Both"
DIRECTIONS = (BOTH, ASCENDANTS, DESCENDANTS)

Edge = tuple[str, str, str | None]


class GraphReader(Protocol):
    """What the traversal needs from a store."""

    def edges_from(self, arns: Sequence[str], forward: bool) -> list[Edge]: ...

    def get_entities(self, arns: Iterable[str]) -> Mapping[str, EntityRecord]: ...


@dataclass(frozen=True)
class QueryFilters:
    """QueryLineage `Filters`: a vertex must satisfy every criterion given."""

    types: frozenset[str] = frozenset()
    lineage_types: frozenset[str] = frozenset()
    created_before: float | None = None
    created_after: float | None = None
    modified_before: float | None = None
    modified_after: float | None = None
    properties: tuple[tuple[str, str], ...] = ()

    def __hash__(self) -> int:
        # Every QueryLineage hashes its filters (the engine's answer cache key): hash the fields
        # once per instance. The cached value is per process, so it is left out of pickles.
        known: int | None = self.__dict__.get("_hash")
        if known is None:
            known = hash(
                (
                    self.types,
                    self.lineage_types,
                    self.created_before,
                    self.created_after,
                    self.modified_before,
                    self.modified_after,
                    self.properties,
                )
            )
            object.__setattr__(self, "_hash", known)
        return known

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    def is_empty(self) -> bool:
        return not (self.types or self.lineage_types or self.properties) and (
            self.created_before is None
            and self.created_after is None
            and self.modified_before is None
            and self.modified_after is None
        )

    def matches_fields(
        self, kind: str, vertex_type_: str | None, created: float, modified: float
    ) -> bool:
        """Every criterion except Properties, on an entity's kind, vertex Type and times."""
        if self.lineage_types and kind not in self.lineage_types:
            return False
        if self.types and vertex_type_ not in self.types:
            return False
        # Time bounds are exclusive (the docs say "before"/"after"; no evidence of inclusivity).
        if self.created_before is not None and not created < self.created_before:
            return False
        if self.created_after is not None and not created > self.created_after:
            return False
        if self.modified_before is not None and not modified < self.modified_before:
            return False
        return self.modified_after is None or modified > self.modified_after

    def select(
        self,
        ids: list[int],
        kinds: Sequence[str],
        vertex_types: Sequence[str | None],
        created: Sequence[float],
        modified: Sequence[float],
    ) -> list[int]:
        """`matches_fields` on many vertices at once, read from columns indexed by id (in order)."""
        wanted, types = self.lineage_types, self.types
        if wanted and types:  # the usual pair, in one pass
            ids = [v for v in ids if kinds[v] in wanted and vertex_types[v] in types]
        elif wanted:
            ids = [v for v in ids if kinds[v] in wanted]
        elif types:
            ids = [v for v in ids if vertex_types[v] in types]
        if self.created_before is not None:
            bound = self.created_before
            ids = [v for v in ids if created[v] < bound]
        if self.created_after is not None:
            bound = self.created_after
            ids = [v for v in ids if created[v] > bound]
        if self.modified_before is not None:
            bound = self.modified_before
            ids = [v for v in ids if modified[v] < bound]
        if self.modified_after is not None:
            bound = self.modified_after
            ids = [v for v in ids if modified[v] > bound]
        return ids

    def matches(self, record: EntityRecord) -> bool:
        kind = record.kind
        if not self.matches_fields(
            kind, vertex_type(kind, record.entity_type), record.created, record.modified
        ):
            return False
        if self.properties:
            # The model's doc: an entity matches if it matches ANY of the given pairs.
            props = record.doc.get("Properties") or {}
            if not any(props.get(k) == v for k, v in self.properties):
                return False
        return True


NO_FILTERS = QueryFilters()


@dataclass(slots=True)
class Vertex:
    arn: str
    type: str | None
    lineage_type: str


@dataclass
class LineageResult:
    """Vertices in walk order (start first when present) and edges sorted by (source, dest).

    Answers from the store and their `Vertex` items are shared (cached answers, the index's
    per-vertex items): callers must not mutate them.
    """

    vertices: list[Vertex] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def walk(
    graph: GraphReader, start: str, direction: str, max_depth: int
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Breadth-first walk from `start` (`core.walk.layers`), one SQL read per level.

    Returns the hop distance of every reached vertex and, for each, all its predecessors on
    shortest paths. `Both` follows edges both ways from every visited vertex, which is how the
    developer guide describes it (siblings through a shared image are reached).
    """
    forward = direction in (DESCENDANTS, BOTH)
    backward = direction in (ASCENDANTS, BOTH)
    steps: list[tuple[str, str]] = []  # (here, there) of the level being walked

    def read_level(frontier: list[str]) -> list[dict[str, list[str]]]:
        steps.clear()
        if forward:
            steps.extend((src, dst) for src, dst, _ in graph.edges_from(frontier, True))
        if backward:
            steps.extend((dst, src) for src, dst, _ in graph.edges_from(frontier, False))
        steps.sort()
        ahead: defaultdict[str, list[str]] = defaultdict(list)
        for here, there in steps:
            ahead[here].append(there)
        return [ahead]

    distance = {start: 0}
    parents: dict[str, list[str]] = {}
    for depth, _reached in enumerate(layers(distance, read_level, max_depth), 1):
        for here, there in steps:
            if distance[there] == depth and here not in parents.setdefault(there, []):
                parents[there].append(here)
    return distance, parents


def query_lineage(
    graph: GraphReader,
    start: str,
    *,
    direction: str = BOTH,
    max_depth: int = 10,
    filters: QueryFilters | None = None,
    include_edges: bool = False,
) -> LineageResult:
    """Answer one QueryLineage for a start ARN that exists: the readable reference.

    Filters select among reached vertices; they never prune the walk. Without edges, only the
    matching vertices are returned (the start is not its own ascendant or descendant). With
    edges, the start and every vertex on a shortest path from it to a match are returned too,
    with every association among the returned vertices. The service answers from memory
    (`core.engine.QueryEngine`, the same answers on int ids); this walks SQL level by level.
    """
    filters = filters or NO_FILTERS
    distance, parents = walk(graph, start, direction, max_depth)
    records = graph.get_entities(distance)
    matched = {
        arn for arn in distance if arn != start and arn in records and filters.matches(records[arn])
    }
    chosen = set(matched)
    if include_edges:
        chosen.add(start)
        stack = list(matched)
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent not in chosen:
                    chosen.add(parent)
                    stack.append(parent)
    chosen &= records.keys()
    order = sorted(chosen, key=lambda arn: (distance[arn], arn))
    result = LineageResult(
        vertices=[
            Vertex(arn, vertex_type(records[arn].kind, records[arn].entity_type), records[arn].kind)
            for arn in order
        ]
    )
    if include_edges and order:
        result.edges = sorted(edge for edge in graph.edges_from(order, True) if edge[1] in chosen)
    return result
