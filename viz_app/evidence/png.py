"""PNG rendering in Debian's headless Chromium through Playwright, with the network cut off."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from viz_app.chromium import launch, run_isolated
from viz_app.render.svg import svg_size

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


def _shoot(page: Any, svg: str, out: Path) -> None:
    width, height = svg_size(svg)
    w, h, _ = _fit(width, height)
    page.set_viewport_size({"width": w, "height": h})
    page.set_content(f'<!DOCTYPE html><html><body style="margin:0">{svg}</body></html>')
    page.locator("svg.lineage-svg").first.screenshot(path=str(out))


def svg_to_png(svg: str, out: Path) -> Path:
    """Rasterise a standalone SVG (from `render_svg`) at its natural size."""
    width, height = svg_size(svg)
    w, h, scale = _fit(width, height)

    def work() -> Path:
        with offline_page(w, h, scale) as page:
            _shoot(page, svg, out)
        return out

    return run_isolated(work)


def svgs_to_png(jobs: Sequence[tuple[Path, Path]]) -> list[Path]:
    """Rasterise SVG files (source, PNG path) in one browser, each at its natural size.

    Pages from `render_pages` are at most 1,600 px wide and 4,000 px of graph tall, so they
    are never scaled down; a bigger SVG is scaled to fit MAX_SIDE (by the largest of them).
    """
    svgs = [source.read_text(encoding="utf-8") for source, _ in jobs]
    sizes = [svg_size(svg) for svg in svgs]
    _, _, scale = _fit(max((w for w, _ in sizes), default=1), max((h for _, h in sizes), default=1))

    def work() -> list[Path]:
        with offline_page(scale=scale) as page:
            for svg, (_, out) in zip(svgs, jobs, strict=True):
                _shoot(page, svg, out)
        return [out for _, out in jobs]

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
