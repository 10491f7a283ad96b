"""The QueryLineage engine: the adjacency index, recent answers, and answers cut into pages."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from viz_app.core.engine.index import AdjacencyIndex
from viz_app.core.engine.keeper import AdjacencyKeeper
from viz_app.core.engine.query import query
from viz_app.core.lineage import (
    BOTH,
    NO_FILTERS,
    Edge,
    GraphReader,
    LineageResult,
    QueryFilters,
    Vertex,
)

ANSWER_CACHE_SIZE: Final = 32


class Question(NamedTuple):
    """One QueryLineage question (one start ARN), the answer cache's key (a tuple: quick to
    make and hash on every request)."""

    start: str
    direction: str
    max_depth: int
    filters: QueryFilters
    include_edges: bool


@dataclass
class LineagePage:
    """Part of an answer: its vertices from an offset, the edges whose later end is among
    them, and where the next page starts (None after the last)."""

    vertices: list[Vertex]
    edges: list[Edge]
    next_offset: int | None


@dataclass(slots=True)
class CachedAnswer:
    """An answer as cached, with how its edges spread over pages (worked out on first use)."""

    stamp: tuple[int, int]  # the index object and data version it was computed on
    result: LineageResult
    by_page_end: list[list[int]] | None = field(default=None)


class QueryEngine:
    """Answers QueryLineage for one store file from its in-memory adjacency index.

    The index (`keeper`) is built on first use and kept in step by the store's writes. Answers
    are cached for the index state they were computed on, so every page of one question walks
    the graph once; each answer also keeps how its edges spread over pages. Results are
    shared: callers must not mutate them. `core.lineage.query_lineage` is the readable
    reference this must agree with, vertex for vertex.
    """

    def __init__(self, path: str, source: GraphReader) -> None:
        self.keeper = AdjacencyKeeper(path)
        self.source = source
        self._answers: OrderedDict[Question, CachedAnswer] = OrderedDict()

    def answer(self, question: Question) -> LineageResult:
        """The whole answer to `question` (whose start exists)."""
        return self._cached(question).result

    def query_lineage(
        self,
        start: str,
        *,
        direction: str = BOTH,
        max_depth: int = 10,
        filters: QueryFilters | None = None,
        include_edges: bool = False,
    ) -> LineageResult:
        """`answer` called like the reference `core.lineage.query_lineage`."""
        filters = filters or NO_FILTERS
        return self.answer(Question(start, direction, max_depth, filters, include_edges))

    def page(self, question: Question, offset: int, size: int) -> LineagePage:
        """Vertices `offset` to `offset + size` of the answer. An edge is on the page where the
        later of its two ends appears (in the answer's edge order), so it is sent once."""
        entry = self._cached(question)
        result = entry.result
        by_end = entry.by_page_end
        if by_end is None:  # worked out once per answer, outside the index lock
            by_end = entry.by_page_end = _edges_by_later_end(result)
        end = offset + size
        edges = [result.edges[i] for i in sorted(i for ids in by_end[offset:end] for i in ids)]
        more = end if end < len(result.vertices) else None
        return LineagePage(result.vertices[offset:end], edges, more)

    def forget_answers(self) -> None:
        """Drop cached answers (benchmarks time the walk itself)."""
        with self.keeper.lock:
            self._answers.clear()

    def close(self) -> None:
        self.keeper.close()

    def _cached(self, q: Question) -> CachedAnswer:
        with self.keeper.lock:
            index = self.keeper.current()
            stamp = (id(index), index.version)
            hit = self._answers.get(q)
            if hit is not None and hit.stamp == stamp:
                self._answers.move_to_end(q)
                return hit
            entry = CachedAnswer(stamp, self._walk(index, q))
            self._answers[q] = entry
            while len(self._answers) > ANSWER_CACHE_SIZE:
                self._answers.popitem(last=False)
            return entry

    def _walk(self, index: AdjacencyIndex, q: Question) -> LineageResult:
        """Under the index lock: answer `q` from `index` (the current one)."""
        return query(
            index,
            q.start,
            q.direction,
            q.max_depth,
            q.filters,
            q.include_edges,
            self.source.get_entities,
        )


def _edges_by_later_end(result: LineageResult) -> list[list[int]]:
    """The answer's edges (as indices) filed under the position of their later end."""
    position = {v.arn: i for i, v in enumerate(result.vertices)}
    by_end: list[list[int]] = [[] for _ in result.vertices]
    for i, (src, dst, _kind) in enumerate(result.edges):
        by_end[max(position[src], position[dst])].append(i)
    return by_end
