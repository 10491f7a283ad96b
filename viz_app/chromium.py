"""Debian's Chromium, the one browser lineage-viz drives (PNG rendering, tests, benchmarks).

We never download a browser build: Playwright launches the system binary with flags that keep it
off the network (no background requests, component updates or sync).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, Final, TypeVar

T = TypeVar("T")

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


def run_isolated(work: Callable[[], T]) -> T:
    """Run Playwright work on a thread of its own and return its result (or raise its error).

    Playwright's sync API refuses to start on a thread that already runs an asyncio loop: a
    Jupyter kernel does, and so does a test session that keeps a browser open. A fresh thread
    never does.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as err:  # handed back to the caller below
            box["error"] = err

    thread = threading.Thread(target=target, name="lineage-viz-chromium", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
