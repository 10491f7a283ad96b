"""Building a view from its key: the QueryLineage question, then each expand / answer merge."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from viz_app.client.directions import BOTH, goes_downstream, goes_upstream
from viz_app.client.paging import Pages
from viz_app.core.walk import hop_counts
from viz_app.ui.backends import MAX_PAGES, Backend
from viz_app.ui.view_cache import View, ViewCache, parse_key, view_key

EXPAND = "expand"
ASK = "ask"
# A view's first look while a big answer pages: the first QueryLineage page of the same
# question at depth 1 (the start and its nearest neighbours). Only as a whole key's op.
PEEK = "peek"


def max_distance(start: str, edges: list[dict[str, Any]], direction: str) -> int:
    """Largest hop count from `start` along the direction's edges (what depth cut off)."""
    adj: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if goes_downstream(direction):
            adj[e["SourceArn"]].add(e["DestinationArn"])
        if goes_upstream(direction):
            adj[e["DestinationArn"]].add(e["SourceArn"])
    # No path is longer than the number of edges: that bound never cuts the walk short.
    return max(hop_counts(start, [adj], len(edges) + 1).values())


def with_walk(view: View, cache: ViewCache) -> View:
    """A filtered view plus what the unfiltered walk at the same depth found, when needed.

    QueryLineage filters select among the vertices the walk reached; they never prune the
    walk (`viz_app.core.lineage.query_lineage`, and the AWS page on querying lineage). With
    IncludeEdges it returns the start, the matches and the vertices on shortest paths to
    them, so an unmatched entity at the depth limit is simply absent: the filtered graph alone
    can neither tell that the depth cut the walk off nor that the filter (not the direction)
    emptied the answer. Both need the walk, and nothing cheaper than the unfiltered question
    reveals it (no filter selects "at distance N", and vertices without edges carry no
    distance). So a filtered view whose own graph stops short of the depth asks that question
    once, through the view cache: an unfiltered view reaching the depth is not asked again,
    and clearing the filter (what the page then suggests) costs nothing more. Unfiltered
    views, and filtered ones already reaching the depth, cost no extra call.
    """
    state = view.state
    if state.arn is None or not state.filters():
        return view
    if max_distance(state.arn, view.edges, state.direction) >= state.depth:
        return view
    try:
        whole = cache.get(view_key(state.without_filters()))
    except Exception:  # the view itself is complete; only the hint about it would be missing
        return view
    found = len(set(whole.by_arn) - {state.arn})
    return replace(
        view,
        walk_found=found,
        walk_reach=max_distance(state.arn, whole.edges, state.direction),
    )


def _type_matches(vertex: dict[str, Any], filters: dict[str, Any]) -> bool:
    types, ltypes = filters.get("Types"), filters.get("LineageTypes")
    return (not types or vertex.get("Type") in types) and (
        not ltypes or vertex.get("LineageType") in ltypes
    )


def matched_arns(backend: Backend, view: View) -> View:
    """A filtered view with the vertices that matched its filters. Type filters are read off
    the vertices; date and property filters need QueryLineage without edges, which answers
    only the matches (the start never among them), every page."""
    state = view.state
    filters = state.filters()
    if state.arn is None or not filters:
        return view
    if set(filters) <= {"Types", "LineageTypes"}:
        found = {
            v["Arn"] for v in view.vertices if v["Arn"] != state.arn and _type_matches(v, filters)
        }
        return replace(view, matched=frozenset(found))
    request: dict[str, Any] = {
        "StartArns": [state.arn],
        "Direction": state.direction,
        "MaxDepth": state.depth,
        "Filters": filters,
        "IncludeEdges": False,
    }
    found = set()
    pages = Pages(backend.client.query_lineage, request, max_pages=MAX_PAGES)
    for page in pages:
        found |= {v["Arn"] for v in page.get("Vertices", [])}
    if pages.cut_short:
        return view  # paging did not end: better no marks than wrong ones
    return replace(view, matched=frozenset(found))


def _apply(backend: Backend, view: View, key: str, op: list[str]) -> View:
    if op[0] == EXPAND and len(op) == 2:
        result = backend.query_all_pages(op[1], BOTH, 1)
        return view.merged(key, [result], [result.record()])
    if op[0] == ASK and len(op) == 3:
        from viz_app.ui.answers import answer_for

        found = answer_for(backend, view, op[1], op[2])
        results = found.results if found else []
        return view.merged(key, results, [r.record() for r in results])
    raise ValueError(f"unknown view step {op[0]!r}")


def builder(backend: Backend) -> Callable[[str, ViewCache], View]:
    """How a cache for `backend` rebuilds a view it does not hold (prefixes are reused)."""

    def build(key: str, cache: ViewCache) -> View:
        state, ops = parse_key(key)
        if state.arn is None or state.errors:
            raise ValueError("a view key needs a valid start ARN")
        if ops == [[PEEK]]:
            first = backend.query_all_pages(
                state.arn, state.direction, 1, state.filters(), max_pages=1
            )
            return View.build(key, state, first, first.record())
        base_key = view_key(state)
        view = cache.peek(base_key)
        if view is None:
            progress = cache.progress.begin(base_key)
            try:
                result = backend.query_all_pages(
                    state.arn,
                    state.direction,
                    state.depth,
                    state.filters(),
                    on_page=lambda page: progress.page(len(page.get("Vertices", []))),
                )
            finally:
                progress.done = True
            built = View.build(base_key, state, result, result.record())
            view = cache.put(matched_arns(backend, with_walk(built, cache)))
        for n in range(1, len(ops) + 1):
            step_key = view_key(state, ops[:n])
            cached = cache.peek(step_key)
            view = cached or cache.put(_apply(backend, view, step_key, ops[n - 1]))
        return view

    return build


def new_cache(backend: Backend) -> ViewCache:
    """An empty view cache that rebuilds views through `backend`."""
    return ViewCache(builder(backend))
