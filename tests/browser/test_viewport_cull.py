"""Frames drawn from the elements near the viewport (assets/viewport_cull.js): the picture is
the same, pixel for pixel, as a frame over every element, before and after a pan that leaves
the area the list was made for; hit tests in view find the same elements; exports still see
every element.

The demo's endpoint view is small, so the threshold is lowered to cull it, and the view is
zoomed in until most of it lies outside the grown viewport."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from browser_helpers import App, start_app
from test_explorer import wait_for_start
from test_gestures import CY, KEEP_LAYER, MOVED_DIFFERENCE

from bench.pages.fleet import Family, build_families
from viz_app.core.store import Store

pytestmark = pytest.mark.browser

# Draw the element layer now, culled or not; returns [elements drawn from, all elements].
FRAME = f"""on => {{
  const cy = {CY}, r = cy.renderer();
  window.lineageVizCull.enabled = on;
  r.redrawHint("eles", true);
  r.render();
  const c = r._lvCull;
  return [c.from, r.getCachedZSortedEles().length, c.lists];
}}"""


def same_picture(page: Any) -> tuple[int, int, int]:
    """Draw the layer culled and in full; assert the pixels agree. Returns the culled frame's
    element count, every element's count, and how many lists were made so far.

    The first frames after a zoom or pan draw from low-quality element pictures while better
    ones are made (two full frames then differ too): one frame and a pause settle them."""
    page.evaluate(FRAME, True)
    page.wait_for_timeout(600)
    near, every, lists = page.evaluate(FRAME, True)
    page.evaluate(KEEP_LAYER, "__culled")
    page.evaluate(FRAME, False)
    page.evaluate(KEEP_LAYER, "__full")
    drawn, differ = page.evaluate(MOVED_DIFFERENCE, ["__culled", "__full", 0, 0])
    assert drawn > 500, "nothing drawn to compare"
    assert differ == 0, f"{differ:.2%} of the drawn pixels differ between culled and full frames"
    page.evaluate("() => { window.lineageVizCull.enabled = true; }")
    return near, every, lists


def test_a_culled_frame_is_the_full_frame_before_and_after_a_long_pan(page: Any, app: App) -> None:
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start, direction="Both", depth=10))
    wait_for_start(page, start)
    page.wait_for_timeout(400)  # the debounced fit
    page.evaluate(
        f"""id => {{ window.lineageVizCull.minElements = 1;
            const cy = {CY}, n = cy.getElementById(id);
            cy.zoom({{level: 6, renderedPosition: n.renderedPosition()}}); }}""",
        start,
    )
    near, every, lists = same_picture(page)
    assert 0 < near < every * 3 / 4, f"too little culled: drawn from {near} of {every} elements"
    # A hit test at each node in view finds the same element from the list as from all.
    found = page.evaluate(
        f"""() => {{ const cy = {CY}, r = cy.renderer(), ext = cy.extent(), out = [];
            cy.nodes().forEach(n => {{ const p = n.position();
              if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) {{ return; }}
              window.lineageVizCull.enabled = true;
              const a = r.findNearestElement(p.x, p.y, true, false);
              window.lineageVizCull.enabled = false;
              const b = r.findNearestElement(p.x, p.y, true, false);
              out.push([n.id(), a ? a.id() : null, b ? b.id() : null]); }});
            window.lineageVizCull.enabled = true;
            return out; }}"""
    )
    assert found, "no node in view to hit"
    assert all(culled == full for _, culled, full in found), found
    assert any(culled == node for node, culled, _ in found)
    # To the node farthest from the start: out of the area the list was made for, so it is
    # made again.
    page.evaluate(
        f"""id => {{ const cy = {CY}, p = cy.getElementById(id).position();
            const far = cy.nodes().max(n => Math.hypot(n.position().x - p.x,
                                                       n.position().y - p.y)).ele;
            cy.center(far); }}""",
        start,
    )
    _, every2, lists2 = same_picture(page)
    assert lists2 > lists, "the list was not made again after leaving its area"
    assert every2 == every
    # Exports are not culled: the full PNG is the same either way, and outside a frame the
    # renderer's list holds every element.
    same_png, interactive = page.evaluate(
        f"""() => {{ const cy = {CY}, r = cy.renderer();
            window.lineageVizCull.enabled = true;
            const a = cy.png({{full: true, scale: 0.5}});
            window.lineageVizCull.enabled = false;
            const b = cy.png({{full: true, scale: 0.5}});
            window.lineageVizCull.enabled = true;
            return [a === b, r.getCachedZSortedEles().interactive.length]; }}"""
    )
    assert same_png
    assert interactive == page.evaluate(f"() => {CY}.elements().length")


def test_a_small_view_is_never_culled(page: Any, app: App) -> None:
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start, direction="Both", depth=10))
    wait_for_start(page, start)
    near, every, _ = page.evaluate(FRAME, True)
    assert near == every  # under minElements: every element is drawn from, as before


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Family]]:
    """The app on a synthetic family of about 5,000 vertices (bench/pages/fleet.py)."""
    db = tmp_path_factory.mktemp("cull") / "fleet.db"
    store = Store(db)
    family = build_families(store, {"fleet": 5000})["fleet"]
    store.close()
    proc, url = start_app(db)
    yield url, family
    proc.terminate()
    proc.wait(timeout=10)


def test_after_a_re_root_the_screen_shows_the_new_view_not_old_pictures(
    page: Any, fleet: tuple[str, Family]
) -> None:
    """A big culled view re-rooted on its base image, selected first (its view fetched ahead),
    as a person does: every element is kept and moves. The frame on screen, drawn as the page
    draws it (nothing forced), is the new view's full frame: the list of elements near the
    viewport was made again for the new positions."""
    url, family = fleet
    page.set_viewport_size({"width": 1440, "height": 900})
    both = {"direction": "Both", "depth": 10}  # both views hold the whole family: all kept
    page.goto(url + "?" + urlencode({"arn": family.endpoint_context_arn, **both}))
    wait_for_start(page, family.endpoint_context_arn)
    page.wait_for_function("() => window.lineageViz.namesDone")
    page.wait_for_timeout(1000)  # at rest: Cytoscape makes its layer pictures meanwhile
    page.evaluate(f"id => {{ {CY}.getElementById(id).emit('tap'); }}", family.base_image_arn)
    page.wait_for_function("() => !document.getElementById('reroot').disabled")
    page.wait_for_timeout(2000)  # the person reads the details; the view is fetched ahead
    page.click("#reroot")
    wait_for_start(page, family.base_image_arn)
    page.wait_for_function("() => window.lineageViz.namesDone")
    page.wait_for_timeout(1500)  # the view settles, its pictures made at full quality
    near, every = page.evaluate(
        f"() => [{CY}.renderer()._lvCull.from, {CY}.renderer().getCachedZSortedEles().length]"
    )
    assert 0 < near < every, "the frame on screen was not culled"
    assert page.evaluate(f"() => {CY}.renderer()._lvCull.lists") > 1
    page.evaluate(KEEP_LAYER, "__screen")
    page.evaluate(FRAME, False)
    page.evaluate(KEEP_LAYER, "__full")
    page.evaluate("() => { window.lineageVizCull.enabled = true; }")
    drawn, differ = page.evaluate(MOVED_DIFFERENCE, ["__screen", "__full", 0, 0])
    assert drawn > 500
    assert differ < 0.01, f"{differ:.2%} of the screen differs from the new view's full frame"
