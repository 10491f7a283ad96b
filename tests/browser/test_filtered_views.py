"""Filtered views: an empty answer names the filter, and the depth warning looks at the walk."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

import pytest
from browser_helpers import App
from test_explorer import wait_for_start

pytestmark = pytest.mark.browser


def walk(client: Any, start: str, direction: str, depth: int, filters: Any) -> tuple[int, int]:
    """Vertex count and farthest hop count (along the direction) of a QueryLineage answer."""
    request: dict[str, Any] = {
        "StartArns": [start],
        "Direction": direction,
        "IncludeEdges": True,
        "MaxDepth": depth,
        "Filters": filters,
    }
    vertices: set[str] = set()
    adjacent: dict[str, set[str]] = defaultdict(set)
    while True:
        out = client.query_lineage(**request)
        vertices |= {v["Arn"] for v in out["Vertices"]}
        for e in out["Edges"]:
            if direction in ("Descendants", "Both"):
                adjacent[e["SourceArn"]].add(e["DestinationArn"])
            if direction in ("Ascendants", "Both"):
                adjacent[e["DestinationArn"]].add(e["SourceArn"])
        if not out.get("NextToken"):
            break
        request["NextToken"] = out["NextToken"]
    hops = {start: 0}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for there in adjacent[here]:
            if there not in hops:
                hops[there] = hops[here] + 1
                queue.append(there)
    return len(vertices - {start}), max(hops.values())


# An empty filtered result names the filter, not the direction.


def test_an_empty_filtered_result_names_the_filter_that_removed_the_entities(
    page: Any, app: App, sagemaker: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    filtered, _ = walk(sagemaker, endpoint, "Ascendants", 2, {"Types": ["DataSet"]})
    unfiltered, _ = walk(sagemaker, endpoint, "Ascendants", 2, {})
    assert filtered == 0 and unfiltered > 0
    page.goto(app.link(endpoint, direction="Ascendants", depth=2, types="DataSet"))
    banner = page.locator("#query-error")
    banner.get_by_text("filter").wait_for()
    text = banner.inner_text()
    assert "entity types (DataSet)" in text
    assert f"all {unfiltered} entities" in text
    assert "clear" in text.lower()
    assert "try Both" not in text


def test_an_empty_unfiltered_result_still_suggests_the_direction(page: Any, app: App) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    page.goto(app.link(endpoint, direction="Descendants", depth=1))
    page.locator("#query-error").get_by_text("try Both").wait_for()
    assert "filter" not in page.inner_text("#query-error")


# The depth warning looks at the walk, not at what the filter kept.


def test_a_filtered_view_warns_when_the_walk_reaches_the_depth_limit(
    page: Any, app: App, sagemaker: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    kept, kept_reach = walk(sagemaker, endpoint, "Ascendants", 4, {"Types": ["Image"]})
    _, walk_reach = walk(sagemaker, endpoint, "Ascendants", 4, {})
    assert kept > 0 and kept_reach < 4 <= walk_reach  # the filter hides the depth-4 entities
    page.goto(app.link(endpoint, direction="Ascendants", depth=4, types="Image"))
    wait_for_start(page, endpoint)
    page.locator("#status .counts").wait_for()
    assert "Some entities sit at depth 4" in page.inner_text("#status")


def test_a_filtered_view_inside_the_depth_limit_has_no_depth_warning(
    page: Any, app: App, sagemaker: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    _, walk_reach = walk(sagemaker, endpoint, "Ascendants", 10, {})
    assert walk_reach < 10  # the whole ascendant lineage fits in depth 10
    page.goto(app.link(endpoint, direction="Ascendants", depth=10, types="Image"))
    wait_for_start(page, endpoint)
    page.locator("#status .counts").wait_for()
    assert "depth" not in page.inner_text("#status").lower()
