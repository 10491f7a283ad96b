"""PNG rendering in Debian's headless Chromium through Playwright, with the network cut off."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from viz_app.chromium import launch, run_isolated

MAX_SIDE: Final = 8000  # pixels; bigger graphs are scaled down to fit


def _only_local(route: Any) -> None:
    url = str(route.request.url)
    if url.startswith(("file:", "data:", "about:")):
        route.continue_()
    else:
        route.abort()


def offline_context(browser: Any, width: int = 1400, height: int = 1000, scale: float = 1.0) -> Any:
    """A browser context that can load local files only (no network, no service workers)."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
        offline=True,
        service_workers="block",
    )
    context.route("**/*", _only_local)
    return context


@contextmanager
def offline_page(width: int = 1400, height: int = 1000, scale: float = 1.0) -> Iterator[Any]:
    """A page in a fresh headless Chromium that can load local files only.

    Call it on a thread without an asyncio loop (see `viz_app.chromium.run_isolated`).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            context = offline_context(browser, width, height, scale)
            yield context.new_page()
            context.close()
        finally:
            browser.close()


def _fit(width: float, height: float) -> tuple[int, int, float]:
    scale = min(1.0, MAX_SIDE / max(width, height, 1.0))
    return int(width) + 1, int(height) + 1, scale


def svg_size(svg: str) -> tuple[float, float]:
    """The width and height attributes `render_svg` wrote."""
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    if match is None:
        return 1200.0, 800.0
    return float(match.group(1)), float(match.group(2))


def svg_to_png(svg: str, out: Path) -> Path:
    """Rasterise a standalone SVG (from `render_svg`) at its natural size."""
    width, height = svg_size(svg)
    w, h, scale = _fit(width, height)

    def work() -> Path:
        with offline_page(w, h, scale) as page:
            page.set_content(f'<!DOCTYPE html><html><body style="margin:0">{svg}</body></html>')
            page.locator("svg.lineage-svg").first.screenshot(path=str(out))
        return out

    return run_isolated(work)


def report_to_png(report: Path, out: Path, svg: str) -> Path:
    """Screenshot the whole graph (caption included) from report.html, at natural size."""
    width, height = svg_size(svg)
    w, h, scale = _fit(width, height)

    def work() -> Path:
        with offline_page(w + 40, h + 40, scale) as page:
            page.goto(report.resolve().as_uri())
            page.wait_for_selector("body[data-ready='1']")
            page.evaluate("document.body.classList.add('lv-export')")
            page.locator("#lv-graph svg").first.screenshot(path=str(out))
        return out

    return run_isolated(work)
