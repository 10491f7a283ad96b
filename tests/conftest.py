"""Fixtures shared by every test folder: one headless Chromium for the whole session.

Playwright's sync API keeps an event loop on the thread that started it, so a second
`sync_playwright()` on the main thread fails: every folder uses this one browser instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from viz_app.chromium import CHROMIUM, chromium_available, launch


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium; skipped where it is missing, except under CI, where that fails."""
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing and CI is set: browser tests must run")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; at the end, no console error and no page error may have happened."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    problems: list[str] = []
    pg.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    yield pg
    context.close()
    assert problems == []
