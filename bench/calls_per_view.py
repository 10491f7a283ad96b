"""Benchmark 3 in the browser: the calls our explorer's first view makes, against the SDK way.

Each view is opened by deep link in headless Chromium against the real app (in this process,
on the local service over a demo store); a botocore hook on the app backend's client counts
QueryLineage, Describe* and other calls until the page is drawn, named and idle (names come
from ListArtifacts pages or parallel Describe calls, each artifact at most once). The SDK way is
`LineageQuery.query(...)` plus `to_lineage_object()` per vertex, counted the same way.
The one benchmark 3 (an older backend-only count, bench/calls.py, was removed: it did not see
what the page itself asks). Run alone: `python -m bench.calls_per_view [--quick]`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import threading
from collections import Counter
from typing import Any, Final
from urllib.parse import urlencode

import boto3

from bench.common import OUT, demo_db, table
from bench.pages.browser import _wait_idle, chromium, new_page
from viz_app.core.store import Store
from viz_app.ui.query_state import DEFAULT_DEPTH, DEFAULT_DIRECTION

DRAWN: Final = """a => { const e = document.getElementById('graph');
  const c = e && e._cyreg && e._cyreg.cy;
  return c && c.$('node.start').length === 1 && c.$('node.start').id() === a; }"""


def _count_calls(client: Any) -> Counter[str]:
    """A live count of the API calls `client` makes, by operation name."""
    calls: Counter[str] = Counter()

    def hook(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    client.meta.events.register("before-call", hook)
    return calls


def _starts(store: Store) -> dict[str, str]:
    """One start ARN per kind of first view: an endpoint context, a model and a dataset."""
    conn = store._conn()
    picks = {}
    for label, etype in (
        ("endpoint context", "Endpoint"),
        ("model", "Model"),
        ("dataset", "DataSet"),
    ):
        picks[label] = conn.execute(
            "SELECT arn FROM entities WHERE type = ? ORDER BY arn LIMIT 1", (etype,)
        ).fetchone()[0]
    return picks


def sdk_first_view(client: Any, start: str, direction: str, depth: int) -> int:
    """The SDK way: one LineageQuery, then `to_lineage_object()` for every vertex it returns."""
    os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
    import sagemaker
    from sagemaker.lineage.query import LineageQuery, LineageQueryDirectionEnum

    session = sagemaker.Session(  # type: ignore[attr-defined]
        boto_session=boto3.Session(
            region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
        ),
        sagemaker_client=client,
        sagemaker_config={"SchemaVersion": "1.0"},
    )
    result = LineageQuery(session).query(  # type: ignore[no-untyped-call]
        start_arns=[start],
        direction=LineageQueryDirectionEnum(direction),
        include_edges=True,
        max_depth=depth,
    )
    for vertex in result.vertices:
        vertex.to_lineage_object()  # type: ignore[no-untyped-call]
    return len({v.arn for v in result.vertices})


def _in_flight(page: Any) -> set[Any]:
    """The page's requests still in flight (Playwright wraps handlers: lambdas, not methods)."""
    pending: set[Any] = set()
    page.on("request", lambda r: pending.add(r))
    page.on("requestfinished", lambda r: pending.discard(r))
    page.on("requestfailed", lambda r: pending.discard(r))
    return pending


def _view_size(flask_app: Any) -> tuple[int, int]:
    """Vertices (and artifacts among them) of the one view the app's cache holds."""
    views = flask_app.extensions["lineage_viz_views"]
    keys = list(views._views)
    if not keys:
        return 0, 0
    vertices = views.get(keys[-1]).vertices
    return len(vertices), sum(":artifact/" in v["Arn"] for v in vertices)


def _split(calls: Counter[str]) -> tuple[int, int, int]:
    describe = sum(n for op, n in calls.items() if op.startswith("Describe"))
    lineage = calls["QueryLineage"]
    return lineage, describe, sum(calls.values()) - lineage - describe


def _views(store_starts: dict[str, str]) -> list[tuple[str, str, str, int]]:
    views = [(label, arn, DEFAULT_DIRECTION, DEFAULT_DEPTH) for label, arn in store_starts.items()]
    views.append(("endpoint, Both depth 10", store_starts["endpoint context"], "Both", 10))
    return views


def main(quick: bool = False) -> dict[str, Any]:
    """Count the calls for a few first views; print a table; write bench/out/calls_per_view.json."""
    from waitress.server import create_server

    from viz_app.api.server import start_service
    from viz_app.ui.app import create_app
    from viz_app.ui.backends import Backend

    store = Store(demo_db(50 if quick else 1000))
    service = start_service(store)
    rows: list[list[Any]] = []
    out: dict[str, Any] = {}
    try:
        with chromium() as browser:
            for label, start, direction, depth in _views(_starts(store)):
                backend = Backend.for_endpoint(service.url, account_id=service.account_id)
                flask_app = create_app(backend).server
                server: Any = create_server(flask_app, host="127.0.0.1", port=0, threads=8)
                thread = threading.Thread(target=server.run, daemon=True)
                thread.start()
                ours = _count_calls(backend.client)
                page = new_page(browser, 120_000)
                pending = _in_flight(page)
                query = urlencode({"arn": start, "direction": direction, "depth": depth})
                try:
                    page.goto(f"http://127.0.0.1:{server.effective_port}/?{query}")
                    page.wait_for_function(DRAWN, arg=start)
                    _wait_idle(page, pending, quiet_ms=800)
                    page.wait_for_function("() => window.lineageViz.namesDone === true")
                    vertices, artifacts = _view_size(flask_app)
                finally:
                    page.context.close()
                    server.close()
                    thread.join(timeout=5)
                sdk_client = boto3.client(
                    "sagemaker",
                    endpoint_url=service.url,
                    region_name="us-east-1",
                    aws_access_key_id="x",
                    aws_secret_access_key="y",
                )
                theirs = _count_calls(sdk_client)
                seen = sdk_first_view(sdk_client, start, direction, depth)
                ql, describe, other = _split(ours)
                list_pages = backend.names.stats["list_pages"]
                sdk_ql, sdk_describe, sdk_other = _split(theirs)
                out[label] = {
                    "vertices": vertices,
                    "sdk_vertices_seen": seen,
                    "artifacts": artifacts,
                    "ours": {
                        "QueryLineage": ql,
                        "Describe": describe,
                        "name_list_pages": list_pages,
                        "other": other - list_pages,
                    },
                    "expected_query_lineage": math.ceil(vertices / 50),
                    "sdk": {"QueryLineage": sdk_ql, "Describe": sdk_describe, "other": sdk_other},
                }
                expected = math.ceil(vertices / 50)
                row = [label, vertices, artifacts, ql, expected, describe, list_pages,
                       other - list_pages, sdk_ql, sdk_describe, seen]  # fmt: skip
                rows.append(row)
    finally:
        service.close()
        store.close()
    # Names cost at most one call per artifact (List pages when many are unnamed), never
    # one per vertex in series as the SDK's walk does.
    met = all(
        r["ours"]["QueryLineage"] == r["expected_query_lineage"]
        and r["ours"]["Describe"] + r["ours"]["name_list_pages"] <= r["artifacts"]
        for r in out.values()
    )
    headers = ["view", "V", "artifacts", "ours QL", "ceil(V/50)", "names: Describe",
               "names: List pages", "ours other", "SDK QL", "SDK Describe",
               "SDK V seen"]  # fmt: skip
    print(
        table(
            "Calls for a first view in the browser: our explorer vs LineageQuery +"
            " to_lineage_object() per vertex ('other' = the page's start suggestions)",
            headers,
            rows,
        )
    )
    target = "ceil(V/50) QueryLineage; names: Describe + List pages <= artifacts"
    print(f"target ({target}): {'met' if met else 'NOT met'}")
    result = {"benchmark": "calls_per_view", "quick": quick, "views": out, "target_met": met}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "calls_per_view.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="the scale-50 demo store")
    main(parser.parse_args().quick)
