"""`python -m bench.runs_arrange [--scale N]`: what arranging a big view by pipeline run costs.

The view: the busiest image of `demo --scale N` (default 30), Both, depth 10, served by the
local service over HTTP. Baseline, in the same run: the same view's packed elements laid out
by flow. Then by run: the runs asked (one ListTags per job, in parallel) and the view laid out
in frames; and the runs asked again (every job's run known: no call).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from bench.common import demo_db, ms, table
from viz_app.api.server import start_service
from viz_app.core.store import Store
from viz_app.ui.backends import Backend
from viz_app.ui.elements_route import packed_elements, view_runs
from viz_app.ui.query_state import from_search
from viz_app.ui.view_build import new_cache
from viz_app.ui.view_cache import view_key


def busiest_image(store: Store) -> str:
    """The image artifact with the most associations (the demo's most shared image)."""
    with store.read() as conn:
        row = conn.execute(
            "SELECT e.arn FROM entities e JOIN associations a ON a.source_arn = e.arn"
            " WHERE e.type = 'Image' GROUP BY e.arn ORDER BY count(*) DESC, e.arn LIMIT 1"
        ).fetchone()
    return str(row[0])


def run(scale: int) -> dict[str, Any]:
    store = Store(demo_db(scale))
    service = start_service(store)
    try:
        backend = Backend.for_endpoint(service.url)
        views = new_cache(backend)
        state = from_search(f"?arn={busiest_image(store)}&direction=Both&depth=10")
        view = views.get(view_key(state))
        backend.names.fill(view.by_arn)  # names are not what is measured here

        started = time.perf_counter()
        packed_elements(views, view, frozenset(), backend.names)
        flow = time.perf_counter() - started

        started = time.perf_counter()
        runs = view_runs(backend, view)
        packed_elements(views, view, frozenset(), backend.names, runs)
        first = time.perf_counter() - started
        calls = backend.runs.stats["calls"]

        started = time.perf_counter()
        view_runs(backend, view)  # every job's run is known now: no call
        again = time.perf_counter() - started
        again_calls = backend.runs.stats["calls"] - calls
        frames = len(set(runs.values()))
    finally:
        service.close()
        store.close()
    result = {
        "vertices": len(view.by_arn),
        "runs": frames,
        "list_tags_calls": calls,
        "flow_ms": ms(flow),
        "by_run_first_ms": ms(first),
        "runs_again_ms": ms(again),
        "runs_again_calls": again_calls,
        "first_vs_flow": round(first / flow, 2),
    }
    print(
        table(
            f"Arranged by run (scale {scale}, the busiest image, Both, depth 10)",
            ["vertices", "runs", "ListTags", "flow ms", "by run ms", "by run/flow", "again ms"],
            [
                [
                    result["vertices"],
                    frames,
                    calls,
                    result["flow_ms"],
                    result["by_run_first_ms"],
                    result["first_vs_flow"],
                    result["runs_again_ms"],
                ]
            ],
        )
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.runs_arrange", description=__doc__)
    parser.add_argument("--scale", type=int, default=30)
    run(parser.parse_args(argv).scale)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
