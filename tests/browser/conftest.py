"""Browser fixtures: the real app (`python -m viz_app serve`) on the demo store, and Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_data import add_extras
from browser_helpers import App, local_client, start_app

from viz_app.core.demo import build_demo
from viz_app.core.store import Store


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    store = Store(db)
    demo = build_demo(store)
    extras = add_extras(store)
    store.close()
    proc, url = start_app(db)
    yield App(url, demo, db, extras)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def sagemaker(app: App) -> Any:
    """A boto3 client to an independent service over the same store, for expected answers."""
    from viz_app.api.server import start_service

    service = start_service(Store(app.db))
    yield local_client(service.url)
    service.close()
