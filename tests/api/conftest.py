"""Fixtures for the API tier: real lineage servers on port 0, checked boto3 clients, raw HTTP."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import make_client

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")


class _ErrorLog(logging.Handler):
    """Collects ERROR records the service logs (it logs every unexpected failure at ERROR)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_ERROR_LOG = _ErrorLog()


@pytest.fixture(scope="session", autouse=True)
def _watch_service_log() -> Iterator[None]:
    logger = logging.getLogger("viz_app.api")
    logger.addHandler(_ERROR_LOG)
    try:
        yield
    finally:
        logger.removeHandler(_ERROR_LOG)


def _internal_failures(service: Any) -> int:
    return int(getattr(service, "internal_failures", 0) or 0)


@pytest.fixture(autouse=True)
def no_internal_failures(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail any test during which the service logged an unexpected error (InternalFailure)."""
    before = len(_ERROR_LOG.records)
    services = [
        request.getfixturevalue(name)
        for name in ("demo_service", "service")
        if name in request.fixturenames
    ]
    counts = [_internal_failures(s) for s in services]
    yield
    new = _ERROR_LOG.records[before:]
    messages = [f"{r.name}: {r.getMessage()}" for r in new]
    for service, count in zip(services, counts, strict=True):
        if _internal_failures(service) > count:
            messages.append(f"service.internal_failures rose to {_internal_failures(service)}")
    assert not messages, "the service hit unexpected errors:\n" + "\n".join(messages)


# -- servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_store() -> Iterator[Any]:
    from viz_app.core.store import Store

    store = Store()
    yield store
    store.close()


@pytest.fixture(scope="session")
def demo_summary(demo_store: Any) -> Any:
    from viz_app.core.demo import build_demo

    return build_demo(demo_store, scale=1, seed=0)


@pytest.fixture(scope="session")
def demo_service(demo_store: Any, demo_summary: Any) -> Iterator[Any]:
    from viz_app.api.server import start_service

    service = start_service(demo_store)
    yield service
    service.close()


@pytest.fixture(scope="session")
def demo_client(demo_service: Any) -> Any:
    return make_client(demo_service.url)


@pytest.fixture
def service() -> Iterator[Any]:
    """A fresh server on an empty temporary store, for tests that mutate."""
    from viz_app.api.server import start_service
    from viz_app.core.store import Store

    store = Store()
    svc = start_service(store)
    yield svc
    svc.close()
    store.close()


@pytest.fixture
def client(service: Any) -> Any:
    return make_client(service.url)
