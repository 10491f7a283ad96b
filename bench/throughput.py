"""Benchmark 1 (HTTP): QueryLineage requests per second through boto3, one client and several."""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import boto3

from bench.common import table
from viz_app.core.store import Store

SCENARIOS = {
    "endpoint ctx Ascendants +edges": ("Endpoint", "Ascendants", True),
    "dataset Descendants": ("DataSet", "Descendants", False),
}


def _client(url: str) -> Any:
    return boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="y",
    )


def _starts(db: Path, entity_type: str, count: int) -> list[str]:
    store = Store(db)
    try:
        rows = store._conn().execute(
            "SELECT arn FROM entities WHERE type = ? ORDER BY arn", (entity_type,)
        )
        arns = [r[0] for r in rows]
    finally:
        store.close()
    step = max(1, len(arns) // count)
    return arns[::step][:count]


def _rate(
    url: str, starts: list[str], direction: str, edges: bool, threads: int, secs: float
) -> float:
    clients = [_client(url) for _ in range(threads)]
    counts = [0] * threads
    stop = time.perf_counter() + secs

    def work(i: int) -> None:
        n = 0
        while time.perf_counter() < stop:
            start = starts[(i * 7 + n) % len(starts)]
            clients[i].query_lineage(
                StartArns=[start], Direction=direction, IncludeEdges=edges, MaxDepth=10
            )
            n += 1
        counts[i] = n

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (time.perf_counter() - started)


def _serve(db: Path, flags: list[str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", str(db), *flags],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def run(db: Path, *, seconds: float, slices: int = 4) -> dict[str, Any]:
    """Both services run side by side; each cell alternates between them in short slices."""
    engines = {"index": _serve(db, []), "old sql": _serve(db, ["--sql"])}
    results: dict[str, Any] = {}
    rows: list[list[Any]] = []
    try:
        for name, (etype, direction, edges) in SCENARIOS.items():
            starts = _starts(db, etype, 20)
            cell: dict[str, dict[str, Any]] = {}
            for engine, (_, url) in engines.items():
                client = _client(url)
                warm = time.perf_counter()
                client.query_lineage(
                    StartArns=[starts[0]], Direction=direction, IncludeEdges=edges, MaxDepth=10
                )
                cell[engine] = {"first_request_s": round(time.perf_counter() - warm, 3)}
            for threads in (1, 4):
                rates: dict[str, list[float]] = {engine: [] for engine in engines}
                for _ in range(slices):
                    for engine, (_, url) in engines.items():
                        rates[engine].append(
                            _rate(url, starts, direction, edges, threads, seconds / slices)
                        )
                for engine in engines:
                    cell[engine][f"rps_{threads}"] = round(statistics.median(rates[engine]), 1)
            for engine in engines:
                c = cell[engine]
                rows.append(
                    [name, engine, round(c["first_request_s"] * 1000, 1), c["rps_1"], c["rps_4"]]
                )
            for threads in (1, 4):
                key = f"rps_{threads}"
                cell[f"ratio_index_vs_sql_{threads}"] = {
                    "ratio": round(cell["index"][key] / cell["old sql"][key], 2)
                }
            results[name] = cell
    finally:
        for proc, _ in engines.values():
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(timeout=60)
    headers = ["query", "engine", "first req ms", "req/s 1 client", "req/s 4 clients"]
    print(
        table(
            f"QueryLineage over HTTP with boto3 (each service in its own process; {seconds:.0f}s"
            " per cell in alternating slices, median slice; first req includes the index build)",
            headers,
            rows,
        )
    )
    print()
    return results
