"""Timing in headless Chromium: re-root click to drawn graph in the app, and pyvis pages."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode, urlparse

CHROMIUM: Final = "/usr/bin/chromium"
CHROMIUM_ARGS: Final = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: Final = {"width": 1440, "height": 900}
QUIET_MS: Final = 600  # no frame drawn for this long: the view has settled

# Installed before the app's scripts: the re-root click time, and every frame Cytoscape draws.
APP_HOOK: Final = """
window.__lv = {t0: null, frames: []};
document.addEventListener("click", function (e) {
  if (e.target && e.target.closest && e.target.closest("#reroot")) {
    window.__lv.t0 = performance.now(); window.__lv.frames = [];
  }
}, true);
setInterval(function () {
  var el = document.getElementById("graph"), cy = el && el._cyreg && el._cyreg.cy;
  if (cy && !cy.__lvTimed) {
    cy.__lvTimed = true;
    cy.on("render", function () { window.__lv.frames.push(performance.now()); });
  }
}, 20);
"""
SETTLED: Final = """([n, start, quiet]) => {
  const el = document.getElementById("graph"), cy = el && el._cyreg && el._cyreg.cy;
  // n (vertices) is not the node count once siblings collapse into groups: the page says.
  if (!cy || !window.lineageViz.settled()) { return false; }
  const s = cy.$("node.start");
  if (s.length !== 1 || s.id() !== start) { return false; }
  const f = window.__lv.frames;
  return f.length > 0 && performance.now() - f[f.length - 1] > quiet;
}"""


# Readable: the new start is drawn at a zoom where labels are >= 10 px (12 px font), and it and
# at least one neighbour are in view, labelled (given the detail class) and named (no hash).
READABLE: Final = """function (start) {
  const el = document.getElementById("graph"), cy = el && el._cyreg && el._cyreg.cy;
  if (!cy) { return false; }
  const s = cy.getElementById(start);
  if (!s.length || !s.hasClass("start") || cy.zoom() * 12 < 9.999) { return false; }
  const b = cy.extent();
  const near = s.closedNeighborhood("node").filter(function (n) {
    const p = n.position(); return p.x >= b.x1 && p.x <= b.x2 && p.y >= b.y1 && p.y <= b.y2;
  });
  if (near.length < 2) { return false; }
  return near.every(function (n) {
    return n.hasClass("detailed") && String(n.data("label")).indexOf(" · ") < 0;
  });
}"""
# Names in view: every node in view is named (no hash label); the time it became so.
NAMED_IN_VIEW: Final = """function (start) {
  const cy = document.getElementById("graph")._cyreg.cy, b = cy.extent();
  if (cy.$("node.start").id() !== start) { return false; }
  const unnamed = cy.nodes().filter(function (n) {
    const p = n.position();
    return p.x >= b.x1 && p.x <= b.x2 && p.y >= b.y1 && p.y <= b.y2
      && String(n.data("label")).indexOf(" · ") >= 0;
  });
  return unnamed.length === 0;
}"""
DRAWN_START: Final = """function (start) {
  const el = document.getElementById("graph"), cy = el && el._cyreg && el._cyreg.cy;
  return !!cy && cy.$("node.start").id() === start;
}"""
# Checked every animation frame from the click on: when each condition first held.
WATCH: Final = (
    """([start]) => {
  const drawn = """
    + DRAWN_START
    + """, readable = """
    + READABLE
    + """, named = """
    + NAMED_IN_VIEW
    + """;
  const t = window.__lvT = {drawn: null, readable: null, named: null};
  const tick = function () {
    const now = performance.now();
    if (t.drawn === null && drawn(start)) { t.drawn = now; }
    if (t.drawn !== null && t.readable === null && readable(start)) { t.readable = now; }
    if (t.drawn !== null && t.named === null && named(start)) { t.named = now; }
    if (t.readable === null || t.named === null) { requestAnimationFrame(tick); }
  };
  requestAnimationFrame(tick);
}"""
)
# Pan and zoom the readable view as a person does: three drags of 30 animation frames, each
# followed by 20 wheel notches, as pointer and wheel events on the graph's canvas (programmatic
# pans skip what a gesture does: assets/gestures.js moves a picture of the view only during a
# gesture). `smooth` false turns that off and assets/viewport_cull.js too (every frame over
# every element, as before both), to time that in the same run. Returns the frames Cytoscape
# drew a second and the median ms a drawn frame cost the page.
PAN_ZOOM_FPS: Final = """async (smooth) => {
  window.lineageVizGestures.enabled = smooth;
  window.lineageVizCull.enabled = smooth;
  const cy = document.getElementById("graph")._cyreg.cy;
  const box = cy.container().getBoundingClientRect(), z = cy.zoom(), p = cy.pan();
  let px = null, py = null;  // off every node: a drag there pans instead of moving a node
  for (let gy = 0.2; gy < 0.9 && px === null; gy += 0.02) {
    for (let gx = 0.1; gx < 0.65 && px === null; gx += 0.01) {
      const x = box.left + box.width * gx, y = box.top + box.height * gy;
      const mx = (x - box.left - p.x) / z, my = (y - box.top - p.y) / z;
      const hit = cy.nodes().some(e => { const b = e.boundingBox();
        return mx >= b.x1 - 5 && mx <= b.x2 + 5 && my >= b.y1 - 5 && my <= b.y2 + 5; });
      if (!hit) { px = x; py = y; }
    }
  }
  if (px === null) { return [0, 0]; }
  const at = () => document.elementFromPoint(px, py);
  const next = () => new Promise(r => requestAnimationFrame(r));
  const mouse = (type, x, y, buttons) => at().dispatchEvent(new MouseEvent(type, {
    clientX: x, clientY: y, button: 0, buttons: buttons, bubbles: true, cancelable: true,
    view: window}));
  const r = cy.renderer(), render = r.render, costs = [];
  r.render = function (o) {
    const t = performance.now(), out = render.apply(this, arguments);
    if (!o || !o.forcedContext) { costs.push(performance.now() - t); }
    return out;
  };
  let frames = 0;
  const count = () => { frames += 1; };
  cy.on("render", count);
  await next();
  const t0 = performance.now();
  for (let k = 0; k < 3; k++) {
    mouse("mousedown", px, py, 1);
    for (let i = 1; i <= 30; i++) {
      await next();
      mouse("mousemove", px + (i < 15 ? i : 30 - i) * 10, py + (i % 2) * 4, 1);
    }
    mouse("mouseup", px, py, 0);
    for (let i = 0; i < 20; i++) {
      await next();
      at().dispatchEvent(new WheelEvent("wheel", {
        clientX: px, clientY: py, deltaY: k % 2 ? -40 : 40, bubbles: true, cancelable: true}));
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  cy.off("render", count);
  r.render = render;
  window.lineageVizGestures.enabled = true;
  window.lineageVizCull.enabled = true;
  costs.sort((a, b) => a - b);
  return [frames / seconds, costs.length ? costs[Math.floor(costs.length / 2)] : 0];
}"""


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright; every non-loopback request aborts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _local_only(route: Any) -> None:
    url = urlparse(route.request.url)
    if url.scheme in ("file", "data", "blob") or url.hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


def new_page(browser: Any, timeout_ms: float) -> Any:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.route("**/*", _local_only)
    page.set_default_timeout(timeout_ms)
    return page


def time_pyvis(browser: Any, path: Path, timeout_s: float) -> float | None:
    """Milliseconds from navigation start until vis-network drew the stabilised network.

    With physics on, that is the first frame after `stabilizationIterationsDone`; without,
    the first frame. None when it did not happen within `timeout_s`.
    """
    page = new_page(browser, timeout_s * 1000)
    try:
        page.goto(path.resolve().as_uri(), wait_until="commit")
        page.wait_for_function(
            "() => { const pv = window.__pv, n = window.network; return pv && n && n.physics"
            " && (n.physics.physicsEnabled ? pv.drawn : pv.first) !== null; }",
            polling=100,
        )
        pv = page.evaluate("() => [window.__pv, window.network.physics.physicsEnabled]")
        return float(pv[0]["drawn"] if pv[1] else pv[0]["first"])
    except Exception as exc:  # a timeout is a result here, reported as "> timeout"
        if "Timeout" in type(exc).__name__ or "timeout" in str(exc).lower():
            return None
        raise
    finally:
        page.context.close()


class AppServer:
    """`python -m viz_app serve` on a store, the way the browser tests start it."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "viz_app", "serve", "--port", "0", "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.close()
            raise RuntimeError(f"serve did not print its URL: {self.url!r}")

    def link(self, arn: str, direction: str, depth: int) -> str:
        return self.url + "?" + urlencode({"arn": arn, "direction": direction, "depth": depth})

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _wait_idle(page: Any, pending: set[Any], quiet_ms: int = 500) -> None:
    """Wait until no request has been in flight for `quiet_ms` (the tap's callbacks are done)."""
    idle = 0
    while idle < quiet_ms:
        page.wait_for_timeout(50)
        idle = 0 if pending else idle + 50


def time_reroot(
    browser: Any,
    app: AppServer,
    setup_arn: str,
    target_arn: str,
    nodes: int,
    timeout_s: float,
    ahead: bool = True,
) -> dict[str, float]:
    """Milliseconds from the re-root click to the new graph: `readable` (the start and its
    neighbours in view, named, labels >= 10 px), `settled` (the last frame of the settled
    graph), `names_after_graph` (from the first frame of the new graph until every node in
    view is named), and `pan_zoom_fps` (frames drawn a second while panning and zooming).

    The page opens a Both/depth-10 view of `setup_arn`, the `target_arn` node is tapped
    (selected), then "Re-root here" is clicked. The page fetches a selected node's re-root
    view ahead (as it does for a person reading the details before clicking); without
    `ahead` it does not, and the click pays for the query, names and layout.
    """
    page = new_page(browser, timeout_s * 1000)
    try:
        page.add_init_script(APP_HOOK)
        pending: set[Any] = set()
        page.on("request", lambda r: pending.add(r))
        page.on("requestfinished", lambda r: pending.discard(r))
        page.on("requestfailed", lambda r: pending.discard(r))
        page.goto(app.link(setup_arn, "Both", 10))
        page.evaluate("ahead => { window.lineageViz.fetchAhead = ahead; }", ahead)
        page.wait_for_function(
            "a => { const e = document.getElementById('graph');"
            " const c = e && e._cyreg && e._cyreg.cy; return c && c.getElementById(a).length; }",
            arg=target_arn,
        )
        page.wait_for_timeout(400)  # the app's debounced fit
        # Select the node as a tap on it would (a mouse click may land on a crossing edge).
        page.evaluate(
            "id => { document.getElementById('graph')._cyreg.cy.getElementById(id).emit('tap'); }",
            target_arn,
        )
        page.wait_for_function("() => !document.getElementById('reroot').disabled")
        _wait_idle(page, pending)
        page.evaluate(WATCH, [target_arn])
        page.click("#reroot")
        page.wait_for_function(
            "() => window.__lvT.readable !== null && window.__lvT.named !== null", polling=50
        )
        page.wait_for_function(SETTLED, arg=[nodes, target_arn, QUIET_MS], polling=50)
        lv = page.evaluate("() => window.__lv")
        t = page.evaluate("() => window.__lvT")
        readable, named, drawn = t["readable"], t["named"], t["drawn"]
        fps, frame_ms = page.evaluate(PAN_ZOOM_FPS, True)
        page.wait_for_timeout(300)  # the last gesture's full frame
        live_fps, live_frame_ms = page.evaluate(PAN_ZOOM_FPS, False)
        return {
            "readable": float(readable) - lv["t0"],
            "settled": float(lv["frames"][-1] - lv["t0"]),
            "names_after_graph": max(0.0, float(named) - float(drawn)),
            "pan_zoom_fps": float(fps),
            "pan_zoom_frame_ms": float(frame_ms),
            "pan_zoom_fps_live": float(live_fps),
            "pan_zoom_frame_ms_live": float(live_frame_ms),
        }
    finally:
        page.context.close()
