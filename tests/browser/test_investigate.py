"""Investigating in the browser: expand, group nodes, search, filters, CSV and the dark legend."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

import pytest
from browser_helpers import App, node_ids, node_point, wait_for_graph
from test_explorer import all_pages, url_params, wait_for_start

from viz_app.render.stylesheet import legend_data_uri, legend_entries

pytestmark = pytest.mark.browser


def click_node(page: Any, node_id: str) -> None:
    x, y = node_point(page, node_id)
    page.mouse.click(x, y)


def test_expand_merges_the_selected_nodes_neighbours_into_the_graph(
    page: Any, app: App, sagemaker: Any
) -> None:
    start = app.demo.model_package_artifact_arn
    page.goto(app.link(start, direction="Descendants", depth=1))
    wait_for_start(page, start)
    before = node_ids(page)
    target = sorted(before - {start})[0]
    click_node(page, target)
    page.locator("#details").get_by_text(target).wait_for()
    page.locator("#expand:not([disabled])").click()
    neighbours, _, _ = all_pages(
        sagemaker, StartArns=[target], Direction="Both", IncludeEdges=True, MaxDepth=1
    )
    expected = before | neighbours
    assert expected != before, "the demo should give this node neighbours outside the view"
    wait_for_graph(page, len(expected))
    assert node_ids(page) == expected
    assert node_ids(page, "node.added") == expected - before
    assert url_params(page)["arn"] == start


def test_a_wide_fan_out_collapses_into_a_group_node_that_opens_on_click(
    page: Any, app: App
) -> None:
    hub = app.extras.fan_out_hub
    page.goto(app.link(hub, direction="Ascendants", depth=1))
    wait_for_start(page, hub)
    groups = node_ids(page, "node.group")
    assert len(groups) == 1
    assert node_ids(page) == {hub, *groups}
    (group,) = groups
    count = page.evaluate(
        "g => document.getElementById('graph')._cyreg.cy.getElementById(g).data('count')", group
    )
    assert count == len(app.extras.fan_out_members)
    click_node(page, group)
    wait_for_graph(page, 1 + len(app.extras.fan_out_members))
    assert node_ids(page) == {hub, *app.extras.fan_out_members}


def test_search_in_the_graph_marks_the_nodes_whose_name_or_source_matches(
    page: Any, app: App, sagemaker: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    page.goto(app.link(endpoint, direction="Ascendants", depth=10))
    wait_for_start(page, endpoint)
    needle = app.demo.training_job_arn.rsplit("/", 1)[-1][:12]
    vertices, _, _ = all_pages(
        sagemaker, StartArns=[endpoint], Direction="Ascendants", IncludeEdges=True, MaxDepth=10
    )
    expected = {arn for arn in vertices if needle.lower() in arn.lower()}
    assert expected
    # Artifacts are found by their source too: the models the job wrote.
    sources = {
        arn
        for arn in vertices
        if ":artifact/" in arn
        and needle.lower()
        in sagemaker.describe_artifact(ArtifactArn=arn)["Source"]["SourceUri"].lower()
    }
    assert sources
    expected |= sources
    page.fill("#graph-search", needle)
    page.press("#graph-search", "Enter")
    word = "match" if len(expected) == 1 else "matches"
    page.locator("#graph-search-status").get_by_text(f"{len(expected)} {word}").wait_for()
    assert node_ids(page, "node.search-hit") == expected


def some_property(sagemaker: Any, arns: set[str]) -> tuple[str, str]:
    for arn in sorted(a for a in arns if ":artifact/" in a):
        props = sagemaker.describe_artifact(ArtifactArn=arn).get("Properties") or {}
        for key, value in sorted(props.items()):
            if value and "=" not in key and len(value) < 100:
                return key, value
    raise AssertionError("no artifact in the view has a property")


def test_filters_typed_in_the_form_go_into_the_url_and_narrow_the_result(
    page: Any, app: App, sagemaker: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    page.goto(app.link(endpoint, direction="Ascendants", depth=10))
    wait_for_start(page, endpoint)
    key, value = some_property(sagemaker, node_ids(page))
    page.click("details.filters summary")
    page.locator("#filter-lineage-types").get_by_label("Artifact").check()
    page.fill("#filter-property", f"{key}={value}")
    page.click("#apply-filters")
    page.wait_for_function("() => location.search.includes('lineage_types=Artifact')")
    params = url_params(page)
    assert params["property"] == f"{key}={value}"
    filters = {"LineageTypes": ["Artifact"], "Properties": {key: value}}
    vertices, _, _ = all_pages(
        sagemaker,
        StartArns=[endpoint],
        Direction="Ascendants",
        IncludeEdges=True,
        MaxDepth=10,
        Filters=filters,
    )
    assert vertices
    page.wait_for_function(
        "n => !document.getElementById('graph')._cyreg.cy.$('node.start').length"
        " || document.getElementById('graph')._cyreg.cy.nodes().length === n",
        arg=len(vertices),
    )
    wait_for_graph(page, len(vertices))
    assert node_ids(page) == vertices


def test_a_deep_link_with_type_and_date_filters_sets_the_controls_and_the_result(
    page: Any, app: App, sagemaker: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    page.goto(
        app.link(
            endpoint,
            direction="Ascendants",
            depth=10,
            types="DataSet,Model",
            created_after="2020-01-01",
            created_before="2099-12-31",
        )
    )
    vertices, _, _ = all_pages(
        sagemaker,
        StartArns=[endpoint],
        Direction="Ascendants",
        IncludeEdges=True,
        MaxDepth=10,
        Filters={
            "Types": ["DataSet", "Model"],
            "CreatedAfter": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            "CreatedBefore": dt.datetime(2099, 12, 31, tzinfo=dt.UTC),
        },
    )
    assert vertices
    wait_for_graph(page, len(vertices))
    assert node_ids(page) == vertices
    page.click("details.filters summary")
    chosen = page.locator("#filter-types").inner_text()
    assert "DataSet" in chosen and "Model" in chosen
    start = page.locator("#filter-created")  # Dash 4 puts the id on the start date input
    end = start.locator(
        "xpath=ancestor::*[.//input[contains(@class, 'end-date')]][1]"
        "//input[contains(@class, 'end-date')]"
    )
    assert start.input_value() == "2020-01-01"
    assert end.input_value() == "2099-12-31"


def test_the_vertices_csv_download_lists_every_vertex_of_the_view(
    page: Any, app: App, tmp_path: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    page.goto(app.link(endpoint, direction="Ascendants", depth=10))
    wait_for_start(page, endpoint)
    with page.expect_download() as info:
        page.click("#export-vertices")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.endswith("-vertices.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["Arn"] for r in rows} == node_ids(page)
    assert all(r["LineageType"] for r in rows)


def test_dark_mode_switches_the_legend_to_the_dark_palette(page: Any, app: App) -> None:
    page.goto(app.url)
    legend = page.locator("#legend-grid img")
    light = [legend_data_uri(e) for e in legend_entries(dark=False)]
    dark = [legend_data_uri(e) for e in legend_entries(dark=True)]
    assert light != dark
    legend.first.wait_for()
    assert [legend.nth(i).get_attribute("src") for i in range(legend.count())] == light
    page.get_by_label("Dark mode").check()
    page.wait_for_function("() => document.body.classList.contains('dark')")
    page.wait_for_function(
        "s => document.querySelector('#legend-grid img').getAttribute('src') === s", arg=dark[0]
    )
    assert [legend.nth(i).get_attribute("src") for i in range(legend.count())] == dark
