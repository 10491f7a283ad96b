"""The local wiring every command shares: open (and maybe seed) a store, serve it on loopback.

`lineage-viz serve`, the WSGI entry point, the evidence commands and the compare view each run
the service in-process beside what they do. The store is seeded directly, before serving; the
service they start is read-only by default (nothing but that seeding writes).
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

from viz_app.api.server import start_service
from viz_app.core.model import DEFAULT_REGION
from viz_app.core.store import Store


def open_store(
    path: str | None, *, seed: bool, region: str = DEFAULT_REGION, locked: bool = False
) -> Store:
    """The store at `path` (temporary when None), with the demo written into it when `seed`
    and it is empty. `locked`: seed under `path.seed-lock`, so of several processes opening
    one fresh file exactly one seeds it."""
    from viz_app.core.demo import build_demo

    with ExitStack() as stack:
        if locked and path is not None:
            lock = stack.enter_context(open(path + ".seed-lock", "a+b"))
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        store = Store(path)
        if seed and store.count_entities() == 0:
            build_demo(store, region=region)
    return store


@dataclass
class LocalService:
    """A service running in this process over `store`: where it is and how to stop it."""

    url: str
    account_id: str
    region: str  # the store's own region (a snapshot's), else the default
    store: Store
    close: Callable[[], None]


def serve_store(store: Store, *, read_only: bool = True, close_store: bool = True) -> LocalService:
    """Serve `store` on a free loopback port; `close()` stops it (and closes the store when
    `close_store`). A snapshot is served in the region it was taken in."""
    region = store.get_meta("region") or DEFAULT_REGION
    service = start_service(store, port=0, default_region=region, read_only=read_only)

    def close() -> None:
        service.close()
        if close_store:
            store.close()

    return LocalService(service.url, service.account_id, region, store, close)
