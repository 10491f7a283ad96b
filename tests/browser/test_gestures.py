"""Dragging and wheeling a view whose full frame is slow: a picture of the view moves with the
gesture (assets/gestures.js), placed where it was drawn, and the view is drawn in full after."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import App
from test_explorer import wait_for_start

pytestmark = pytest.mark.browser

CY = "window.lineageViz.cy()"

# A point off every node (a drag there pans), in page coordinates.
BACKGROUND = f"""() => {{
  const cy = {CY}, box = cy.container().getBoundingClientRect(), z = cy.zoom(), p = cy.pan();
  for (let gy = 0.25; gy < 0.9; gy += 0.05) {{
    for (let gx = 0.1; gx < 0.6; gx += 0.03) {{
      const x = box.width * gx, y = box.height * gy, mx = (x - p.x) / z, my = (y - p.y) / z;
      const hit = cy.nodes().some(e => {{ const b = e.boundingBox();
        return mx >= b.x1 - 8 && mx <= b.x2 + 8 && my >= b.y1 - 8 && my <= b.y2 + 8; }});
      if (!hit) {{ return [box.left + x, box.top + y]; }}
    }}
  }}
  return null;
}}"""

# The element layer's pixels now, kept in the page (never returned: they are megabytes).
KEEP_LAYER = f"""name => {{
  const r = {CY}.renderer(), layer = r.data.canvases[r.NODE];
  window[name] = layer.getContext("2d").getImageData(0, 0, layer.width, layer.height);
  return [layer.width, layer.height];
}}"""

# Share of the overlapping pixels that differ between two kept layers, the second moved by
# (dx, dy) CSS pixels; only pixels drawn in either count.
MOVED_DIFFERENCE = """([a, b, dx, dy]) => {
  const A = window[a], B = window[b], ratio = window.devicePixelRatio || 1;
  const sx = Math.round(dx * ratio), sy = Math.round(dy * ratio);
  let drawn = 0, differ = 0;
  for (let y = Math.max(0, -sy); y < A.height && y + sy < B.height; y += 2) {
    for (let x = Math.max(0, -sx); x < A.width && x + sx < B.width; x += 2) {
      const i = 4 * (y * A.width + x), j = 4 * ((y + sy) * B.width + x + sx);
      if (A.data[i + 3] < 40 && B.data[j + 3] < 40) { continue; }
      drawn += 1;
      let d = 0;
      for (let c = 0; c < 4; c++) { d = Math.max(d, Math.abs(A.data[i + c] - B.data[j + c])); }
      if (d > 60) { differ += 1; }
    }
  }
  return [drawn, differ / Math.max(1, drawn)];
}"""


def open_view(page: Any, app: App, budget_ms: float) -> tuple[float, float]:
    start = app.demo.endpoint_context_arns[0]
    page.goto(app.link(start, direction="Both", depth=10))
    wait_for_start(page, start)
    page.evaluate("b => { window.lineageVizGestures.budgetMs = b; }", budget_ms)
    page.wait_for_timeout(400)  # the debounced fit and detail classes
    point = page.evaluate(BACKGROUND)
    assert point is not None, "no background point to drag from"
    return float(point[0]), float(point[1])


def stats(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            f"() => {{ const r = {CY}.renderer();"
            " return {...r._lvSmooth, picture: !!r.textureDrawLastFrame}; }"
        )
    )


def test_a_drag_moves_the_drawn_view_then_draws_it_in_full(page: Any, app: App) -> None:
    x, y = open_view(page, app, budget_ms=0)  # every frame counts as slow: pictures on
    pan0 = page.evaluate(f"() => {CY}.pan()")
    page.evaluate(KEEP_LAYER, "__before")
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 13):
        page.mouse.move(x + 10 * step, y + 5 * step)
    page.wait_for_timeout(100)
    during = stats(page)
    assert during["pictures"] >= 1 and during["picture"], during
    moved = page.evaluate(f"() => {CY}.pan()")
    dx, dy = moved["x"] - pan0["x"], moved["y"] - pan0["y"]
    assert dx > 60 and dy > 30, (dx, dy)
    page.evaluate(KEEP_LAYER, "__during")
    drawn, share = page.evaluate(MOVED_DIFFERENCE, ["__before", "__during", dx, dy])
    assert drawn > 500, drawn  # the view has something drawn to compare
    assert share < 0.03, f"the picture is not where the view was drawn: {share:.1%} differ"
    # A picture in the wrong place would differ: the same check without the move fails.
    _, unmoved = page.evaluate(MOVED_DIFFERENCE, ["__before", "__during", 0, 0])
    assert unmoved > 0.2, unmoved
    page.mouse.up()
    page.wait_for_timeout(400)
    after = stats(page)
    assert not after["picture"], after  # drawn in full again
    page.evaluate(KEEP_LAYER, "__after")
    _, settled = page.evaluate(MOVED_DIFFERENCE, ["__before", "__after", dx, dy])
    assert settled < 0.05, settled
    page.evaluate(
        "() => { delete window.__before; delete window.__during; delete window.__after; }"
    )


def test_a_wheel_zoom_moves_a_picture_too(page: Any, app: App) -> None:
    x, y = open_view(page, app, budget_ms=0)
    zoom0 = page.evaluate(f"() => {CY}.zoom()")
    page.mouse.move(x, y)
    page.mouse.wheel(0, -100)
    page.wait_for_timeout(30)
    during = stats(page)
    assert during["pictures"] >= 1, during
    assert page.evaluate(f"() => {CY}.zoom()") > zoom0 * 1.02
    page.wait_for_timeout(500)  # Cytoscape ends a wheel gesture 150 ms after the last notch
    assert not stats(page)["picture"]


def test_views_that_draw_fast_are_drawn_live_while_moving(page: Any, app: App) -> None:
    x, y = open_view(page, app, budget_ms=1e9)  # no frame is slow: no pictures
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 10):
        page.mouse.move(x + 10 * step, y)
    page.wait_for_timeout(100)
    during = stats(page)
    assert during["pictures"] == 0 and not during["picture"], during
    page.mouse.up()
