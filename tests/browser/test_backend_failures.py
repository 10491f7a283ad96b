"""The service dies, throttles or answers slowly: a clear sentence, recovery, no partial graph."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from browser_helpers import node_ids, wait_for_graph
from test_explorer import wait_for_start

from viz_app.api.server import Faults, LineageService, start_service
from viz_app.core.demo import DemoSummary, build_demo
from viz_app.core.demo_shapes import LineageBuilder
from viz_app.core.model import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from viz_app.core.store import Store
from viz_app.ui.app import create_app
from viz_app.ui.backends import Backend

pytestmark = pytest.mark.browser

WIDE = 120  # datasets into one hub: three QueryLineage pages of 50
UNREACHABLE = "could not be reached"
THROTTLED = "SageMaker is throttling requests"
TOO_SLOW = "took too long to answer"


class ThrottleAfter(Faults):
    """The service's fault switch, set to throttle every request after the first `ok` ones."""

    def __init__(self, ok: int) -> None:
        super().__init__()
        self._left = ok

    @property  # type: ignore[override]
    def throttle_next(self) -> int:
        if self._left > 0:
            self._left -= 1
            return 0
        return 1

    @throttle_next.setter
    def throttle_next(self, _value: int) -> None:
        pass


def wide_hub(store: Store) -> str:
    b = LineageBuilder(random.Random(3), DEFAULT_REGION, DEFAULT_ACCOUNT_ID, 1.7e9)
    hub = b.context("wide-hub", "Endpoint", "arn:aws:sagemaker:::endpoint/w", "Endpoint", "")
    for i in range(WIDE):
        b.associate(b.dataset(f"s3://wide/part-{i:03d}.csv"), hub)
    b.flush(store)
    return hub


class InProcess:
    """The app built in-process on a service whose faults the test switches."""

    def __init__(self, service: LineageService, backend: Backend, url: str, demo: DemoSummary):
        self.service, self.backend, self.url, self.demo = service, backend, url, demo
        self.queries: list[str] = []
        backend.client.meta.events.register("before-send", self._count)

    def _count(self, request: Any, **_: Any) -> None:
        if request.headers.get("X-Amz-Target") == b"SageMaker.QueryLineage":
            self.queries.append("QueryLineage")


@pytest.fixture(scope="module")
def inproc() -> Iterator[InProcess]:
    import waitress  # type: ignore[import-untyped]

    store = Store()
    demo = build_demo(store)
    hub = wide_hub(store)
    service = start_service(store)
    client = boto3.client(
        "sagemaker",
        endpoint_url=service.url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"mode": "standard", "max_attempts": 3}, read_timeout=2),
    )
    backend = Backend(client, region="us-east-1", account_id=service.account_id)
    server: Any = waitress.create_server(create_app(backend).server, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    env = InProcess(service, backend, f"http://127.0.0.1:{server.effective_port}/", demo)
    env.hub = hub  # type: ignore[attr-defined]
    yield env
    server.close()
    service.close()
    store.close()


def view(env: Any, arn: str, direction: str = "Ascendants", depth: int = 10) -> str:
    return f"{env.url}?arn={arn}&direction={direction}&depth={depth}"


def graph_size(page: Any) -> int:
    return int(page.evaluate("() => document.getElementById('graph')._cyreg.cy.nodes().length"))


def test_throttling_that_retries_absorb_still_shows_the_whole_graph(page: Any, inproc: Any) -> None:
    inproc.service.faults.throttle_next = 2
    endpoint = inproc.demo.endpoint_context_arns[0]
    page.goto(view(inproc, endpoint))
    wait_for_start(page, endpoint)
    assert inproc.service.faults.throttle_next == 0
    assert page.inner_text("#query-error") == ""


def test_throttling_beyond_the_retries_is_explained_and_the_next_query_works(
    page: Any, inproc: Any
) -> None:
    endpoint = inproc.demo.endpoint_context_arns[0]
    page.goto(view(inproc, endpoint))
    wait_for_start(page, endpoint)
    inproc.service.faults.throttle_next = 100
    page.goto(view(inproc, endpoint, "Both", 2))
    page.locator("#query-error").get_by_text(THROTTLED).wait_for()
    assert graph_size(page) == 0
    inproc.service.faults.throttle_next = 0
    page.goto(view(inproc, endpoint, "Both", 3))
    wait_for_start(page, endpoint)
    assert page.inner_text("#query-error") == ""


def test_a_slow_answer_shows_progress_until_the_graph_arrives(page: Any, inproc: Any) -> None:
    inproc.service.faults.delay_seconds = 0.8
    try:
        page.goto(view(inproc, inproc.demo.model_package_artifact_arn, "Descendants", 2))
        page.locator("#query-progress").get_by_text("Querying lineage").wait_for()
        wait_for_start(page, inproc.demo.model_package_artifact_arn)
    finally:
        inproc.service.faults.delay_seconds = 0.0
    page.locator("#query-progress:empty").wait_for(state="attached")


def test_an_answer_slower_than_the_read_timeout_is_explained(page: Any, inproc: Any) -> None:
    inproc.service.faults.delay_seconds = 2.5
    try:
        page.goto(view(inproc, inproc.demo.model_package_artifact_arn, "Both", 1))
        page.locator("#query-error").get_by_text(TOO_SLOW).wait_for(timeout=60_000)
    finally:
        inproc.service.faults.delay_seconds = 0.0
    assert graph_size(page) == 0


def test_a_failure_on_a_later_page_shows_the_error_and_not_the_pages_so_far(
    page: Any, inproc: Any
) -> None:
    hub = inproc.hub
    page.goto(view(inproc, hub, "Ascendants", 1))
    wait_for_graph(page)
    pages = page.inner_text("#status")
    assert f"{WIDE + 1} vertices" in pages and "3 pages" in pages
    inproc.service.faults = ThrottleAfter(ok=1)
    try:
        page.goto(view(inproc, hub, "Both", 1))
        page.locator("#query-error").get_by_text(THROTTLED).wait_for()
    finally:
        inproc.service.faults = Faults()
    assert graph_size(page) == 0
    assert page.inner_text("#status") == ""
    assert page.locator("#vertex-table .ag-row").count() == 0


def settled_queries(env: Any, quiet_s: float = 5.0, limit_s: float = 60.0) -> int:
    """The QueryLineage count once none has been sent for `quiet_s`: an earlier test's view
    (or its first look) may still be retrying a throttled page. The fixture's client retries
    in botocore's standard mode, whose second wait is up to 4 s (a 1 s quiet once let a late
    retry through)."""
    import time

    seen, since, start = len(env.queries), time.monotonic(), time.monotonic()
    while time.monotonic() - since < quiet_s and time.monotonic() - start < limit_s:
        time.sleep(0.1)
        if len(env.queries) != seen:
            seen, since = len(env.queries), time.monotonic()
    return seen


def test_a_bad_deep_link_makes_no_query_at_all(page: Any, inproc: Any) -> None:
    before = settled_queries(inproc)
    page.goto(f"{inproc.url}?arn={inproc.hub}&direction=Up&depth=11")
    page.locator("#query-error").get_by_text("Direction must be one of").wait_for()
    assert "Depth must be from 1 to 10" in page.inner_text("#query-error")
    page.goto(f"{inproc.url}?arn=arn:aws:sagemaker:us-east-1:123456789012:endpoint/x")
    page.locator("#query-error").get_by_text("not a lineage entity").wait_for()
    assert len(inproc.queries) == before


@pytest.fixture()
def standalone(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """`lineage-viz service` as a process the test can kill and restart, and the app on it."""
    db = tmp_path / "lineage.db"
    store = Store(db)
    demo = build_demo(store)
    store.close()

    def start(port: int) -> tuple[subprocess.Popen[str], str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "viz_app", "service", "--port", str(port), "--db", str(db)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        return proc, proc.stdout.readline().strip()

    service, service_url = start(0)
    port = int(service_url.rsplit(":", 1)[1])
    app = subprocess.Popen(
        [sys.executable, "-m", "viz_app", "serve", "--port", "0", "--endpoint-url", service_url],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert app.stdout is not None
    procs = {"service": service, "app": app}
    yield {
        "url": app.stdout.readline().strip(),
        "demo": demo,
        "kill": lambda: (procs["service"].kill(), procs["service"].wait()),
        "restart": lambda: procs.update(service=start(port)[0]),
    }
    for proc in procs.values():
        proc.terminate()
        proc.wait(timeout=10)


def test_the_service_killed_while_the_app_runs_is_explained_and_the_app_recovers(
    page: Any, standalone: dict[str, Any]
) -> None:
    env = type("Env", (), {"url": standalone["url"]})
    endpoint = standalone["demo"].endpoint_context_arns[0]
    page.goto(view(env, endpoint))
    wait_for_start(page, endpoint)
    shown = node_ids(page)
    standalone["kill"]()
    page.goto(view(env, endpoint, "Both", 2))
    page.locator("#query-error").get_by_text(UNREACHABLE).wait_for(timeout=90_000)
    assert graph_size(page) == 0
    standalone["restart"]()
    page.goto(view(env, endpoint))
    wait_for_start(page, endpoint)
    assert node_ids(page) == shown
    assert page.inner_text("#query-error") == ""
