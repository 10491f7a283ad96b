"""Benchmark 1 (in-process): QueryLineage through the engine vs networkx vs the reference SQL
walk (`core.lineage.query_lineage`, the per-level walk the service used before the index)."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench import nxref
from bench.common import ms, percentile, table, timed
from viz_app.core.lineage import (
    ASCENDANTS,
    BOTH,
    DESCENDANTS,
    LineageResult,
    QueryFilters,
    query_lineage,
)
from viz_app.core.store import Store

FILTERS = {
    "none": QueryFilters(),
    "Artifact DataSet|Model": QueryFilters(
        types=frozenset({"DataSet", "Model"}), lineage_types=frozenset({"Artifact"})
    ),
}
DEPTH = 10


@dataclass
class Group:
    direction: str
    filter_name: str
    edges: bool
    engine: list[float]
    networkx: list[float]
    sql: list[float]
    vertices: list[int]
    mismatches: int = 0


def _timed_call(
    fn: Callable[..., LineageResult],
    args: tuple[Any, ...],
    kw: dict[str, Any],
    repeat: int,
    before: Callable[[], None] | None = None,
) -> tuple[float, LineageResult]:
    """Median wall time of `repeat` calls `fn(*args, **kw)` (seconds) and the last result.

    Both sides are timed through this same call; `before` runs outside the timing (the engine
    drops its answer cache there, to time the walk: dropping it is not part of answering).
    """
    times: list[float] = []
    result = LineageResult()
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        result = fn(*args, **kw)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def pick_starts(store: Store, per_kind: int) -> list[str]:
    """`per_kind` start ARNs of every lineage kind, spread evenly over its types (deterministic)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for arn, kind, etype in store._conn().execute(
        "SELECT arn, kind, COALESCE(type, '') FROM entities ORDER BY kind, type, arn"
    ):
        groups.setdefault((kind, etype), []).append(arn)
    starts: list[str] = []
    for kind in sorted({k for k, _ in groups}):
        lists = [arns for (k, _), arns in sorted(groups.items()) if k == kind]
        picked: list[str] = []
        round_ = 0
        while len(picked) < per_kind and round_ < max(len(a) for a in lists):
            for arns in lists:
                if len(picked) < per_kind and round_ < len(arns):
                    step = max(1, len(arns) // per_kind)
                    picked.append(arns[(round_ * step) % len(arns)])
            round_ += 1
        starts.extend(picked)
    return starts


def run(db: Path, *, per_kind: int, repeat: int, sql_every: int) -> dict[str, Any]:
    store = Store(db)
    try:
        started = time.perf_counter()
        store.engine.query_lineage(store._conn().execute("SELECT arn FROM entities").fetchone()[0])
        index_build = time.perf_counter() - started
        started = time.perf_counter()
        graph = nxref.build_graph(store)
        nx_build = time.perf_counter() - started
        starts = pick_starts(store, per_kind)
        groups = _measure(store, graph, starts, repeat, sql_every)
    finally:
        store.close()
    return _report(groups, len(starts), index_build, nx_build)


def _measure(
    store: Store, graph: Any, starts: list[str], repeat: int, sql_every: int
) -> list[Group]:
    engine = store.engine
    groups: list[Group] = []
    for direction in (ASCENDANTS, DESCENDANTS, BOTH):
        for filter_name, filters in FILTERS.items():
            for edges in (False, True):
                group = Group(direction, filter_name, edges, [], [], [], [])
                gc.collect()
                for i, start in enumerate(starts):
                    kw: dict[str, Any] = {
                        "direction": direction,
                        "max_depth": DEPTH,
                        "filters": filters,
                        "include_edges": edges,
                    }
                    # Time the walk, not the answer cache (every call starts cold).
                    t_engine, ours = _timed_call(
                        engine.query_lineage, (start,), kw, repeat, engine.forget_answers
                    )
                    t_nx, theirs = _timed_call(
                        nxref.query, (graph, start), {"max_depth": DEPTH, **_nx(kw)}, repeat
                    )
                    group.engine.append(t_engine)
                    group.networkx.append(t_nx)
                    group.vertices.append(len(ours.vertices))
                    if ours != theirs:
                        group.mismatches += 1
                    if sql_every and i % sql_every == 0:
                        t_sql, old = timed(partial(query_lineage, store, start, **kw), 1)
                        group.sql.append(t_sql)
                        if old != ours:
                            group.mismatches += 1
                groups.append(group)
    return groups


def _nx(kw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if k != "max_depth"}


def _stats(times: list[float]) -> tuple[float, float]:
    return (statistics.median(times), percentile(times, 95)) if times else (0.0, 0.0)


def _report(
    groups: list[Group], starts: int, index_build: float, nx_build: float
) -> dict[str, Any]:
    rows: list[list[Any]] = []
    out: list[dict[str, Any]] = []
    everything = Group("all", "", False, [], [], [], [])
    for g in groups:
        for name in ("engine", "networkx", "sql", "vertices"):
            getattr(everything, name).extend(getattr(g, name))
        everything.mismatches += g.mismatches
    for g in [*groups, everything]:
        e_med, e_p95 = _stats(g.engine)
        n_med, n_p95 = _stats(g.networkx)
        s_med, s_p95 = _stats(g.sql)
        label = g.filter_name if g.direction != "all" else ""
        edges = ("yes" if g.edges else "no") if g.direction != "all" else ""
        item = {
            "direction": g.direction,
            "filters": label,
            "include_edges": g.edges,
            "queries": len(g.engine),
            "vertices_median": statistics.median(g.vertices),
            "engine_ms": {"median": ms(e_med), "p95": ms(e_p95)},
            "networkx_ms": {"median": ms(n_med), "p95": ms(n_p95)},
            "ratio_engine_networkx": {"median": e_med / n_med, "p95": e_p95 / n_p95},
            "sql_walk_ms": {"median": ms(s_med), "p95": ms(s_p95), "queries": len(g.sql)},
            "mismatches": g.mismatches,
        }
        out.append(item)
        rows.append(
            [
                g.direction, label, edges, len(g.engine), int(statistics.median(g.vertices)),
                ms(e_med), ms(e_p95), ms(n_med), ms(n_p95),
                round(e_med / n_med, 2), round(e_p95 / n_p95, 2),
                ms(s_med), ms(s_p95), g.mismatches,
            ]
        )  # fmt: skip
    headers = [
        "direction", "filters", "edges", "queries", "V med", "engine med", "engine p95",
        "nx med", "nx p95", "ratio med", "ratio p95", "old sql med", "old sql p95", "mismatch",
    ]  # fmt: skip
    print(
        table(
            f"Traversal, in-process ({starts} starts, depth {DEPTH}; times in ms;"
            " ratio = engine/nx; old sql = the per-level SQL walk before the index,"
            " on every few starts)",
            headers,
            rows,
        )
    )
    print(f"index build {index_build:.2f}s, networkx DiGraph build {nx_build:.2f}s\n")
    return {
        "starts": starts,
        "depth": DEPTH,
        "index_build_s": round(index_build, 3),
        "networkx_build_s": round(nx_build, 3),
        "groups": out,
    }
