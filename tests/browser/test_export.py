"""Exporting the current view: captioned SVG and PNG, edges CSV and the raw QueryLineage pages."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import App, node_ids
from png_pixels import non_background_share, read_png
from test_explorer import all_pages, wait_for_start

pytestmark = pytest.mark.browser


def download(page: Any, button: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(button)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def open_view(page: Any, app: App, arn: str, **params: Any) -> None:
    page.goto(app.link(arn, **params))
    wait_for_start(page, arn)


def test_the_svg_export_holds_the_whole_graph_and_a_caption_saying_what_was_asked(
    page: Any, app: App, tmp_path: Path
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    open_view(
        page,
        app,
        endpoint,
        direction="Ascendants",
        depth=10,
        lineage_types="Artifact,Context,Action,TrialComponent",
    )
    shown = node_ids(page)
    edges = page.evaluate("() => document.getElementById('graph')._cyreg.cy.edges().length")
    svg = download(page, "#export-svg", tmp_path).read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    for text in (
        f"Start ARN: {endpoint}",
        "Direction: Ascendants · Depth: 10",
        "LineageTypes=Action,Artifact,Context,TrialComponent",
        "Account: 123456789012 · Region: us-east-1",
        "Generated (UTC): 20",
        f"Vertices: {len(shown)} · Edges: {edges}",
    ):
        assert text in svg
    drawn = svg.count('<g class="node ')
    assert drawn == len(shown)


def test_the_png_export_is_the_whole_captioned_graph_not_a_blank_image(
    page: Any, app: App, tmp_path: Path
) -> None:
    start = app.demo.model_package_artifact_arn
    open_view(page, app, start, direction="Descendants", depth=2)
    svg = download(page, "#export-svg", tmp_path)
    png = download(page, "#export-png", tmp_path)
    assert png.suffix == ".png"
    width, height, _, _ = read_png(png)
    svg_text = svg.read_text(encoding="utf-8")
    svg_width = float(svg_text.split('width="', 1)[1].split('"', 1)[0])
    svg_height = float(svg_text.split('height="', 1)[1].split('"', 1)[0])
    assert width >= svg_width and height >= svg_height
    assert abs(width / height - svg_width / svg_height) < 0.02
    assert 0.01 < non_background_share(png) < 0.9


def test_the_pages_json_holds_every_query_lineage_page_and_the_edges_csv_every_edge(
    page: Any, app: App, sagemaker: Any, tmp_path: Path
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    open_view(page, app, endpoint, direction="Ascendants", depth=10)
    document = json.loads(download(page, "#export-pages", tmp_path).read_text(encoding="utf-8"))
    (query,) = document["queries"]
    assert query["request"]["StartArns"] == [endpoint]
    assert query["request"]["Direction"] == "Ascendants"
    vertices, edge_count, pages = all_pages(
        sagemaker, StartArns=[endpoint], Direction="Ascendants", IncludeEdges=True, MaxDepth=10
    )
    assert len(query["responses"]) == pages
    assert {v["Arn"] for r in query["responses"] for v in r["Vertices"]} == vertices
    assert any(line.startswith("Start ARN: ") for line in document["caption"])
    with download(page, "#export-edges", tmp_path).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len({(r["SourceArn"], r["DestinationArn"]) for r in rows}) == edge_count


def test_exporting_before_any_view_says_there_is_nothing_to_export(page: Any, app: App) -> None:
    page.goto(app.url)
    page.click("#export-svg")
    page.locator("#export-error").get_by_text("nothing to export").wait_for()
