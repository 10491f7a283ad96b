"""Impact analysis in the app: the shared image's impact list equals an independent walk, is
highlighted, exports as CSV, and its rows (like the vertex table's) select and centre."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

import pytest
from browser_helpers import App, grid_rows, node_ids, wait_for_grid
from reference_walk import impact
from test_explorer import all_pages, wait_for_start

pytestmark = pytest.mark.browser


def open_impact(page: Any, app: App, sagemaker: Any) -> tuple[str, dict[str, tuple[str, int]]]:
    page.set_viewport_size({"width": 1440, "height": 900})
    (image,) = sagemaker.list_artifacts(SourceUri=app.demo.shared_image_uri)["ArtifactSummaries"]
    start = image["ArtifactArn"]
    page.goto(app.link(start))
    wait_for_start(page, start)
    page.locator("#questions").get_by_role("button", name="What does it reach?").click()
    page.locator("#answer .answer-grid.impact #answer-grid").wait_for()
    wait_for_grid(page, "answer-grid")
    page.wait_for_function("() => window.lineageViz.settled()")
    return start, impact(sagemaker, start, downstream=True)


def table_rows(page: Any) -> list[dict[str, Any]]:
    return grid_rows(page, "answer-grid", ("arn", "name", "via", "kind", "hops"))


def centred(page: Any, arn: str) -> dict[str, float]:
    """Where `arn`'s node is drawn, relative to the middle of the graph left of the card."""
    return page.evaluate(  # type: ignore[no-any-return]
        """a => { const c = window.lineageViz.cy(), n = c.getElementById(a);
            const p = n.renderedPosition(), box = c.container().getBoundingClientRect();
            const card = document.getElementById('details-card').getBoundingClientRect();
            return {dx: p.x - (card.left - box.left - 8) / 2, dy: p.y - box.height / 2,
                    selected: n.hasClass('highlighted')}; }""",
        arn,
    )


def test_the_shared_images_impact_is_every_endpoint_package_and_model_it_reaches(
    page: Any, app: App, sagemaker: Any
) -> None:
    start, expected = open_impact(page, app, sagemaker)
    rows = table_rows(page)
    assert {r["arn"]: (r["kind"], int(r["hops"])) for r in rows} == expected
    endpoints = {a for a, (k, _) in expected.items() if k == "endpoint"}
    assert set(app.demo.shared_image_pair) <= endpoints
    for row in rows:  # names, and what lies between the image and the row, by name
        assert not row["name"].startswith("arn:") and "arn:" not in row["via"]
        hops = int(row["hops"])
        assert row["via"] == "direct" if hops == 1 else len(row["via"].split(" → ")) == hops - 1
    assert node_ids(page, "node.answer") == set(expected)
    assert start not in expected


def test_the_impact_csv_carries_the_same_list(
    page: Any, app: App, sagemaker: Any, tmp_path: Any
) -> None:
    _, expected = open_impact(page, app, sagemaker)
    with page.expect_download() as info:
        page.locator("#answer").get_by_role("button", name="CSV").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.startswith("impact-of-image-sagemaker-xgboost") and path.suffix == ".csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["arn"]: (r["kind"], int(r["hops"])) for r in rows} == expected
    assert [r["arn"] for r in rows] == [r["arn"] for r in table_rows(page)]
    assert all(r["created_utc"].startswith("20") and r["name"] for r in rows)


def test_clicking_an_impact_row_selects_centres_and_describes_its_node(
    page: Any, app: App, sagemaker: Any
) -> None:
    _, expected = open_impact(page, app, sagemaker)
    target = app.demo.shared_image_pair[1]
    page.evaluate("() => window.lineageViz.cy().fit()")  # away from it first
    page.locator(f'#answer-grid .ag-center-cols-container .ag-row[row-id="{target}"]').click()
    page.locator("#details").get_by_text(target).first.wait_for()
    page.wait_for_timeout(600)  # the second centring, after the highlight redraw
    where = centred(page, target)
    assert where["selected"]
    assert abs(where["dx"]) < 30 and abs(where["dy"]) < 30, where
    # The answer stays up while its own rows are picked.
    assert len(table_rows(page)) == len(expected)


def test_clicking_a_vertex_table_row_selects_and_centres_its_node(
    page: Any, app: App, sagemaker: Any
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start))
    wait_for_start(page, start)
    table = page.locator("#vertex-table")
    table.scroll_into_view_if_needed()
    wait_for_grid(page, "vertex-table")
    arn = grid_rows(page, "vertex-table", ("Arn",))[2]["Arn"]
    assert arn != start
    table.locator(f'.ag-center-cols-container .ag-row[row-id="{arn}"] [col-id="Name"]').click()
    page.locator("#details").get_by_text(arn.strip()).first.wait_for()
    page.wait_for_timeout(600)
    where = centred(page, arn.strip())
    assert where["selected"]
    assert abs(where["dx"]) < 30 and abs(where["dy"]) < 30, where


def positions(page: Any) -> dict[str, dict[str, float]]:
    return page.evaluate(  # type: ignore[no-any-return]
        "() => Object.fromEntries(window.lineageViz.cy().nodes().map(n => [n.id(), n.position()]))"
    )


def test_merging_an_answer_keeps_every_drawn_node_where_it_was(
    page: Any, app: App, sagemaker: Any
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start, depth=2))
    wait_for_start(page, start)
    before = positions(page)
    page.locator("#questions").get_by_role("button", name="Which datasets went into it?").click()
    page.locator("#answer #answer-grid").wait_for()
    page.wait_for_function(
        "n => window.lineageViz.settled() && window.lineageViz.cy().nodes().length > n",
        arg=len(before),
    )
    after = positions(page)
    assert set(before) < set(after), "the answer adds datasets beyond depth 2"
    moved = {
        arn
        for arn, p in before.items()
        if abs(p["x"] - after[arn]["x"]) > 0.5 or abs(p["y"] - after[arn]["y"]) > 0.5
    }
    assert not moved
    new = [after[a] for a in set(after) - set(before)]
    for p in new:  # placed clear of the nodes that were there
        assert all(
            abs(p["x"] - q["x"]) >= 100 or abs(p["y"] - q["y"]) >= 50 for q in before.values()
        )


def test_a_filtered_view_sets_the_matches_apart_from_the_vertices_on_the_way(
    page: Any, app: App, sagemaker: Any
) -> None:
    start = app.demo.endpoint_context_arns[0]
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(app.link(start, direction="Ascendants", types="DataSet"))
    wait_for_start(page, start)
    matched, _, _ = all_pages(
        sagemaker, StartArns=[start], Direction="Ascendants", Filters={"Types": ["DataSet"]}
    )
    shown = node_ids(page)
    on_the_way = shown - matched - {start}
    assert matched and on_the_way, "the datasets are reached through jobs and models"
    assert node_ids(page, "node.path-only") == on_the_way
    looks = page.evaluate(
        "ids => ids.map(i => window.lineageViz.cy().getElementById(i).style('background-opacity'))",
        [min(matched & shown), min(on_the_way)],
    )
    assert float(looks[0]) > float(looks[1])


def test_date_filters_set_the_matches_apart_too(page: Any, app: App, sagemaker: Any) -> None:
    start = app.demo.endpoint_context_arns[0]
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(app.link(start, direction="Ascendants", created_after="2020-01-01", types="Model"))
    wait_for_start(page, start)
    after = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    matched, _, _ = all_pages(
        sagemaker,
        StartArns=[start],
        Direction="Ascendants",
        Filters={"Types": ["Model"], "CreatedAfter": after},
    )
    on_the_way = node_ids(page) - matched - {start}
    assert matched and on_the_way
    assert node_ids(page, "node.path-only") == on_the_way
