"""Browser fixtures: the real app (`python -m viz_app serve`) on the demo store, and Chromium."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from browser_data import add_extras
from browser_helpers import App

from viz_app.core.demo import build_demo
from viz_app.core.store import Store


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    store = Store(db)
    demo = build_demo(store)
    extras = add_extras(store)
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "viz_app", "serve", "--port", "0", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise AssertionError(f"serve did not print its URL first: {url!r} {proc.stderr.read()}")
    yield App(url, demo, db, extras)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def sagemaker(app: App) -> Any:
    """A boto3 client to an independent service over the same store, for expected answers."""
    from viz_app.api.server import start_service

    service = start_service(Store(app.db))
    client = boto3.client(
        "sagemaker",
        endpoint_url=service.url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    yield client
    service.close()
