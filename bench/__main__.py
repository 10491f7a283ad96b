"""`python -m bench [--quick] [--only NAME ...]`: run the benchmarks, print tables, write results.

Benchmarks: traversal (engine vs networkx), throughput (QueryLineage over HTTP), calls (first-view
calls, counted in the browser), store (bulk load, size, memory), click (click to graph in the
browser vs the SDK's pyvis pages), load (concurrent users against the app under waitress and
gunicorn), arrange (a big view arranged by pipeline run, against by flow). Each one's result
goes under its name in bench/results.json (entries of benchmarks not run this time are kept,
with when and how they ran under "runs"); click and load also write their own files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from viz_app.chromium import CHROMIUM, chromium_available

RESULTS: Final = Path(__file__).resolve().parent / "results.json"
NAMES: Final = ("traversal", "throughput", "calls", "store", "click", "load", "arrange")
BROWSER: Final = frozenset({"calls", "click"})
OWN_SCALE: Final = frozenset({"click", "load", "arrange"})  # they choose their own demo sizes
EPILOG: Final = (
    "Run alone: python -m bench.click_to_graph [--quick] [--runs N], python -m bench.load"
    " [--quick] [--users N] [--seconds S], python -m bench.calls_per_view [--quick]. The API"
    " fuzzer is separate, with its own options: python -m bench.fuzz --help."
)


def runners(quick: bool) -> dict[str, Callable[[], dict[str, Any]]]:
    """Each benchmark as a call returning its results dict (imports wait until it runs)."""
    scale = 50 if quick else 1000

    def traversal() -> dict[str, Any]:
        from bench import traversal
        from bench.common import demo_db

        per_kind, sql_every = (13, 2) if quick else (15, 4)
        return traversal.run(demo_db(scale), per_kind=per_kind, repeat=3, sql_every=sql_every)

    def throughput() -> dict[str, Any]:
        from bench import throughput
        from bench.common import demo_db

        return throughput.run(demo_db(scale), seconds=2 if quick else 5)

    def calls() -> dict[str, Any]:
        from bench import calls_per_view

        return calls_per_view.main(quick)

    def store() -> dict[str, Any]:
        from bench import store

        return store.run(scale)

    def click() -> dict[str, Any]:
        from bench import click_to_graph

        return click_to_graph.main(quick)

    def load() -> dict[str, Any]:
        from bench import load

        return load.main(quick)

    def arrange() -> dict[str, Any]:
        from bench import runs_arrange

        return runs_arrange.run(5 if quick else 30)

    return {
        "traversal": traversal,
        "throughput": throughput,
        "calls": calls,
        "store": store,
        "click": click,
        "load": load,
        "arrange": arrange,
    }


def _previous() -> dict[str, Any]:
    try:
        found = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(__doc__ or "").split("\n\n", 1)[1],
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="small sizes and short runs")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=NAMES,
        default=list(NAMES),
        metavar="NAME",
        help=f"run only these, of: {', '.join(NAMES)} (default: all)",
    )
    args = parser.parse_args(argv)
    results = _previous()
    runs: dict[str, Any] = results.get("runs", {}) if isinstance(results.get("runs"), dict) else {}
    machine = f"{platform.machine()} {platform.python_version()}"
    started = time.perf_counter()
    todo = runners(args.quick)
    for name in NAMES:
        if name not in args.only:
            continue
        if name in BROWSER and not chromium_available():
            print(f"SKIPPED {name}: it needs Debian's Chromium at {CHROMIUM}, which is missing.")
            continue
        print(f"\n=== {name} ===", flush=True)
        began = time.perf_counter()
        results[name] = todo[name]()
        runs[name] = {
            "quick": args.quick,
            "demo_scale": None
            if name in ("click", "load", "runs")
            else (50 if args.quick else 1000),
            "machine": machine,
            "seconds": round(time.perf_counter() - began, 1),
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    # The old single-run header, and "http" (the old name of throughput).
    for stale in ("scale", "quick", "machine", "elapsed_s", "http"):
        results.pop(stale, None)
    results["runs"] = runs
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
