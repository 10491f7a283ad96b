"""Measure the service's memory for a store file: `python -m bench.memory DB [--tracemalloc]`."""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def main(argv: list[str]) -> None:
    trace = "--tracemalloc" in argv
    from viz_app.api import server  # noqa: F401 - the service's modules, loaded as it runs
    from viz_app.core.store import Store

    store = Store(argv[0])
    entities = store.count_entities()
    start = store._conn().execute("SELECT arn FROM entities LIMIT 1").fetchone()[0]
    gc.collect()
    before = rss_bytes()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    store.engine.query_lineage(start)  # builds the index
    built = time.perf_counter() - started
    gc.collect()
    out = {"entities": entities, "index_build_s": round(built, 3)}
    if trace:
        out["index_bytes_traced"] = tracemalloc.get_traced_memory()[0]
    else:
        out["rss_before_index"] = before
        out["rss_after_index"] = rss_bytes()
    store.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
