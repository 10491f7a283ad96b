"""Moving around a readable graph: the landing hint, wheel, focus, groups, answers, contrast."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import App, node_ids, node_point, wait_for_graph
from test_explorer import wait_for_start

pytestmark = pytest.mark.browser

CY = "window.lineageViz.cy()"


def contrast(rgb_a: str, rgb_b: str) -> float:
    """WCAG contrast of two `rgb(r, g, b)` colours."""

    def luminance(rgb: str) -> float:
        parts = [int(p) / 255 for p in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_landing_page_says_where_to_start_and_goes_away_with_a_view(
    page: Any, app: App
) -> None:
    page.goto(app.url)
    landing = page.locator("#landing")
    landing.get_by_text("Where to start").wait_for()
    link = landing.locator("a.candidate").first
    link.wait_for()
    assert "churn-prod" in page.inner_text("#landing") or "Endpoint" in page.inner_text("#landing")
    link.click()
    wait_for_graph(page)
    assert not landing.is_visible()


def test_one_wheel_notch_zooms_a_little(page: Any, app: App) -> None:
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start, direction="Ascendants", depth=10))
    wait_for_start(page, start)
    before = page.evaluate(f"() => {CY}.zoom()")
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + 200, box["y"] + 200)
    page.mouse.wheel(0, -100)  # one notch
    page.wait_for_timeout(300)
    after = page.evaluate(f"() => {CY}.zoom()")
    assert 1.02 < after / before <= 1.3, after / before


def test_focus_keeps_two_hops_around_the_selected_node(page: Any, app: App) -> None:
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start, direction="Both", depth=10))
    wait_for_start(page, start)
    page.locator("#graph-focus").click()
    page.wait_for_timeout(300)
    shown = page.evaluate(f"() => {CY}.nodes().filter(n => n.visible()).map(n => n.id())")
    near = page.evaluate(
        f"s => {CY}.getElementById(s).closedNeighborhood().closedNeighborhood()"
        ".nodes().map(n => n.id())",
        start,
    )
    assert set(shown) == set(near)
    assert len(shown) < page.evaluate(f"() => {CY}.nodes().length")
    page.locator("#graph-focus").click()
    page.wait_for_timeout(300)
    assert page.evaluate(f"() => {CY}.nodes().filter(n => !n.visible()).length") == 0


def test_opening_a_group_keeps_the_zoom_and_place(page: Any, app: App) -> None:
    hub = app.extras.fan_out_hub
    page.goto(app.link(hub, direction="Ascendants", depth=1))
    wait_for_start(page, hub)
    (group,) = node_ids(page, "node.group")
    page.evaluate(
        f"() => {{ {CY}.zoom({{level: 1.1, position: {CY}.nodes('.start').position()}}); }}"
    )
    page.wait_for_timeout(200)
    before = page.evaluate(f"() => [{CY}.zoom(), {CY}.pan()]")
    x, y = node_point(page, group)
    before = page.evaluate(f"() => [{CY}.zoom(), {CY}.pan()]")  # after any pan into view
    page.mouse.click(x, y)
    wait_for_graph(page, 1 + len(app.extras.fan_out_members))
    page.wait_for_timeout(300)
    after = page.evaluate(f"() => [{CY}.zoom(), {CY}.pan()]")
    assert after[0] == pytest.approx(before[0])
    assert after[1]["x"] == pytest.approx(before[1]["x"])


def test_an_answer_is_zoomed_to_and_in_view(page: Any, app: App) -> None:
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start, direction="Ascendants", depth=10))
    wait_for_start(page, start)
    page.get_by_role("button", name="Which datasets went into it?").click()
    page.locator("#answer .answer-title").wait_for()
    page.wait_for_function(f"() => {CY}.nodes('.answer').length > 0")
    page.wait_for_timeout(500)
    outside = page.evaluate(
        f"""() => {{
            const b = {CY}.extent();
            return {CY}.nodes('.answer').filter(n => {{
                const p = n.position();
                return p.x < b.x1 || p.x > b.x2 || p.y < b.y1 || p.y > b.y2;
            }}).length;
        }}"""
    )
    assert outside == 0, "every answer node is in view"


def test_the_dark_mode_toggle_reads_on_the_dark_header(page: Any, app: App) -> None:
    page.goto(app.url)
    page.get_by_label("Dark mode").check()
    page.wait_for_function("() => document.body.classList.contains('dark')")
    text, background = page.evaluate(
        "() => [getComputedStyle(document.querySelector('.dark-toggle label')).color,"
        " getComputedStyle(document.querySelector('.header')).backgroundColor]"
    )
    assert contrast(text, background) >= 4.5, (text, background)
