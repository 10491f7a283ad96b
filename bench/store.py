"""Benchmark 4: bulk load rate of the demo, store size on disk, service memory per entity."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import OUT, table
from viz_app.core.demo import build_demo
from viz_app.core.store import Store


def _file_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _memory(db: Path, *flags: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(db), *flags],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(scale: int) -> dict[str, Any]:
    OUT.mkdir(exist_ok=True)
    db = OUT / f"load-{scale}.db"
    for old in OUT.glob(db.name + "*"):
        old.unlink()
    store = Store(db)
    try:
        started = time.perf_counter()
        summary = build_demo(store, scale=scale, seed=0)
        load = time.perf_counter() - started
        store._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    size = _file_size(db)
    records = summary.entities + summary.associations
    rss = _memory(db)
    traced = _memory(db, "--tracemalloc")
    for old in OUT.glob(db.name + "*"):
        old.unlink()
    entities = summary.entities
    rss_index = rss["rss_after_index"] - rss["rss_before_index"]
    result = {
        "scale": scale,
        "entities": entities,
        "associations": summary.associations,
        "tags": summary.tags,
        "load_s": round(load, 2),
        "load_records_per_s": round(records / load),
        "db_bytes": size,
        "db_bytes_per_entity": round(size / entities),
        "index_build_s": rss["index_build_s"],
        "rss_total_bytes": rss["rss_after_index"],
        "rss_total_bytes_per_entity": round(rss["rss_after_index"] / entities),
        "rss_index_bytes_per_entity": round(rss_index / entities),
        "traced_index_bytes_per_entity": round(traced["index_bytes_traced"] / entities),
    }
    rows = [
        ["entities / associations / tags", f"{entities:,} / {summary.associations:,} / "
         f"{summary.tags:,}"],
        ["bulk load (build_demo)", f"{load:.1f} s = {records / load:,.0f} records/s"],
        ["store on disk", f"{size / 1e6:.1f} MB = {size / entities:,.0f} B/entity"],
        ["index build (first query)", f"{rss['index_build_s']:.2f} s"],
        ["service RSS after index", f"{rss['rss_after_index'] / 1e6:.0f} MB = "
         f"{rss['rss_after_index'] / entities:,.0f} B/entity"],
        ["  of which the index (RSS delta)", f"{rss_index / entities:,.0f} B/entity"],
        ["  index (tracemalloc)", f"{traced['index_bytes_traced'] / entities:,.0f} B/entity"],
    ]  # fmt: skip
    print(table(f"Store at scale {scale}", ["measure", "value"], rows))
    print()
    return result
