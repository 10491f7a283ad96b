"""A view that pages for a while: the start's nearest neighbours first, pages and vertices
counting up with a Stop button, then the whole view; Stop ends the paging (real clicks, a real
service slowed per request)."""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import local_client
from test_backend_failures import InProcess

from viz_app.api.server import start_service
from viz_app.core.demo import build_demo
from viz_app.core.demo_shapes import LineageBuilder
from viz_app.core.model import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from viz_app.core.store import Store
from viz_app.ui.app import create_app
from viz_app.ui.backends import Backend

pytestmark = pytest.mark.browser

DATASETS = 900  # into one hub: 19 QueryLineage pages of 50
DELAY_S = 0.12  # per request to the service: ~2.3 s of paging
CY = "(window.lineageViz && window.lineageViz.cy())"  # null until the graph is mounted


@pytest.fixture()
def slow() -> Iterator[InProcess]:
    """A fresh app and service per test: naming 900 datasets on the slowed service goes on
    after a test, and would slow the next one's paging."""
    import waitress  # type: ignore[import-untyped]

    store = Store()
    demo = build_demo(store)
    b = LineageBuilder(random.Random(5), DEFAULT_REGION, DEFAULT_ACCOUNT_ID, 1.7e9)
    hub = b.context("big-hub", "Endpoint", "arn:aws:sagemaker:::endpoint/big", "Endpoint", "")
    for i in range(DATASETS):
        b.associate(b.dataset(f"s3://big/part-{i:04d}.csv"), hub)
    b.flush(store)
    service = start_service(store)
    backend = Backend(local_client(service.url), region="us-east-1", account_id=service.account_id)
    server: Any = waitress.create_server(create_app(backend).server, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    env = InProcess(service, backend, f"http://127.0.0.1:{server.effective_port}/", demo)
    env.hub = hub  # type: ignore[attr-defined]
    service.faults.delay_seconds = DELAY_S
    yield env
    # The app may still be naming 900 datasets one slowed Describe at a time, over connections
    # the service keeps serving after close(): let those answer at once, and leave the store
    # open (it goes with the process), so no later test sees a request on a closed store.
    service.faults.delay_seconds = 0.0
    server.close()
    service.close()


def progress_counts(page: Any) -> tuple[int, int] | None:
    text = page.evaluate(
        "() => { const b = document.querySelector('.lv-progress');"
        " return b ? b.textContent : null; }"
    )
    found = re.search(r"([\d,]+) pages?, ([\d,]+) vertices", text or "")
    return (int(found[1].replace(",", "")), int(found[2].replace(",", ""))) if found else None


def test_a_slow_view_shows_its_start_first_then_pages_counting_up(page: Any, slow: Any) -> None:
    page.goto(f"{slow.url}?arn={slow.hub}&direction=Ascendants&depth=2")
    # The first look: the start and its nearest neighbours (one page at depth 1), marked so.
    page.wait_for_function(
        f"h => {{ const c = {CY}; return c && c._lvPeek && c.getElementById(h).length; }}",
        arg=slow.hub,
    )
    first = page.evaluate(f"() => {CY}.nodes().length")
    assert 2 <= first <= 50, first
    page.wait_for_function(
        "() => /vertices so far/.test("
        "(document.querySelector('.lv-progress') || {}).textContent || '')"
    )
    seen = progress_counts(page)
    assert seen is not None
    page.wait_for_timeout(700)
    later = progress_counts(page)
    if later is not None:  # still paging: the counts went up
        assert later[0] > seen[0] and later[1] > seen[1], (seen, later)
    assert "start's nearest neighbours" in page.inner_text(".lv-progress")
    # Then the whole view replaces it, and the line goes away.
    page.wait_for_function(
        f"() => {{ const c = {CY}; return c && !c._lvPeek && window.lineageViz.settled(); }}"
    )
    assert "901 vertices" in page.inner_text("#status")
    page.wait_for_selector(".lv-progress", state="detached")
    assert page.inner_text("#query-error") == ""


def test_stop_ends_the_paging_and_says_so(page: Any, slow: Any) -> None:
    slow.queries.clear()
    page.goto(f"{slow.url}?arn={slow.hub}&direction=Ascendants&depth=3")
    page.wait_for_function(
        "() => /vertices so far/.test("
        "(document.querySelector('.lv-progress') || {}).textContent || '')"
    )
    page.locator(".lv-progress button", has_text="Stop").click()
    error = page.locator("#query-error")
    error.get_by_text("Stopped at your request").wait_for()
    assert re.search(r"after \d+ pages \([\d,]+ vertices\)", error.inner_text())
    asked = len(slow.queries)
    page.wait_for_timeout(1000)
    assert len(slow.queries) == asked, "paging went on after Stop"
    assert asked < DATASETS // 50 + 3  # it stopped before the last page
    assert page.evaluate(f"() => {CY}.nodes().length") == 0  # no partial graph stays
    assert page.query_selector(".lv-progress") is None
    # Asking again loads it all: a stop is not remembered as a failure.
    page.reload()
    page.wait_for_function(
        "() => { const c = window.lineageViz && window.lineageViz.cy();"
        " return c && !c._lvPeek && window.lineageViz.settled(); }"
    )
    assert "901 vertices" in page.inner_text("#status")
