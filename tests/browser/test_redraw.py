"""How the graph is (re)drawn: elements kept across a re-root, labels only where readable."""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from browser_helpers import App, node_point, wait_for_graph
from test_explorer import wait_for_start

from viz_app.ui.labels import label_from_description, wrap_label

pytestmark = pytest.mark.browser

CY = "document.getElementById('graph')._cyreg.cy"
ARROW_ZOOM = 0.3  # assets/graph.js: arrows on the edges in view from here
DETAIL_ZOOM = 10 / 12  # and labels on the nodes in view from here (10 px on screen)


def route_elements(app: App, search: str) -> dict[str, Any]:
    query = urlencode({"search": search})
    with urllib.request.urlopen(f"{app.url}_lineage-viz/elements?{query}", timeout=30) as reply:
        packed: dict[str, Any] = json.loads(reply.read())
    return packed


def test_re_rooting_keeps_the_elements_both_views_share_and_draws_the_new_layout(
    page: Any, app: App
) -> None:
    first = app.demo.endpoint_context_arns[0]
    page.goto(app.link(first, direction="Both", depth=10))
    wait_for_start(page, first)
    # Mark every drawn element: a kept element keeps its mark, a new one has none.
    page.evaluate(f"() => {{ {CY}.elements().forEach(e => e.scratch('_test', 1)); }}")
    before = set(page.evaluate(f"() => {CY}.elements().map(e => e.id())"))
    target = app.demo.model_package_artifact_arn
    page.evaluate(f"id => {{ {CY}.getElementById(id).emit('tap'); }}", target)
    page.locator("#reroot:not([disabled])").click()
    wait_for_start(page, target)

    packed = route_elements(app, page.evaluate("() => location.search"))
    drawn = page.evaluate(
        f"""() => {CY}.elements().map(e => [e.id(), e.isNode() ? e.position() : null,
            e.scratch('_test') === 1, e.classes().filter(c => c !== 'detailed').join(' ')])"""
    )
    by_id = {row[0]: row for row in drawn}
    nodes = {n[0]: n for n in packed["nodes"]}
    assert {i for i in by_id if not i.startswith("e\u0001")} == set(nodes)
    assert sum(1 for i in by_id if i.startswith("e\u0001")) == len(packed["edges"])
    for arn, node in nodes.items():
        assert by_id[arn][1] == {"x": node[4], "y": node[5]}, "drawn where the server laid it out"
        assert by_id[arn][3] == packed["classes"][node[6]]
    kept = {i for i, row in by_id.items() if row[2]}
    assert first not in kept and target not in kept  # their `start` class moved
    shared = (before & set(by_id)) - {first, target}
    assert len(kept) > len(by_id) // 2
    assert kept <= shared
    # Only elements touching the old or new start can differ (their classes or counts).
    for element_id in shared - kept:
        assert first in element_id or target in element_id or element_id.startswith("group:")


def _asked_start(url: str) -> str | None:
    """The start ARN an elements request asked for by URL query (None for a key request)."""
    search = parse_qs(urlparse(url).query).get("search")
    return parse_qs(search[0].lstrip("?")).get("arn", [None])[0] if search else None


def test_a_selected_nodes_re_root_view_is_fetched_ahead_and_the_click_draws_it(
    page: Any, app: App
) -> None:
    first = app.demo.endpoint_context_arns[0]
    page.goto(app.link(first, direction="Both", depth=10))
    wait_for_start(page, first)
    asked: list[str | None] = []
    page.on(
        "request",
        lambda r: asked.append(_asked_start(r.url)) if "_lineage-viz/elements" in r.url else None,
    )
    target = app.demo.model_package_artifact_arn
    page.evaluate(f"id => {CY}.getElementById(id).emit('tap')", target)
    for _ in range(100):  # while the person reads the details, the view is fetched
        if target in asked:
            break
        page.wait_for_timeout(50)
    assert asked.count(target) == 1, "the selected node's re-root view is fetched ahead, once"
    before_click = len(asked)
    page.locator("#reroot:not([disabled])").click()
    wait_for_start(page, target)
    assert target not in asked[before_click:], "the click draws what was fetched ahead"
    packed = route_elements(app, page.evaluate("() => location.search"))
    drawn = set(page.evaluate(f"() => {CY}.nodes().map(n => n.id())"))
    assert drawn == {n[0] for n in packed["nodes"]}


def test_without_fetching_ahead_a_selection_asks_for_nothing(page: Any, app: App) -> None:
    first = app.demo.endpoint_context_arns[0]
    page.goto(app.link(first, direction="Both", depth=10))
    wait_for_start(page, first)
    page.evaluate("() => { window.lineageViz.fetchAhead = false; }")
    asked: list[str | None] = []
    page.on(
        "request",
        lambda r: asked.append(_asked_start(r.url)) if "_lineage-viz/elements" in r.url else None,
    )
    target = app.demo.model_package_artifact_arn
    page.evaluate(f"id => {CY}.getElementById(id).emit('tap')", target)
    page.wait_for_timeout(1000)
    assert target not in asked
    page.locator("#reroot:not([disabled])").click()
    wait_for_start(page, target)
    assert target in asked, "the click asks for the view itself"


def test_a_graph_fitted_below_readable_zoom_styles_no_labels_until_zoomed_in(
    page: Any, app: App
) -> None:
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start, direction="Both", depth=10))
    wait_for_start(page, start)
    seen = page.evaluate(f"() => {CY}.nodes('.detailed').length")  # the readable first view
    page.locator("#graph-fit").click()  # the whole graph: too small to read, so no labels
    page.wait_for_timeout(300)
    zoom, nodes, edges, all_edges = page.evaluate(
        f"""() => [{CY}.zoom(), {CY}.nodes('.detailed').length, {CY}.edges('.detailed').length,
            {CY}.edges().length]"""
    )
    assert ARROW_ZOOM <= zoom < DETAIL_ZOOM, "this view fits where arrows show, labels do not"
    assert nodes == seen, "fitted out, no more node is given a label"
    assert edges == all_edges  # fitted: every edge is in view, with its arrow
    for level in (0.9, 1.6):
        page.evaluate(
            f"z => {{ {CY}.zoom({{level: z, renderedPosition: {{x: {CY}.width() / 2,"
            f" y: {CY}.height() / 2}}}}); }}",
            level,
        )
        page.wait_for_timeout(300)  # graph.js labels after the viewport settles
        nodes, edges, in_view_nodes, in_view_edges = page.evaluate(
            f"""() => {{
                const c = {CY}, b = c.extent(), m = 80;
                const inside = p => p.x >= b.x1 - m && p.x <= b.x2 + m
                    && p.y >= b.y1 - m && p.y <= b.y2 + m;
                return [
                    c.nodes('.detailed').map(n => n.id()).sort(),
                    c.edges('.detailed').map(e => e.id()).sort(),
                    c.nodes().filter(n => inside(n.position())).map(n => n.id()).sort(),
                    c.edges().filter(e => inside(e.source().position())
                        || inside(e.target().position())).map(e => e.id()).sort(),
                ];
            }}"""
        )
        total = page.evaluate(f"() => {CY}.nodes().length")
        assert 0 < len(in_view_nodes) < total
        assert set(in_view_nodes) <= set(nodes)  # everything in view is detailed
        assert in_view_edges and set(in_view_edges) <= set(edges)


def test_a_graph_fitted_below_arrow_zoom_draws_plain_lines_until_zoomed_in(
    page: Any, app: App
) -> None:
    page.add_init_script(  # a small graph pane: the same view fits at a smaller zoom
        "document.addEventListener('DOMContentLoaded', () => document.head.insertAdjacentHTML("
        "'beforeend', '<style>.graph-box { width: 320px !important; }</style>'))"
    )
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start, direction="Both", depth=10))
    wait_for_start(page, start)
    page.locator("#graph-fit").click()
    page.wait_for_timeout(300)
    plain = f"() => [{CY}.zoom(), {CY}.edges().not('.detailed').map(e => e.style('curve-style')),"
    plain += f" {CY}.edges('.detailed').length]"
    zoom, styles, detailed = page.evaluate(plain)
    assert zoom < ARROW_ZOOM, "this view should fit where arrowheads would be specks"
    assert styles and set(styles) == {"haystack"}  # what was never seen up close: plain lines
    page.evaluate(
        f"() => {{ {CY}.zoom({{level: 0.35, renderedPosition: {{x: {CY}.width() / 2,"
        f" y: {CY}.height() / 2}}}}); }}"
    )
    page.wait_for_timeout(300)
    _, styles, more = page.evaluate(plain)
    assert more > detailed, "edges in view get their arrows once the zoom is worth it"
    assert set(styles) <= {"haystack"}


def test_a_small_graph_is_drawn_detailed_and_fitted_with_its_labels(page: Any, app: App) -> None:
    start = app.extras.hostile_start
    page.goto(app.link(start, direction="Both", depth=1))
    wait_for_graph(page, 3)
    detailed, edges, inside = page.evaluate(
        f"""() => {{
            const c = {CY}, b = c.extent(), bb = c.elements().boundingBox();
            return [c.nodes('.detailed').length, c.edges('.detailed').length,
                    bb.x1 >= b.x1 && bb.x2 <= b.x2 && bb.y1 >= b.y1 && bb.y2 <= b.y2];
        }}"""
    )
    assert (detailed, edges) == (3, 2)
    assert inside, "labels included, the whole graph is in view"


def test_a_node_is_named_from_the_start_and_keeps_its_name_after_a_describe(
    page: Any, app: App, sagemaker: Any
) -> None:
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start, direction="Ascendants", depth=2))
    wait_for_start(page, start)
    page.wait_for_function("() => window.lineageViz.namesDone === true")
    label = f"id => {CY}.getElementById(id).data('label')"
    target = next(
        arn for arn in page.evaluate(f"() => {CY}.nodes().map(n => n.id())") if ":artifact/" in arn
    )
    expected = wrap_label(label_from_description(sagemaker.describe_artifact(ArtifactArn=target)))
    assert page.evaluate(label, target) == expected
    x, y = node_point(page, target)
    page.mouse.click(x, y)
    page.locator("#details .start-summary").wait_for(state="detached")
    page.wait_for_timeout(300)
    assert page.evaluate(label, target) == expected
