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
