"""Load test: simulated explorer users against the app under waitress and gunicorn, loopback only.

Usage: python -m bench.load [--quick] [--users N] [--seconds S]
Starts a `lineage-viz service` on a demo store, then the app (viz_app.wsgi) under waitress (one
process, 8 threads) and gunicorn (4 sync workers; 2 gthread workers of 4 threads), all on free
127.0.0.1 ports. Each user
loads a deep link (GET /, /_dash-layout, /_dash-dependencies), then sends the Dash callback
requests the browser sends for that view and for re-roots to other vertices (payloads built from
the app's own callback map and layout, as dash-renderer builds them). Baseline: the same users
asking the service alone (QueryLineage via boto3). Prints a table; writes bench/results-load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

import boto3
import requests

from bench.common import ms, percentile, table
from viz_app.core.demo import build_demo
from viz_app.core.store import Store

HERE: Final = Path(__file__).resolve().parent
RESULTS: Final = HERE / "results-load.json"
HOST: Final = "127.0.0.1"
REROOTS_PER_PAGE: Final = 3
MAX_VIEWS_PER_USER: Final = 100_000
REQUEST_TIMEOUT: Final = 60.0
WARM_UP_USERS: Final = 8
#: The server-side callbacks the browser sends after a view's query (by their output key).
RUN_QUERY: Final = "..graph-store.data...query-error"
NAVIGATE: Final = "..url.search...start-input.value"
DRAW: Final = "..graph.elements...status.children"
FOLLOW_UPS: Final = ("..details.children", "..vertex-table.data", "breadcrumbs.children")
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


class Stats:
    """Request and view latencies and errors of one load run, shared by its user threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.view_latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.by_kind: dict[str, list[float]] = {}

    def add(self, into: list[float], seconds: float, kind: str = "") -> None:
        with self.lock:
            into.append(seconds)
            if kind:
                self.by_kind.setdefault(kind, []).append(seconds)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what[:160]] += 1


class DashUser:
    """One browser tab: keeps component props, sends callbacks as dash-renderer would."""

    def __init__(self, base: str, stats: Stats, rng: random.Random) -> None:
        self.base, self.stats, self.rng = base, stats, rng
        self.http = requests.Session()
        self.props: dict[str, Any] = {}
        self.deps: dict[str, dict[str, Any]] = {}
        self.reroots = 0

    def _timed(self, method: str, path: str, body: Any = None) -> requests.Response:
        started = time.perf_counter()
        reply = self.http.request(method, self.base + path, json=body, timeout=REQUEST_TIMEOUT)
        kind = body["output"].strip(".").split(".")[0] if body else path.split("?")[0]
        self.stats.add(self.stats.latencies, time.perf_counter() - started, kind)
        if reply.status_code != 200:
            raise RuntimeError(f"{method} {path.split('?')[0]}: HTTP {reply.status_code}")
        return reply

    def open_page(self, search: str) -> None:
        """GET the deep link and what the page fetches to start; take the layout's props."""
        self._timed("GET", "/" + search)
        layout = self._timed("GET", "/_dash-layout").json()
        deps = self._timed("GET", "/_dash-dependencies").json()
        self.deps = {d["output"]: d for d in deps}
        self.props = {}
        self._collect(layout)
        self.props.update({"url.search": search, "url.pathname": "/"})
        self.reroots = 0
        self.callback(NAVIGATE, ["url.search"])
        self.show_view()

    def _collect(self, node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                self._collect(child)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if isinstance(props.get("id"), str):
                for key, value in props.items():
                    if key not in ("id", "children"):
                        self.props[f"{props['id']}.{key}"] = value
            self._collect(props.get("children"))

    def _arg(self, dep: dict[str, str]) -> dict[str, Any]:
        arg: dict[str, Any] = {"id": dep["id"], "property": dep["property"]}
        key = f"{dep['id']}.{dep['property']}"
        if key in self.props:
            arg["value"] = self.props[key]
        return arg

    def callback(self, prefix: str, changed: list[str]) -> dict[str, Any]:
        """Send the callback whose output key starts with `prefix`; apply what it returns."""
        dep = next(d for key, d in self.deps.items() if key.startswith(prefix))
        outputs = [
            dict(zip(("id", "property"), part.split("@")[0].split("."), strict=True))
            for part in dep["output"].strip(".").split("...")
        ]
        body: dict[str, Any] = {
            "output": dep["output"],
            "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": [self._arg(i) for i in dep["inputs"]],
            "changedPropIds": changed,
            "parsedChangedPropsIds": changed,
        }
        if dep["state"]:
            body["state"] = [self._arg(s) for s in dep["state"]]
        answer: dict[str, Any] = self._timed("POST", "/_dash-update-component", body).json()
        for comp, values in answer.get("response", {}).items():
            for prop, value in values.items():
                self.props[f"{comp}.{prop}"] = value
        return answer

    def show_view(self) -> None:
        """The callbacks a new URL sets off: query, draw, details, tables, breadcrumbs."""
        started = time.perf_counter()
        self.callback(RUN_QUERY, ["url.search"])
        data = self.props.get("graph-store.data") or {}
        if len(data.get("vertices", [])) < 2 or self.props.get("query-error.children"):
            raise RuntimeError(f"query: no graph ({self.props.get('query-error.children')!r})")
        changed = ["graph-store.data", "selected-store.data", "answer-store.data"]
        self.callback(DRAW, [*changed, "groups-store.data"])
        ids = {e.get("data", {}).get("id") for e in self.props.get("graph.elements") or []}
        if data["start"] not in ids:
            raise RuntimeError("draw: the start vertex is not among the graph elements")
        self.callback(FOLLOW_UPS[0], ["selected-store.data"])
        self.callback(FOLLOW_UPS[1], ["graph-store.data", "describe-store.data"])
        self.callback(FOLLOW_UPS[2], ["trail-store.data"])
        self.stats.add(self.stats.view_latencies, time.perf_counter() - started)

    def reroot(self) -> None:
        """Select another vertex (its details load), press Re-root, show the new view."""
        data = self.props["graph-store.data"]
        others = sorted(v["Arn"] for v in data["vertices"] if v["Arn"] != data["start"])
        self.props["selected-store.data"] = self.rng.choice(others)
        self.callback(FOLLOW_UPS[0], ["selected-store.data"])
        self.reroots += 1
        self.props["reroot.n_clicks"] = self.reroots
        before = self.props["url.search"]
        self.callback(NAVIGATE, ["reroot.n_clicks"])
        if self.props["url.search"] == before:
            raise RuntimeError("re-root: the URL did not move to the selected vertex")
        self.show_view()


def app_user(base: str, starts: list[str], stats: Stats, seed: int, deadline: float) -> None:
    """Deep links, each followed by a few re-roots, until the deadline."""
    user = DashUser(base, stats, random.Random(seed))
    for n in range(MAX_VIEWS_PER_USER):
        if time.perf_counter() >= deadline:
            break
        try:
            if n % (REROOTS_PER_PAGE + 1) == 0 or "graph-store.data" not in user.props:
                arn = starts[(seed + n) % len(starts)]
                user.open_page("?" + urlencode({"arn": arn, "direction": "Both", "depth": 3}))
            else:
                user.reroot()
        except Exception as exc:
            stats.error(f"{type(exc).__name__}: {exc}")
            user.props.pop("graph-store.data", None)


def service_user(url: str, starts: list[str], stats: Stats, seed: int, deadline: float) -> None:
    """The same walk asked of the service directly: QueryLineage (all pages) per view."""
    client = boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    rng = random.Random(seed)
    arn = starts[seed % len(starts)]
    for n in range(MAX_VIEWS_PER_USER):
        if time.perf_counter() >= deadline:
            break
        started = time.perf_counter()
        try:
            kwargs: dict[str, Any] = {"StartArns": [arn], "Direction": "Both", "MaxDepth": 3}
            vertices: list[Any] = []
            for _ in range(50):
                t0 = time.perf_counter()
                page = client.query_lineage(IncludeEdges=True, **kwargs)
                stats.add(stats.latencies, time.perf_counter() - t0)
                vertices += page.get("Vertices", [])
                if not page.get("NextToken"):
                    break
                kwargs["NextToken"] = page["NextToken"]
            stats.add(stats.view_latencies, time.perf_counter() - started)
            others = sorted(v["Arn"] for v in vertices if v["Arn"] != arn)
            fresh = (n + 1) % (REROOTS_PER_PAGE + 1) == 0 or not others
            arn = starts[(seed + n + 1) % len(starts)] if fresh else rng.choice(others)
        except Exception as exc:
            stats.error(f"{type(exc).__name__}: {exc}")
            arn = starts[(seed + n + 1) % len(starts)]


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
