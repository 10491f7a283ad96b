"""Arranged by pipeline run: the "Runs" button frames each run, read from what Cytoscape draws."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from browser_helpers import App, node_point, start_app, wait_for_graph

from viz_app.core.demo import build_demo
from viz_app.core.store import Store

pytestmark = pytest.mark.browser

READABLE_PX = 10


def frames(page: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate("() => window.lineageViz.frames()")
    return found


def rendered(page: Any, selector: str) -> dict[str, tuple[float, float]]:
    points: list[list[Any]] = page.evaluate(
        "s => window.lineageViz.cy().nodes(s).map(n => "
        "[n.id(), n.renderedPosition().x, n.renderedPosition().y])",
        selector,
    )
    return {p[0]: (p[1], p[2]) for p in points}


def inside(point: tuple[float, float], box: dict[str, float]) -> bool:
    return box["x1"] < point[0] < box["x2"] and box["y1"] < point[1] < box["y2"]


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def arrange_of(page: Any) -> str | None:
    return parse_qs(urlparse(page.url).query).get("arrange", [None])[0]


def wait_for_frames(page: Any, count: int) -> None:
    page.wait_for_function(
        "n => window.lineageViz.settled() && window.lineageViz.frames().length === n", arg=count
    )
    page.wait_for_timeout(200)  # titles are sized to the zoom after a short pause


def test_the_runs_button_frames_each_project_and_a_re_root_keeps_the_arrangement(
    page: Any, app: App, sagemaker: Any
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    shared = sagemaker.list_artifacts(SourceUri=app.demo.shared_image_uri)["ArtifactSummaries"]
    image = shared[0]["ArtifactArn"]
    page.goto(app.link(image))
    wait_for_graph(page)
    assert frames(page) == [] and arrange_of(page) is None
    button = page.locator("#graph-arrange")
    assert button.get_attribute("aria-pressed") == "false"

    button.click()
    wait_for_frames(page, 2)
    assert arrange_of(page) == "runs"
    assert button.get_attribute("aria-pressed") == "true"
    drawn = frames(page)
    assert {f["title"] for f in drawn} == {"churn", "fraud-detection"}
    for a, b in itertools.combinations(drawn, 2):
        assert not overlaps(a["box"], b["box"])
    # Every job sits in its project's frame; the shared image in none.
    jobs = rendered(page, "[lineage_type = 'TrialComponent']")
    assert jobs
    for arn, point in jobs.items():
        holders = [f["title"] for f in drawn if inside(point, f["box"])]
        project = "churn" if "/churn-" in arn else "fraud-detection"
        assert holders == [project], (arn, holders)
    start = rendered(page, ".start")[image]
    assert not any(inside(start, f["box"]) for f in drawn)
    # The titles are legible and clear of every node label in view.
    labels = page.evaluate("() => window.lineageViz.readable()")
    for frame in drawn:
        assert frame["px"] >= READABLE_PX - 0.01, frame
        for item in labels:
            if item["box"] is not None:
                assert not overlaps(frame["text"], item["box"]), (frame["title"], item["label"])

    # A double click re-roots as always (here on a churn model: the jobs that used it
    # follow), and the new view is arranged by run too.
    models = rendered(page, "[type = 'Model']")
    churn = next(f["box"] for f in drawn if f["title"] == "churn")
    model = sorted(arn for arn, point in models.items() if inside(point, churn))[0]
    page.mouse.dblclick(*node_point(page, model))
    page.wait_for_function("a => new URLSearchParams(location.search).get('arn') === a", arg=model)
    assert arrange_of(page) == "runs"
    wait_for_frames(page, 1)
    assert [f["title"] for f in frames(page)] == ["churn"]
    # The new start is named in the trail and the details, as in a view drawn by flow.
    crumb = page.locator("#breadcrumbs .crumb.current").inner_text()
    assert "model.tar.gz" in crumb, crumb
    assert "model.tar.gz" in page.locator("#details").inner_text()

    # Back to the flow: no frames, nothing in the URL.
    button.click()
    wait_for_frames(page, 0)
    assert arrange_of(page) is None
    assert button.get_attribute("aria-pressed") == "false"


@pytest.fixture(scope="module")
def fresh_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app in a process of its own, whose name book has named nothing yet, and the ARN
    of the demo's shared image."""
    db = tmp_path_factory.mktemp("runs") / "demo.db"
    store = Store(db)
    demo = build_demo(store)
    with store.read() as conn:
        row = conn.execute(
            "SELECT arn FROM entities WHERE source_uri = ?", (demo.shared_image_uri,)
        ).fetchone()
    store.close()
    proc, url = start_app(db)
    yield url, str(row[0])
    proc.terminate()
    proc.wait(timeout=10)


def test_a_link_arranged_by_run_names_its_start_in_the_trail_and_details(
    page: Any, fresh_app: tuple[str, str]
) -> None:
    url, image = fresh_app
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(url + "?" + urlencode({"arn": image, "arrange": "runs"}))
    wait_for_frames(page, 2)
    page.locator("#breadcrumbs .crumb.current").wait_for()
    assert page.locator("#breadcrumbs .crumb.current").inner_text() == "sagemaker-xgboost:1.7-1"
    page.locator("#details code").first.wait_for()
    assert "sagemaker-xgboost:1.7-1" in page.locator("#details").inner_text()
