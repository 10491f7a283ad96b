"""render, explore and serve in-process: inputs, HTML file, read-only window, no side effects."""

from __future__ import annotations

import logging
import os
import urllib.error
from pathlib import Path
from typing import Any

import boto3
import pytest
from notebook_helpers import Demo
from view_http import drawn_arns, get

from viz_app.notebook import Visualizer, explore, render, serve
from viz_app.notebook.data import guess_start, to_input
from viz_app.notebook.live import LiveBackend
from viz_app.notebook.offline import OfflineBackend
from viz_app.ui.messages import ReadOnlyViolation


def ascendants(demo: Demo, start: str) -> dict[str, Any]:
    return dict(
        demo.client.query_lineage(StartArns=[start], Direction="Ascendants", IncludeEdges=True)
    )


def all_pages(demo: Demo, start: str, direction: str) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    request: dict[str, Any] = {"StartArns": [start], "Direction": direction, "IncludeEdges": True}
    while True:
        page = demo.client.query_lineage(**request)
        pages.append(page)
        if not page.get("NextToken"):
            return pages
        request["NextToken"] = page["NextToken"]


def arns(pages: list[dict[str, Any]]) -> set[str]:
    return {v["Arn"] for p in pages for v in p["Vertices"]}


def model_of(demo: Demo, start: str) -> str:
    return str(
        next(v["Arn"] for v in ascendants(demo, start)["Vertices"] if v.get("Type") == "Model")
    )


def test_a_response_a_list_of_pages_and_an_sdk_result_give_the_same_graph(demo: Demo) -> None:
    import sagemaker
    from sagemaker.lineage.query import LineageQuery, LineageQueryDirectionEnum

    start = demo.summary.endpoint_context_arns[0]
    response = ascendants(demo, start)
    session = sagemaker.Session(
        boto_session=boto3.Session(
            region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local"
        ),
        sagemaker_client=demo.client,
        sagemaker_config={"SchemaVersion": "1.0"},
    )
    sdk = LineageQuery(session).query(
        start_arns=[start], direction=LineageQueryDirectionEnum.ASCENDANTS, include_edges=True
    )
    graphs = [to_input(x) for x in (response, [response], sdk)]
    assert {v["Arn"] for v in graphs[0].vertices} == arns([response])
    for graph in graphs[1:]:
        assert graph.vertices == graphs[0].vertices
        assert graph.edges == graphs[0].edges
    assert graphs[2].start_arns == [start]
    assert all(guess_start(g, "Ascendants") == start for g in graphs)


def test_render_outside_jupyter_writes_one_html_file_holding_every_vertex(
    demo: Demo, tmp_path: Path
) -> None:
    response = ascendants(demo, demo.summary.endpoint_context_arns[0])
    path = Visualizer().render(response, "Endpoint")
    assert isinstance(path, Path) and path.suffix == ".html"
    text = path.read_text(encoding="utf-8")
    assert "<svg" in text and "Endpoint" in text
    assert all(v["Arn"] in text for v in response["Vertices"])
    chosen = render(response, "Endpoint", output=tmp_path / "out" / "endpoint.html")
    assert chosen == tmp_path / "out" / "endpoint.html" and chosen.is_file()


def test_explore_follows_every_page_of_the_query(demo: Demo, tmp_path: Path) -> None:
    start = demo.summary.endpoint_context_arns[0]
    pages = all_pages(demo, start, "Both")
    assert len(pages) > 1, "the question must need several pages"
    path = explore(start, "Both", client=demo.client, output=tmp_path / "both.html")
    assert isinstance(path, Path)
    text = path.read_text(encoding="utf-8")
    assert all(arn in text for arn in arns(pages))


def test_a_view_with_a_client_reads_through_a_window_that_leaves_the_callers_client_writable(
    demo: Demo,
) -> None:
    response = ascendants(demo, demo.summary.endpoint_context_arns[0])
    backend = LiveBackend(
        to_input(response), demo.client, start=None, direction="Ascendants", depth=10
    )
    with pytest.raises(ReadOnlyViolation):
        backend.client.create_artifact(
            ArtifactName="never", Source={"SourceUri": "s3://b/never"}, ArtifactType="Model"
        )
    made = demo.client.create_artifact(
        ArtifactName="still-writable", Source={"SourceUri": "s3://b/w"}, ArtifactType="DataSet"
    )
    assert made["ArtifactArn"].startswith("arn:aws:sagemaker:")


def test_without_a_client_re_rooting_walks_the_given_answer(demo: Demo) -> None:
    start = demo.summary.endpoint_context_arns[0]
    model = model_of(demo, start)
    backend = OfflineBackend(
        to_input(ascendants(demo, start)), start=start, direction="Ascendants", depth=10
    )
    walked = backend.query_all_pages(model, "Ascendants", 10)
    assert {v["Arn"] for v in walked.vertices} == arns([ascendants(demo, model)])
    described = backend.describe(model)
    assert described["ArtifactArn"] == model and described["ArtifactType"] == "Model"


def test_serving_views_changes_no_environment_and_each_view_has_its_own_port(
    demo: Demo,
) -> None:
    response = ascendants(demo, demo.summary.endpoint_context_arns[0])
    environ = dict(os.environ)
    werkzeug = logging.getLogger("werkzeug")
    before = (list(logging.getLogger().handlers), list(werkzeug.handlers), werkzeug.level)
    first = serve(response, "Endpoint")
    second = serve(response, "Endpoint", client=demo.client)
    try:
        assert first.port != second.port
        for view in (first, second):
            assert get(view.url)[0] == 200
            assert drawn_arns(view.url) == arns([response])
    finally:
        first.close()
        second.close()
    assert dict(os.environ) == environ
    assert (list(logging.getLogger().handlers), list(werkzeug.handlers), werkzeug.level) == before
    with pytest.raises(urllib.error.URLError):
        get(first.url)


def test_explore_takes_the_apps_filters(demo: Demo, tmp_path: Path) -> None:
    import datetime as dt

    start = demo.summary.endpoint_context_arns[0]
    filters = {"Types": ["Model"], "LineageTypes": ["Artifact"]}
    wanted = arns(all_pages_filtered(demo, start, "Both", filters))
    everything = arns(all_pages(demo, start, "Both"))
    assert everything - wanted, "the filter must leave something out"
    path = explore(
        start,
        "Both",
        client=demo.client,
        types="Model",
        lineage_types=["Artifact"],
        created_before=dt.date(2100, 1, 1),
        output=tmp_path / "models.html",
    )
    assert isinstance(path, Path)
    text = path.read_text(encoding="utf-8")
    assert all(arn in text for arn in wanted)
    assert not any(arn in text for arn in everything - wanted)


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"property": "framework"}, "A property filter is written key=value"),
        ({"created_after": "last week"}, "is not a date like 2024-05-31"),
        ({"lineage_types": "Dataset"}, "Unknown lineage type Dataset"),
    ],
)
def test_explore_names_a_bad_filter_before_asking(
    demo: Demo, tmp_path: Path, options: dict[str, Any], says: str
) -> None:
    start = demo.summary.endpoint_context_arns[0]
    with pytest.raises(ValueError, match=says):
        explore(start, client=demo.client, output=tmp_path / "x.html", **options)
    assert not (tmp_path / "x.html").exists()


def all_pages_filtered(
    demo: Demo, start: str, direction: str, filters: dict[str, Any]
) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    request: dict[str, Any] = {
        "StartArns": [start],
        "Direction": direction,
        "IncludeEdges": True,
        "Filters": filters,
    }
    while True:
        page = demo.client.query_lineage(**request)
        pages.append(page)
        if not page.get("NextToken"):
            return pages
        request["NextToken"] = page["NextToken"]
