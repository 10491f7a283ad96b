"""Readable lineage, read from what Cytoscape renders at 1440x900 after a deep link."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from browser_helpers import App, local_client, node_point, start_app, wait_for_graph

from viz_app.core.demo import build_demo
from viz_app.core.store import Store

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1440, 900
READABLE_PX = 10
HASH_LABEL = " · "  # what an unnamed artifact's label looks like: "DataSet · 730ac8"
# In `demo --scale 30`, this image's Both view at depth 10 has 1,078 vertices.
BIG_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/growth-002/xgboost:1.7-1"


def open_view(page: Any, url: str) -> list[dict[str, Any]]:
    """Open `url`, wait for the graph and its names, and read the labels in view."""
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(url)
    wait_for_graph(page)
    page.wait_for_function("() => window.lineageViz.namesDone === true")
    page.wait_for_timeout(300)  # the detail class follows the viewport after a short pause
    labels: list[dict[str, Any]] = page.evaluate("() => window.lineageViz.readable()")
    return labels


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def assert_legible(labels: list[dict[str, Any]]) -> None:
    assert labels, "nothing is in view"
    for item in labels:
        assert item["shown"], f"{item['label']!r} is in view but has no label drawn"
        assert item["px"] >= READABLE_PX - 0.01, f"{item['label']!r} is {item['px']:.1f} px"
        assert HASH_LABEL not in item["label"], f"{item['id']} is still labelled by a hash"
    for a, b in itertools.combinations(labels, 2):
        assert not overlaps(a["box"], b["box"]), f"{a['label']!r} overlaps {b['label']!r}"


def test_an_endpoint_opens_on_what_made_it_every_node_named_and_legible(
    page: Any, app: App, sagemaker: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    labels = open_view(page, app.url + "?" + urlencode({"arn": endpoint}))
    # No direction in the link: an endpoint's natural question is "what made it?".
    assert page.locator("#direction input[value='Ascendants']").is_checked()
    answer = sagemaker.query_lineage(
        StartArns=[endpoint], Direction="Ascendants", IncludeEdges=True, MaxDepth=4
    )
    expected = {v["Arn"] for v in answer["Vertices"]}
    in_view = {item["id"] for item in labels}
    assert in_view == expected, "the whole first view fits readable on the window"
    assert_legible(labels)
    by_id = {item["id"]: item["label"].replace("\n", "") for item in labels}
    for vertex in answer["Vertices"]:
        if vertex["LineageType"] != "Artifact":
            continue
        uri = sagemaker.describe_artifact(ArtifactArn=vertex["Arn"])["Source"]["SourceUri"]
        tail = uri.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        assert (
            tail[:8] in by_id[vertex["Arn"]] or tail.split("/")[-1][:8] in by_id[vertex["Arn"]]
        ), (by_id[vertex["Arn"]], uri)
    # Same-named entities are told apart: the endpoint and its two deployments.
    assert len(set(by_id.values())) == len(by_id)


def test_names_stay_after_re_root_and_after_a_describe(page: Any, app: App) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    open_view(page, app.link(endpoint, direction="Ascendants", depth=10))
    dataset = page.evaluate(
        "() => window.lineageViz.cy().nodes('[type = \"DataSet\"]').first().id()"
    )
    x, y = node_point(page, dataset)
    page.mouse.click(x, y)  # a Describe for the details
    page.locator("#details code").get_by_text(dataset, exact=True).wait_for()
    page.wait_for_timeout(300)
    label = page.evaluate(f"() => window.lineageViz.cy().getElementById('{dataset}').data('label')")
    assert HASH_LABEL not in label
    page.get_by_role("button", name="Re-root here").click()
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('arn') === '{dataset}'")
    wait_for_graph(page)
    page.wait_for_function("() => window.lineageViz.namesDone === true")
    page.wait_for_timeout(300)
    labels = page.evaluate("() => window.lineageViz.cy().nodes().map(n => n.data('label'))")
    assert labels and not [text for text in labels if HASH_LABEL in text]


@pytest.fixture(scope="module")
def big_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app on `demo --scale 30` (about 3,000 entities), and the shared image's ARN."""
    from viz_app.api.server import start_service

    db = tmp_path_factory.mktemp("big") / "big.db"
    store = Store(db)
    build_demo(store, scale=30)
    service = start_service(store)
    found = local_client(service.url).list_artifacts(SourceUri=BIG_IMAGE)["ArtifactSummaries"]
    service.close()
    store.close()
    proc, url = start_app(db)
    yield url, found[0]["ArtifactArn"]
    proc.terminate()
    proc.wait(timeout=10)


def test_a_thousand_vertex_view_opens_on_the_start_named_and_legible(
    page: Any, big_app: tuple[str, str]
) -> None:
    url, image = big_app
    labels = open_view(
        page, url + "?" + urlencode({"arn": image, "direction": "Both", "depth": 10})
    )
    vertices = int(page.inner_text("#status .counts").split()[0])
    assert vertices >= 1000, vertices
    ids = {item["id"] for item in labels}
    assert image in ids, "the start is in view"
    neighbours = page.evaluate(
        "s => window.lineageViz.cy().getElementById(s).neighborhood('node').map(n => n.id())",
        image,
    )
    assert set(neighbours) & ids, "some of the start's neighbours are in view"
    assert_legible(labels)
    # No strip: the layout's height is not many times its width.
    width, height = page.evaluate(
        "() => { const b = window.lineageViz.cy().nodes().boundingBox(); return [b.w, b.h]; }"
    )
    assert height < 2 * width, (width, height)
    assert page.locator("canvas.lv-minimap").is_visible(), "the rest is on the minimap"


def test_a_thousand_vertex_view_arranged_by_run_opens_on_its_runs_titled_and_legible(
    page: Any, big_app: tuple[str, str]
) -> None:
    url, image = big_app
    query = {"arn": image, "direction": "Both", "depth": 10, "arrange": "runs"}
    open_view(page, url + "?" + urlencode(query))
    page.wait_for_function("() => window.lineageViz.frames().length > 0")
    page.wait_for_timeout(300)
    frames: list[dict[str, Any]] = page.evaluate("() => window.lineageViz.frames()")
    assert len(frames) >= 5, [f["title"] for f in frames]
    assert sum(f["count"] for f in frames) >= 500  # most of the view is in some run's frame
    # It opens on the list of runs: every frame in the graph's box, every title legible
    # and clear of the others.
    width, height = page.evaluate(
        "() => { const r = window.lineageViz.cy().container().getBoundingClientRect();"
        " return [r.width, r.height]; }"
    )
    for frame in frames:
        box = frame["box"]
        assert box["x1"] >= 0 and box["y1"] >= 0, frame["title"]
        assert box["x2"] <= width and box["y2"] <= height, frame["title"]
        assert frame["px"] >= READABLE_PX - 0.01, frame
    for a, b in itertools.combinations(frames, 2):
        assert not overlaps(a["text"], b["text"]), (a["title"], b["title"])
        assert not overlaps(a["box"], b["box"]), (a["title"], b["title"])
    titles = [f["title"] for f in frames]
    assert len(set(titles)) == len(titles)
    assert page.locator("#graph-arrange").get_attribute("aria-pressed") == "true"
