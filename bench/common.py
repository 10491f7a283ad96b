"""Shared benchmark helpers: the cached demo store, timing, percentiles and aligned tables."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from viz_app.core.demo import build_demo
from viz_app.core.store import Store

OUT = Path(__file__).resolve().parent / "out"
T = TypeVar("T")


def demo_db(scale: int) -> Path:
    """The demo store at `scale`, built once and cached under bench/out/."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"demo-{scale}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for leftover in OUT.glob(partial.name + "*"):
            leftover.unlink()
        store = Store(partial)
        try:
            build_demo(store, scale=scale, seed=0)
            store._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            store.close()
        partial.rename(path)
        for leftover in OUT.glob(partial.name + "*"):
            leftover.unlink()
    return path


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of `repeat` calls (seconds) and the last result."""
    times: list[float] = []
    result: T
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned text table: text left, numbers right."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    numeric = [all(isinstance(row[i], int | float) for row in rows) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([title, line(headers), rule, *(line(r) for r in cells)])


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
