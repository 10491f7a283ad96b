"""The explorer in headless Chromium against the real app, service and demo graph."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from browser_helpers import App, node_ids, node_point, wait_for_graph

pytestmark = pytest.mark.browser


def all_pages(client: Any, **request: Any) -> tuple[set[str], int, int]:
    """Vertex ARNs, edge count and page count of a QueryLineage question."""
    vertices: set[str] = set()
    edges: set[tuple[str, str]] = set()
    pages = 0
    while True:
        out = client.query_lineage(**request)
        pages += 1
        vertices |= {v["Arn"] for v in out["Vertices"]}
        edges |= {(e["SourceArn"], e["DestinationArn"]) for e in out["Edges"]}
        if not out.get("NextToken"):
            return vertices, len(edges), pages
        request["NextToken"] = out["NextToken"]


def url_params(page: Any) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_for_start(page: Any, arn: str) -> None:
    page.wait_for_function(
        "a => { const e = document.getElementById('graph'); const c = e && e._cyreg && e._cyreg.cy;"
        " return c && window.lineageViz.settled() && c.$('node.start').length === 1"
        " && c.$('node.start').id() === a; }",
        arg=arn,
    )


def test_a_deep_link_shows_the_graph_and_the_counts_query_lineage_returns(
    page: Any, app: App, sagemaker: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    page.goto(app.link(endpoint, direction="Ascendants", depth=10))
    vertices, edges, pages = all_pages(
        sagemaker, StartArns=[endpoint], Direction="Ascendants", IncludeEdges=True, MaxDepth=10
    )
    wait_for_start(page, endpoint)
    status = page.inner_text("#status")
    assert f"{len(vertices)} vertices, {edges} edges, {pages} page" in status
    assert node_ids(page) == vertices
    assert endpoint in page.inner_text("#details")


def test_typing_an_s3_uri_offers_candidates_and_picking_one_opens_its_lineage(
    page: Any, app: App, sagemaker: Any
) -> None:
    uri = app.demo.training_dataset_uri
    listed = sagemaker.list_artifacts(SourceUri=uri)["ArtifactSummaries"]
    expected = {a["ArtifactArn"] for a in listed}
    page.goto(app.url)
    page.fill("#start-input", uri)
    page.click("#start-go")
    page.locator("#candidates a.candidate").first.wait_for()
    page.locator("#candidates a.candidate").first.click()
    page.wait_for_function("() => location.search.includes('arn=')")
    arn = url_params(page)["arn"]
    assert arn in expected
    wait_for_start(page, arn)


def test_changing_direction_and_depth_reruns_the_query_and_updates_the_url(
    page: Any, app: App, sagemaker: Any
) -> None:
    start = app.demo.model_package_artifact_arn
    page.goto(app.link(start, direction="Both", depth=3))
    wait_for_start(page, start)
    page.get_by_label("Descendants").check()
    page.wait_for_function("() => location.search.includes('direction=Descendants')")
    thumb = page.locator("#depth [role=slider]")
    thumb.focus()
    thumb.press("Home")
    page.wait_for_function("() => location.search.includes('depth=1')")
    vertices, _, _ = all_pages(
        sagemaker, StartArns=[start], Direction="Descendants", IncludeEdges=True, MaxDepth=1
    )
    wait_for_graph(page, len(vertices))
    assert node_ids(page) == vertices


def test_clicking_a_node_shows_its_details_and_re_root_moves_the_start(page: Any, app: App) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    page.goto(app.link(endpoint, direction="Ascendants", depth=10))
    wait_for_start(page, endpoint)
    target = sorted(node_ids(page, "node[type = 'DataSet']"))[0]
    x, y = node_point(page, target)
    page.mouse.click(x, y)
    page.locator("#details").get_by_text(target).wait_for()
    assert "highlighted" in page.evaluate(
        "a => document.getElementById('graph')._cyreg.cy.getElementById(a).classes().join(' ')",
        target,
    )
    page.click("#reroot")
    wait_for_start(page, target)
    assert url_params(page)["arn"] == target
    assert url_params(page)["direction"] == "Ascendants"
    page.locator("#breadcrumbs .crumb").nth(1).wait_for()
    assert page.locator("#breadcrumbs .crumb").count() == 2


def test_double_click_re_roots_and_the_back_button_returns_to_the_previous_view(
    page: Any, app: App
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    page.goto(app.link(endpoint, direction="Ascendants", depth=10))
    wait_for_start(page, endpoint)
    target = sorted(node_ids(page, "node[type = 'Model']"))[0]
    x, y = node_point(page, target)
    page.mouse.dblclick(x, y)
    wait_for_start(page, target)
    assert url_params(page)["arn"] == target
    page.go_back()
    wait_for_start(page, endpoint)
    assert url_params(page)["arn"] == endpoint


def test_a_one_click_question_highlights_what_query_lineage_answers(
    page: Any, app: App, sagemaker: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    page.goto(app.link(endpoint, direction="Both", depth=2))
    wait_for_start(page, endpoint)
    page.get_by_role("button", name="Which datasets went into it?").click()
    page.locator("#answer .answer-title").wait_for()
    expected = {
        v["Arn"]
        for v in sagemaker.query_lineage(
            StartArns=[endpoint],
            Direction="Ascendants",
            IncludeEdges=False,
            MaxDepth=10,
            Filters={"Types": ["DataSet"], "LineageTypes": ["Artifact"]},
        )["Vertices"]
    }
    assert expected
    page.wait_for_function(
        "n => document.getElementById('graph')._cyreg.cy.$('node.answer').length === n",
        arg=len(expected),
    )
    assert node_ids(page, "node.answer") == expected
    assert f"{len(expected)} found" in page.inner_text("#answer")


@pytest.mark.parametrize(
    ("arn", "sentence"),
    [
        ("not-an-arn", "is not a SageMaker ARN"),
        (
            "arn:aws:sagemaker:us-east-1:123456789012:artifact/0123456789abcdef0123456789abcdef",
            "was not found",
        ),
    ],
)
def test_a_bad_start_shows_a_plain_sentence(page: Any, app: App, arn: str, sentence: str) -> None:
    page.goto(app.link(arn))
    page.locator("#query-error").get_by_text(sentence).wait_for()
    assert "Traceback" not in page.content()
