"""`python -m bench [--quick] [--only NAME ...]`: run benchmarks, print tables, write results."""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path
from typing import Any

from bench import calls, store, throughput, traversal
from bench.common import demo_db

RESULTS = Path(__file__).resolve().parent / "results.json"
NAMES = ("traversal", "throughput", "calls", "store")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="scale 50 instead of 1000 (~1 min)")
    parser.add_argument("--only", nargs="+", choices=NAMES, default=list(NAMES))
    args = parser.parse_args()
    scale = 50 if args.quick else 1000
    started = time.perf_counter()
    db = demo_db(scale)
    results: dict[str, Any] = {
        "scale": scale,
        "quick": args.quick,
        "machine": f"{platform.machine()} {platform.python_version()}",
    }
    if "traversal" in args.only:
        results["traversal"] = traversal.run(
            db, per_kind=13 if args.quick else 15, repeat=3, sql_every=2 if args.quick else 4
        )
    if "throughput" in args.only:
        results["throughput"] = throughput.run(db, seconds=2 if args.quick else 5)
    if "calls" in args.only:
        results["calls"] = calls.run(db)
    if "store" in args.only:
        results["store"] = store.run(scale)
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"wrote {RESULTS} in {results['elapsed_s']}s")


if __name__ == "__main__":
    main()
