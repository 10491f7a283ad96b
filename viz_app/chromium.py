"""Debian's Chromium, the one browser lineage-viz drives (PNG rendering, tests, benchmarks).

We never download a browser build: Playwright launches the system binary with flags that keep it
off the network (no background requests, component updates or sync).
"""

from __future__ import annotations

import os
from typing import Any, Final

CHROMIUM: Final = "/usr/bin/chromium"
LAUNCH_ARGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_available() -> bool:
    """True when Debian's Chromium is installed."""
    return os.access(CHROMIUM, os.X_OK)


def launch(playwright: Any) -> Any:
    """A headless Chromium browser from a started `sync_playwright()` (or async) instance."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
