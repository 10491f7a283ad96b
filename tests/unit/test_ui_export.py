"""Pure parts of the export: caption with every filter, file names, pages JSON, downloads."""

from __future__ import annotations

import base64
import datetime as dt
import json

from viz_app.ui.export import base_name, pages_json, text_download, view_caption, view_svg
from viz_app.ui.query_state import from_search

START = "arn:aws:sagemaker:us-east-1:123456789012:context/ep-<b>x</b>"
WHEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
DATA = {
    "start": START,
    "direction": "Ascendants",
    "depth": 3,
    "vertices": [
        {"Arn": START, "LineageType": "Context", "Type": "Endpoint"},
        {"Arn": "arn:aws:sagemaker:us-east-1:123456789012:artifact/" + "a" * 32,
         "LineageType": "Artifact", "Type": "DataSet"},
    ],
    "edges": [{"SourceArn": "arn:aws:sagemaker:us-east-1:123456789012:artifact/" + "a" * 32,
               "DestinationArn": START, "AssociationType": "ContributedTo"}],
}  # fmt: skip


def caption() -> object:
    state = from_search(
        "?direction=Ascendants&depth=3&types=DataSet&lineage_types=Artifact"
        "&created_after=2024-01-01&property=framework%3Dxgboost"
    )
    return view_caption(
        state, DATA, account="123456789012", region="us-east-1", source="AWS", now=WHEN
    )


def test_the_caption_names_every_filter_of_the_view_including_dates_and_property() -> None:
    lines = caption().lines()  # type: ignore[attr-defined]
    assert f"Start ARN: {START}" in lines
    filters = next(line for line in lines if line.startswith("Direction:"))
    assert filters == (
        "Direction: Ascendants · Depth: 3 · Filters: Types=DataSet; LineageTypes=Artifact; "
        "CreatedAfter=2024-01-01; Properties=framework=xgboost"
    )
    assert "Vertices: 2 · Edges: 1" in lines
    assert "Generated (UTC): 2026-03-02T09:30:00Z" in lines


def test_an_unfiltered_view_says_filters_none() -> None:
    plain = view_caption(from_search("?"), DATA, account=None, region="us-east-1", source="x")
    assert "Filters: none" in plain.lines()[2]


def test_the_svg_escapes_the_start_arn_and_draws_every_vertex() -> None:
    svg = view_svg(DATA, caption(), {}, frozenset())  # type: ignore[arg-type]
    assert "<b>" not in svg and "ep-&lt;b&gt;x&lt;/b&gt;" in svg
    assert svg.count('<g class="node ') == 2


def test_file_names_are_safe_and_stamped_in_utc() -> None:
    assert base_name(caption()) == "lineage-ep-_b_x_b_-20260302T093000Z"  # type: ignore[arg-type]


def test_pages_json_keeps_requests_responses_and_caption() -> None:
    queries = [{"request": {"StartArns": [START]}, "responses": [{"Vertices": [], "Edges": []}]}]
    document = json.loads(pages_json(queries, caption()))  # type: ignore[arg-type]
    assert document["queries"] == queries
    assert document["caption"][1] == f"Start ARN: {START}"


def test_text_downloads_are_base64_utf8() -> None:
    out = text_download("שלום <x>", "a.txt", "text/plain")
    assert base64.b64decode(out["content"]).decode("utf-8") == "שלום <x>"
    assert out["base64"] is True and out["filename"] == "a.txt"
