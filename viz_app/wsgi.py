"""WSGI entry point for production servers (waitress, gunicorn), configured from the environment.

Settings (environment variables):

- ``LINEAGE_VIZ_BACKEND``: ``local`` (default) or ``aws``.
- ``LINEAGE_VIZ_ENDPOINT_URL``: a running ``lineage-viz service`` (local) or a SageMaker endpoint
  override (aws).
- ``LINEAGE_VIZ_DB``: local backend without an endpoint: the SQLite store every worker opens.
- ``LINEAGE_VIZ_REGION``, ``LINEAGE_VIZ_PROFILE``: region and AWS profile.
- ``LINEAGE_VIZ_ALLOWED_HOSTS``: comma-separated Host names to answer to besides loopback
  (a reverse proxy's public name).

With several worker processes every worker must see the same lineage. The local backend therefore
needs one of: ``LINEAGE_VIZ_ENDPOINT_URL`` (all workers talk to one service: the recommended
setup), or ``LINEAGE_VIZ_DB`` (each worker runs an in-process service on that one SQLite file; WAL
lets them share it, and the demo is seeded only into an empty store, under a file lock, so two
workers never seed it twice). A private temporary store per worker is refused.

Serve with
``waitress-serve --threads 8 --channel-timeout=30 --connection-limit=500
--listen 127.0.0.1:8050 --call viz_app.wsgi:create_wsgi_app`` (idle connections shed) or
``gunicorn -w 4 -b 127.0.0.1:8050 'viz_app.wsgi:create_wsgi_app()'`` (no ``--preload``: the
in-process service's thread would not survive the fork). Importing this module starts nothing.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from viz_app import heap

if TYPE_CHECKING:
    from flask import Flask

    from viz_app.ui.backends import Backend

BACKENDS: Final = ("local", "aws")
ENV_PREFIX: Final = "LINEAGE_VIZ_"


class SettingsError(ValueError):
    """The environment does not describe a usable backend."""


@dataclass(frozen=True)
class Settings:
    """Where the app finds its lineage, read from ``LINEAGE_VIZ_*`` variables."""

    backend: str = "local"
    endpoint_url: str | None = None
    db: str | None = None
    region: str | None = None
    profile: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from `environ` (default `os.environ`); blank values count as unset."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(ENV_PREFIX + name, "").strip()
            return value or None

        backend = (get("BACKEND") or "local").lower()
        if backend not in BACKENDS:
            raise SettingsError(f"LINEAGE_VIZ_BACKEND must be 'local' or 'aws', not {backend!r}.")
        settings = cls(
            backend=backend,
            endpoint_url=get("ENDPOINT_URL"),
            db=get("DB"),
            region=get("REGION"),
            profile=get("PROFILE"),
        )
        if backend == "local" and not (settings.endpoint_url or settings.db):
            raise SettingsError(
                "The local backend needs LINEAGE_VIZ_ENDPOINT_URL (one `lineage-viz service` for "
                "all workers) or LINEAGE_VIZ_DB (a SQLite file every worker shares); a temporary "
                "store per worker would show each worker different lineage."
            )
        return settings


def _in_process_backend(settings: Settings) -> Backend:
    """This worker's own read-only service on the shared SQLite file (closed when the process
    exits); the demo is seeded into an empty file by one worker, under a lock."""
    from viz_app.api.local import open_store, serve_store
    from viz_app.ui.backends import Backend

    assert settings.db is not None
    local = serve_store(open_store(settings.db, seed=True, locked=True))
    atexit.register(local.close)
    return Backend.for_endpoint(
        local.url, region=settings.region or local.region, account_id=local.account_id
    )


def make_backend(settings: Settings) -> Backend:
    """The read-only backend `settings` describe."""
    from viz_app.core.model import DEFAULT_REGION
    from viz_app.ui.backends import Backend

    if settings.backend == "aws":
        return Backend.for_aws(
            profile=settings.profile, region=settings.region, endpoint_url=settings.endpoint_url
        )
    if settings.endpoint_url:
        return Backend.for_endpoint(settings.endpoint_url, region=settings.region or DEFAULT_REGION)
    return _in_process_backend(settings)


def create_wsgi_app(environ: Mapping[str, str] | None = None) -> Flask:
    """The explorer's Flask app (Dash inside it) for the backend the environment names."""
    from viz_app.binding import allowed_hosts
    from viz_app.ui.app import create_app

    settings = Settings.from_env(environ)
    hosts = allowed_hosts(environ=environ)
    server: Flask = create_app(make_backend(settings), hosts=hosts).server
    return server


StartResponse = Callable[..., Any]
_app: Flask | None = None
_app_lock = threading.Lock()


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """WSGI callable that builds the app from `os.environ` on its first request."""
    global _app
    if _app is None:
        with _app_lock:
            if _app is None:
                _app = create_wsgi_app()
                heap.settle()  # this process serves the app from now on
    result: Iterable[bytes] = _app.wsgi_app(environ, start_response)
    return result
