"""Hostile text in lineage data is shown literally everywhere and never runs; bad deep links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_data import IMG, JS_URI, LONG, RTL, SCRIPT
from browser_helpers import App, node_ids, node_point, wait_for_grid
from test_explorer import wait_for_start

pytestmark = pytest.mark.browser


@pytest.fixture()
def watched(page: Any) -> Any:
    """The page, with every dialog recorded (and dismissed) for the test to check."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    return page


def assert_nothing_ran(page: Any) -> None:
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.dialogs == []


def show_details(page: Any, arn: str, described: bool = True) -> str:
    x, y = node_point(page, arn)
    page.mouse.click(x, y)
    if described:
        # The start's summary (no Describe) also shows its ARN: wait for the described panel.
        page.locator("#details .start-summary").wait_for(state="detached")
        page.locator("#details code").get_by_text(arn, exact=True).wait_for()
    else:
        page.locator("#details .error-text").wait_for()
    assert page.locator("#details img, #details script, #details iframe").count() == 0
    hrefs = page.eval_on_selector_all("#details a", "links => links.map(a => a.href)")
    assert all(h.startswith("https://") for h in hrefs), hrefs
    return str(page.inner_text("#details"))


def test_payloads_in_names_uris_properties_and_tags_show_as_text_and_never_run(
    watched: Any, app: App, tmp_path: Path
) -> None:
    page, extras = watched, app.extras
    page.goto(app.link(extras.hostile_start, direction="Both", depth=1))
    wait_for_start(page, extras.hostile_start)
    assert node_ids(page) == {extras.hostile_start, extras.hostile_artifact, extras.hostile_context}
    label = page.evaluate(
        "a => document.getElementById('graph')._cyreg.cy.getElementById(a).data('label')",
        extras.hostile_context,
    )
    assert label.startswith("ctx<img src=x")

    start = show_details(page, extras.hostile_start)
    for text in (SCRIPT, JS_URI, IMG, RTL, LONG[:200]):
        assert text in start
    artifact = show_details(page, extras.hostile_artifact)
    for text in (IMG, f"<b>{IMG}</b>", SCRIPT, JS_URI, RTL, f"s3://hostile-bucket/{IMG}/data.csv"):
        assert text in artifact
    # No real context can carry this name: the service refuses the Describe, said as text.
    refused = show_details(page, extras.hostile_context, described=False)
    assert "SageMaker rejected the request as invalid" in refused
    assert "ctx<img src=x onerror=window.__pwned=1>" in refused

    wait_for_grid(page, "vertex-table", 3)
    page.locator("#vertex-table").scroll_into_view_if_needed()  # the grid draws rows in view
    page.locator("#vertex-table .ag-row").first.wait_for()
    table = page.inner_text("#vertex-table")
    assert "ctx<img src=x" in table
    assert "img src=x onerror=window.__p" in table  # the artifact's label from its S3 URI

    with page.expect_download() as info:
        page.click("#export-svg")
    svg_path = tmp_path / "view.svg"
    info.value.save_as(svg_path)
    svg = svg_path.read_text(encoding="utf-8")
    assert "<img" not in svg and "<script" not in svg
    assert "ctx&lt;img src=x" in svg
    with page.expect_download():
        page.click("#export-png")
    assert_nothing_ran(page)

    page.goto(svg_path.as_uri())  # the exported file opened on its own runs nothing either
    page.wait_for_load_state()
    assert_nothing_ran(page)


def test_re_rooting_at_an_entity_with_a_hostile_name_keeps_the_trail_as_text(
    watched: Any, app: App
) -> None:
    page, extras = watched, app.extras
    page.goto(app.link(extras.hostile_start, direction="Both", depth=1))
    wait_for_start(page, extras.hostile_start)
    x, y = node_point(page, extras.hostile_context)
    page.mouse.dblclick(x, y)
    wait_for_start(page, extras.hostile_context)
    page.locator("#breadcrumbs .crumb.current").wait_for()
    assert "ctx<img src=x" in page.inner_text("#breadcrumbs")
    assert page.locator("#breadcrumbs img").count() == 0
    assert_nothing_ran(page)


@pytest.mark.parametrize(
    ("params", "sentence"),
    [
        ({"direction": "Sideways"}, "Direction must be one of"),
        ({"depth": "99"}, "Depth must be from 1 to 10"),
        ({"depth": "<script>"}, "Depth must be a whole number"),
        ({"lineage_types": "Artifact,<b>x</b>"}, "Unknown lineage type <b>x</b>"),
        ({"created_after": "2024-13-45"}, "is not a date like 2024-05-31"),
        ({"property": "no-equals-sign"}, "A property filter is written key=value"),
        ({"types": "A,B,C,D,E,F"}, "At most 5 entity types"),
    ],
)
def test_a_bad_deep_link_parameter_shows_its_sentence_and_no_graph(
    watched: Any, app: App, params: dict[str, str], sentence: str
) -> None:
    page = watched
    page.goto(app.link(app.demo.endpoint_context_arns[0], **params))
    page.locator("#query-error").get_by_text(sentence).wait_for()
    assert page.evaluate("() => document.getElementById('graph')._cyreg.cy.nodes().length") == 0
    assert page.inner_text("#status") == ""
    assert_nothing_ran(page)


def test_a_deep_link_with_a_script_for_an_arn_is_refused_as_text(watched: Any, app: App) -> None:
    page = watched
    page.goto(app.link(SCRIPT))
    page.locator("#query-error").get_by_text("is not a SageMaker ARN").wait_for()
    assert SCRIPT in page.inner_text("#query-error")
    assert_nothing_ran(page)
