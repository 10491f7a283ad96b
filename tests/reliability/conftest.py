"""Fixtures for the reliability tier: file-backed services, a seeded pool, failure watching."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from file_service import FileService, _ErrorLog, seed_pool
from fuzz_strategies import Pool

from viz_app.api.server import start_service
from viz_app.core.store import Store


@pytest.fixture
def file_service(tmp_path: Path) -> Iterator[FileService]:
    """A fresh service on `tmp_path/lineage.db`; the test fails if it hit an InternalFailure."""
    errors = _ErrorLog()
    logger = logging.getLogger("viz_app.api")
    logger.addHandler(errors)
    store = Store(tmp_path / "lineage.db")
    service = start_service(store)
    running = FileService(service, store, str(tmp_path / "lineage.db"), errors)
    try:
        yield running
    finally:
        service.close()
        store.close()
        logger.removeHandler(errors)
    assert service.internal_failures == 0, (
        f"{service.internal_failures} InternalFailure(s):\n" + "\n".join(running.logged_failures())
    )


@pytest.fixture
def seeded(file_service: FileService) -> tuple[FileService, Pool]:
    return file_service, seed_pool(file_service.url)
