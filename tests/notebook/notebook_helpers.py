"""Helpers for the notebook tests: the demo service, a client to it, and Chromium on a thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from viz_app.chromium import launch
from viz_app.core.demo import DemoSummary

TIMEOUT_MS = 20_000


class Demo:
    """The demo graph behind a running local service, and a boto3 client to it."""

    def __init__(self, url: str, summary: DemoSummary) -> None:
        self.url = url
        self.summary = summary
        self.client = make_client(url)


def make_client(url: str) -> Any:
    return boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def run_in_browser(steps: Callable[[Any], Any]) -> Any:
    outcome: dict[str, Any] = {}

    def work() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as pw:
                browser = launch(pw)
                try:
                    outcome["value"] = steps(browser)
                finally:
                    browser.close()
        except BaseException as exc:  # re-raised on the test's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="notebook-browser-test", daemon=True)
    worker.start()
    worker.join(timeout=240)
    assert not worker.is_alive(), "the browser steps did not finish"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@contextmanager
def checked_page(browser: Any, **options: Any) -> Iterator[Any]:
    """A fresh page; at the end, no console error and no page error may have happened."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, **options)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    pg.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    try:
        yield pg
    finally:
        context.close()
    assert problems == []
