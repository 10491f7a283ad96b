"""Notebook fixtures: the demo service, a client to it, the python3 kernelspec, and Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from viz_app.api.server import start_service
from viz_app.core.demo import DemoSummary, build_demo
from viz_app.core.store import Store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 20_000

# The browser tests' helpers (reading Cytoscape node positions) are reused by module name.
BROWSER_TESTS = str(Path(__file__).resolve().parents[1] / "browser")
if BROWSER_TESTS not in sys.path:
    sys.path.append(BROWSER_TESTS)


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


@pytest.fixture(scope="session")
def demo() -> Iterator[Demo]:
    store = Store()
    summary = build_demo(store)
    service = start_service(store)
    yield Demo(service.url, summary)
    service.close()
    store.close()


@pytest.fixture(scope="session")
def kernel_name() -> str:
    """`python3`, installed for this interpreter first if no such kernelspec exists."""
    from jupyter_client.kernelspec import find_kernel_specs

    if "python3" not in find_kernel_specs():
        subprocess.run(
            [sys.executable, "-m", "ipykernel", "install", "--user", "--name", "python3"],
            check=True,
            capture_output=True,
        )
    assert "python3" in find_kernel_specs()
    return "python3"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing and CI is set: browser tests must run")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; at the end, no console error and no page error may have happened."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    pg.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    yield pg
    context.close()
    assert problems == []
