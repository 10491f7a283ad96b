"""Load test: simulated explorer users against the app under waitress and gunicorn, loopback only.

Usage: python -m bench.load [--quick] [--users N] [--seconds S]
Starts a `lineage-viz service` on a demo store, then the app (viz_app.wsgi) under waitress (one
process, 8 threads) and gunicorn (4 sync workers; 2 gthread workers of 4 threads), all on free
127.0.0.1 ports. Each user (`bench.load_users.DashUser`) loads a deep link (GET /, /_dash-layout,
/_dash-dependencies), then sends the Dash callback requests the browser sends for that view and for
re-roots to other vertices (tap a node, press Re-root), with payloads built from the app's own
callback map and layout as dash-renderer builds them. Baseline: the same users asking the service
alone (QueryLineage via boto3). Prints a table; writes bench/results-load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import requests

from bench.common import ms, percentile, table
from bench.load_users import REQUEST_TIMEOUT, Stats, app_user, service_user
from viz_app.core.demo import build_demo
from viz_app.core.store import Store

HERE: Final = Path(__file__).resolve().parent
RESULTS: Final = HERE / "results-load.json"
HOST: Final = "127.0.0.1"
WARM_UP_USERS: Final = 8
_APP: Final = "viz_app.wsgi:create_wsgi_app"
#: The production servers, as their documented commands (split on spaces; no shell).
SERVERS: Final = {
    "waitress 8 threads": f"waitress-serve --threads 8 --listen {HOST}:0 --call {_APP}",
    "gunicorn 4 sync workers": f"gunicorn -w 4 -b {HOST}:0 --no-control-socket {_APP}()",
    "gunicorn 2 workers x 4 threads": (
        f"gunicorn -w 2 -k gthread --threads 4 -b {HOST}:0 --no-control-socket {_APP}()"
    ),
}
LISTENING: Final = re.compile(r"(?:Serving on|Listening at:) (http://127\.0\.0\.1:\d+)")


def drive(
    user: Callable[[str, list[str], Stats, int, float], None],
    target: str,
    starts: list[str],
    users: int,
    seconds: float,
) -> dict[str, Any]:
    """Run `users` threads for `seconds`; their throughput, latency and errors."""
    stats = Stats()
    started = time.perf_counter()
    deadline = started + seconds
    threads = [
        threading.Thread(target=user, args=(target, starts, stats, i, deadline), daemon=True)
        for i in range(users)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + REQUEST_TIMEOUT + 30)
    elapsed = time.perf_counter() - started
    lat, views = stats.latencies or [0.0], stats.view_latencies or [0.0]
    return {
        "users": users,
        "requests": len(stats.latencies),
        "views": len(stats.view_latencies),
        "requests_per_s": round(len(stats.latencies) / elapsed, 1),
        "views_per_s": round(len(stats.view_latencies) / elapsed, 2),
        "p50_ms": ms(percentile(lat, 50)),
        "p95_ms": ms(percentile(lat, 95)),
        "max_ms": ms(max(lat)),
        "view_p50_ms": ms(percentile(views, 50)),
        "view_p95_ms": ms(percentile(views, 95)),
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors),
        "seconds": round(elapsed, 2),
        "p50_ms_by_request": {k: ms(percentile(v, 50)) for k, v in sorted(stats.by_kind.items())},
    }


@contextmanager
def started(cmd: list[str], env: dict[str, str], pattern: re.Pattern[str]) -> Iterator[str]:
    """Run `cmd` until the block ends; yield the first URL its output announces."""
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:  # drained until exit so the pipe never fills
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError(f"{cmd[0]} did not start in time") from None
            found = pattern.search(line)
            if found:
                yield found.group(1)
                return
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def ready(url: str) -> None:
    """Wait until the app answers its page (gunicorn workers build the app after binding)."""
    for _ in range(600):
        try:
            if requests.get(url + "/_dash-layout", timeout=30).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} never answered")


def main(
    quick: bool, users: list[int] | None = None, seconds: float | None = None
) -> dict[str, Any]:
    """Run every target at every user count; print the table, write results-load.json."""
    levels = users or [1, 5, 20]
    duration = seconds if seconds is not None else (3.0 if quick else 15.0)
    warm_up = 1.0 if quick else 3.0
    workdir = tempfile.mkdtemp(prefix="lineage-load-")
    rows: list[dict[str, Any]] = []
    try:
        db = os.path.join(workdir, "demo.db")
        store = Store(db)
        summary = build_demo(store)
        store.close()
        starts = sorted(summary.endpoint_context_arns)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LINEAGE_VIZ_")}
        service_cmd = [sys.executable, "-m", "viz_app", "service", "--port", "0", "--db", db]
        with started(service_cmd, env, re.compile(r"^(http://127\.0\.0\.1:\d+)")) as svc:
            drive(service_user, svc, starts, WARM_UP_USERS, warm_up)  # discarded
            for n in levels:
                rows.append(
                    {"target": "service (boto3)", **drive(service_user, svc, starts, n, duration)}
                )
            app_env = {**env, "LINEAGE_VIZ_BACKEND": "local", "LINEAGE_VIZ_ENDPOINT_URL": svc}
            for name, cmd in SERVERS.items():
                with started(cmd.split(), app_env, LISTENING) as url:
                    ready(url)
                    drive(app_user, url, starts, WARM_UP_USERS, warm_up)  # every worker warm
                    for n in levels:
                        rows.append(
                            {"target": f"app, {name}", **drive(app_user, url, starts, n, duration)}
                        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    cols = {"target": "target", "users": "users", "requests": "requests",
            "requests_per_s": "req/s", "views_per_s": "views/s", "p50_ms": "p50 ms",
            "p95_ms": "p95 ms", "max_ms": "max ms", "view_p50_ms": "view p50 ms",
            "view_p95_ms": "view p95 ms", "errors": "errors"}  # fmt: skip
    title = f"Load: {duration:g} s per row, loopback, {os.cpu_count()} cores"
    print(table(title, list(cols.values()), [[r[k] for k in cols] for r in rows]))
    single = [r for r in rows if r["users"] == min(levels) and r["p50_ms_by_request"]]
    if single:
        kinds = sorted(single[0]["p50_ms_by_request"])
        by_kind = [[k, *(r["p50_ms_by_request"].get(k, 0.0) for r in single)] for k in kinds]
        heads = ["request (callback: first output id)", *(r["target"][5:] for r in single)]
        print(table(f"\nApp p50 ms per request kind, {min(levels)} user(s)", heads, by_kind))
    for r in rows:
        for kind, count in r["error_kinds"].items():
            print(f"  {r['target']} x{r['users']}: {count} x {kind}")
    result = {"quick": quick, "seconds_per_row": duration, "rows": rows}
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return result


def _cli() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short rows (3 s each)")
    parser.add_argument("--users", type=int, action="append", help="user count (repeatable)")
    parser.add_argument("--seconds", type=float, help="seconds per row")
    args = parser.parse_args()
    result = main(args.quick, args.users, args.seconds)
    return 1 if any(r["errors"] for r in result["rows"]) else 0


if __name__ == "__main__":
    sys.exit(_cli())
