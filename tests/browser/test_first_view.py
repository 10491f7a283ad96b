"""First view calls: every QueryLineage page, each artifact's name fetched once (List pages or
parallel Describe), no other Describe until a click; later callbacks use the cache."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import local_client, node_ids, node_point
from test_explorer import all_pages, wait_for_start

from viz_app.api.server import start_service
from viz_app.core.demo import DemoSummary, build_demo
from viz_app.core.store import Store
from viz_app.ui.app import create_app
from viz_app.ui.backends import Backend

pytestmark = pytest.mark.browser


class Counted:
    """The app in-process, with every call its backend makes counted by operation."""

    def __init__(self, url: str, demo: DemoSummary, backend: Backend, client: Any) -> None:
        self.url, self.demo, self.client = url, demo, client
        self.backend = backend
        self.calls: Counter[str] = Counter()
        self.described: Counter[str] = Counter()  # DescribeArtifact calls by ARN
        self.depths: Counter[int] = Counter()  # QueryLineage calls by MaxDepth
        backend.client.meta.events.register("before-call", self._count)
        backend.client.meta.events.register(
            "before-parameter-build.sagemaker.QueryLineage", self._count_depth
        )
        backend.client.meta.events.register(
            "before-parameter-build.sagemaker.DescribeArtifact", self._count_artifact
        )

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    def _count_depth(self, params: dict[str, Any], **_: Any) -> None:
        self.depths[int(params.get("MaxDepth", 10))] += 1

    def _count_artifact(self, params: dict[str, Any], **_: Any) -> None:
        self.described[str(params.get("ArtifactArn"))] += 1

    def describes(self) -> int:
        return sum(n for op, n in self.calls.items() if op.startswith("Describe"))


@pytest.fixture(scope="module")
def counted() -> Iterator[Counted]:
    from waitress.server import create_server

    store = Store()
    demo = build_demo(store)
    service = start_service(store)
    backend = Backend.for_endpoint(service.url, account_id=service.account_id)
    server: Any = create_server(create_app(backend).server, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    client = local_client(service.url)
    yield Counted(f"http://127.0.0.1:{server.effective_port}/", demo, backend, client)
    server.close()
    service.close()
    store.close()


def settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def test_the_first_view_reads_every_page_and_names_each_artifact_once(
    page: Any, counted: Counted
) -> None:
    start = counted.demo.endpoint_context_arns[0]
    counted.calls.clear()
    counted.described.clear()
    counted.depths.clear()
    page.goto(f"{counted.url}?arn={start}&direction=Ascendants&depth=10")
    wait_for_start(page, start)
    page.wait_for_function("() => window.lineageViz.namesDone === true")
    settle(page)
    vertices, _, _ = all_pages(
        counted.client, StartArns=[start], Direction="Ascendants", IncludeEdges=True, MaxDepth=10
    )
    artifacts = [arn for arn in vertices if ":artifact/" in arn]
    assert counted.depths[10] == math.ceil(len(vertices) / 50)
    # A view that keeps the page waiting gets a first look: one page at depth 1.
    assert counted.calls["QueryLineage"] - counted.depths[10] <= 1
    # Names: one Describe per artifact at most (a view of 40 or more unnamed artifacts is
    # named from ListArtifacts pages instead), nothing for the rest.
    assert 0 < counted.describes() <= len(artifacts)
    assert counted.calls["DescribeContext"] + counted.calls["DescribeAction"] == 0
    labels = page.evaluate("() => window.lineageViz.cy().nodes().map(n => n.data('label'))")
    assert not [text for text in labels if " · " in text], "every artifact is named"
    named = counted.describes()
    target = sorted(node_ids(page, "node[type = 'DataSet']"))[0]
    x, y = node_point(page, target)
    page.mouse.click(x, y)
    page.locator("#details").get_by_text(target).wait_for()
    settle(page)
    assert counted.describes() == named + 1, "a click costs one Describe, for its details"
    page.goto(f"{counted.url}?arn={target}&direction=Both&depth=10")
    wait_for_start(page, target)
    page.wait_for_function("() => window.lineageViz.namesDone === true")
    settle(page)
    twice = {arn for arn, n in counted.described.items() if n > 1}
    assert twice <= {target}, "no artifact is named twice (the click's details Describe aside)"


def test_callbacks_after_the_query_answer_from_the_cache_without_another_query(
    page: Any, counted: Counted
) -> None:
    start = counted.demo.endpoint_context_arns[0]
    page.goto(f"{counted.url}?arn={start}&direction=Both&depth=2")
    wait_for_start(page, start)
    settle(page)
    counted.calls.clear()
    page.fill("#graph-search", "endpoint")
    page.press("#graph-search", "Enter")
    page.locator("#export-vertices").click()
    page.get_by_text("Summary", exact=True).click()
    page.get_by_label("Dark mode").check()
    settle(page)
    assert counted.calls["QueryLineage"] == 0
    page.reload()
    wait_for_start(page, start)
    settle(page)
    assert counted.calls["QueryLineage"] == 0, "returning to a view reuses its cached result"
