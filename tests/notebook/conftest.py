"""Notebook fixtures: the demo service, a client to it, the python3 kernelspec, and Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from notebook_helpers import Demo, run_in_browser

from viz_app.api.server import start_service
from viz_app.chromium import CHROMIUM
from viz_app.core.demo import build_demo
from viz_app.core.store import Store

# The browser tests' helpers (reading Cytoscape node positions) are reused by module name.
BROWSER_TESTS = str(Path(__file__).resolve().parents[1] / "browser")
if BROWSER_TESTS not in sys.path:
    sys.path.append(BROWSER_TESTS)


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
def chromium() -> Callable[[Callable[[Any], Any]], Any]:
    """Runs a function with a fresh headless Chromium, on a thread of its own.

    tests/browser keeps a session-wide sync Playwright open on the main thread, and a second
    one cannot start there; a thread has its own, so both folders run in one pytest session.
    """
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing and CI is set: browser tests must run")
        pytest.skip(f"{CHROMIUM} is not installed")
    return run_in_browser
