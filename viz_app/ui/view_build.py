"""Building a view from its key: the QueryLineage question, then each expand / answer merge."""

from __future__ import annotations

from collections.abc import Callable

from viz_app.ui.backends import Backend
from viz_app.ui.view_cache import View, ViewCache, parse_key, view_key

EXPAND = "expand"
ASK = "ask"


def _apply(backend: Backend, view: View, key: str, op: list[str]) -> View:
    if op[0] == EXPAND and len(op) == 2:
        result = backend.query_all_pages(op[1], "Both", 1)
        return view.merged(key, [result], [result.record()])
    if op[0] == ASK and len(op) == 3:
        from viz_app.ui.callbacks_questions import answer_for

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
        base_key = view_key(state)
        view = cache.peek(base_key)
        if view is None:
            result = backend.query_all_pages(
                state.arn, state.direction, state.depth, state.filters()
            )
            view = cache.put(View.build(base_key, state, result, result.record()))
        for n in range(1, len(ops) + 1):
            step_key = view_key(state, ops[:n])
            cached = cache.peek(step_key)
            view = cached or cache.put(_apply(backend, view, step_key, ops[n - 1]))
        return view

    return build


def new_cache(backend: Backend) -> ViewCache:
    """An empty view cache that rebuilds views through `backend`."""
    return ViewCache(builder(backend))
