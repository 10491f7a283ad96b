"""A notebook call's inline view in headless Chromium: real clicks at rendered node positions."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import node_ids, node_point, wait_for_graph
from notebook_helpers import Demo, checked_page

from viz_app.notebook import render, serve
from viz_app.notebook.offline import OFFLINE_NOTE

pytestmark = pytest.mark.browser


def ascendants(demo: Demo, start: str) -> dict[str, Any]:
    return dict(
        demo.client.query_lineage(StartArns=[start], Direction="Ascendants", IncludeEdges=True)
    )


def model_of(response: dict[str, Any]) -> str:
    return str(next(v["Arn"] for v in response["Vertices"] if v.get("Type") == "Model"))


def wait_for_start(frame: Any, arn: str) -> None:
    frame.wait_for_function(
        "a => { const e = document.getElementById('graph'); const c = e && e._cyreg && e._cyreg.cy;"
        " return c && window.lineageViz.settled() && c.$('node.start').length === 1"
        " && c.$('node.start').id() === a; }",
        arg=arn,
    )


def test_clicking_a_node_in_the_inline_view_shows_its_details(chromium: Any, demo: Demo) -> None:
    start = demo.summary.endpoint_context_arns[0]
    response = ascendants(demo, start)
    model = model_of(response)
    view = serve(response, "Endpoint")

    def steps(browser: Any) -> str:
        with checked_page(browser) as page:
            page.set_content(f"<!DOCTYPE html><html><body>{view.iframe_html()}</body></html>")
            frame = page.locator("iframe").element_handle().content_frame()
            wait_for_graph(frame)
            wait_for_start(frame, start)
            x, y = node_point(frame, model)
            box = page.locator("iframe").bounding_box()
            page.mouse.click(box["x"] + 1 + x, box["y"] + 1 + y)  # inside the 1px border
            frame.wait_for_function(
                "a => document.getElementById('details').innerText.includes(a)", arg=model
            )
            return str(frame.inner_text("#details"))

    try:
        details = chromium(steps)
    finally:
        view.close()
    assert "Model" in details and OFFLINE_NOTE in details


def test_double_clicking_a_node_with_a_client_re_roots_the_view_live(
    chromium: Any, demo: Demo
) -> None:
    start = demo.summary.endpoint_context_arns[0]
    response = ascendants(demo, start)
    model = model_of(response)
    expected = {v["Arn"] for v in ascendants(demo, model)["Vertices"]}
    view = serve(response, "Endpoint", client=demo.client)

    def steps(browser: Any) -> tuple[str, set[str]]:
        with checked_page(browser) as page:
            page.goto(view.url)
            wait_for_start(page, start)
            x, y = node_point(page, model)
            page.mouse.dblclick(x, y)
            wait_for_start(page, model)
            wait_for_graph(page, len(expected))
            return str(page.url), node_ids(page)

    try:
        url, shown = chromium(steps)
    finally:
        view.close()
    assert parse_qs(urlsplit(url).query)["arn"] == [model]
    assert shown == expected


def test_the_html_file_written_outside_jupyter_opens_offline_and_shows_details(
    chromium: Any, demo: Demo, tmp_path: Path
) -> None:
    response = ascendants(demo, demo.summary.endpoint_context_arns[0])
    model = model_of(response)
    path = render(response, "Endpoint", output=tmp_path / "endpoint.html")
    assert isinstance(path, Path)
    blocked: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    def steps(browser: Any) -> tuple[int, str]:
        with checked_page(browser, offline=True) as page:
            page.context.route("**/*", only_files)
            page.goto(path.as_uri())
            count = page.locator("#lv-graph g.node").count()
            page.locator(f'#lv-graph g.node[data-id="{model}"]').click()
            return count, str(page.inner_text("#lv-details-body"))

    count, details = chromium(steps)
    assert count == len(response["Vertices"])
    assert model in details
    assert blocked == []
