"""`lineage-viz serve`: pick the backend, build the app, print its URL first, then serve it."""

from __future__ import annotations

import argparse
import socket
from collections.abc import Callable
from typing import Any, Final

from viz_app import heap
from viz_app.binding import allowed_hosts, is_loopback, warn_if_exposed
from viz_app.core.model import DEFAULT_REGION
from viz_app.ui.app import create_app
from viz_app.ui.backends import Backend
from viz_app.ui.hardening import MAX_BODY_BYTES

__all__ = ["app_url", "bind", "is_loopback", "make_backend", "serve", "waitress_server"]

# waitress: shed idle and slow connections instead of letting them hold the app. Its defaults
# keep an idle connection 120 s (checked every 30 s) and stop accepting at 100 connections,
# so 100 idle sockets made the app unreachable for two minutes. Here a connection idle 30 s
# is closed (checked every 10 s), 500 connections are taken before accepting pauses (idle
# ones cost waitress no thread), bodies over the app's limit are refused by waitress before
# they are buffered, and the listen backlog queues bursts of new connections.
WAITRESS_SETTINGS: Final[dict[str, Any]] = {
    "threads": 8,
    "channel_timeout": 30,
    "connection_limit": 500,
    "backlog": 1024,
    "max_request_body_size": MAX_BODY_BYTES,
    "cleanup_interval": 10,
}


def _local_backend(args: argparse.Namespace) -> tuple[Backend, Callable[[], None]]:
    """Open the store (temporary without --db), seed the demo if empty, serve it read-only."""
    from viz_app.api.local import open_store, serve_store

    local = serve_store(open_store(args.db, seed=True))
    backend = Backend.for_endpoint(
        local.url, region=args.region or DEFAULT_REGION, account_id=local.account_id
    )
    return backend, local.close


def make_backend(args: argparse.Namespace) -> tuple[Backend, Callable[[], None]]:
    """The backend `args` ask for, and how to release what it started."""
    if args.backend == "aws":
        backend = Backend.for_aws(
            profile=args.profile, region=args.region, endpoint_url=args.endpoint_url
        )
        return backend, lambda: None
    if args.endpoint_url:
        backend = Backend.for_endpoint(args.endpoint_url, region=args.region or DEFAULT_REGION)
        return backend, lambda: None
    return _local_backend(args)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, so the real port is known before serving (`--port 0`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(WAITRESS_SETTINGS["backlog"])
    return sock


def app_url(host: str, port: int) -> str:
    """The URL people open (wildcard binds are shown as loopback)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def waitress_server(wsgi_app: Any, sock: socket.socket) -> Any:
    """A waitress server for `wsgi_app` on the listening `sock`, with `WAITRESS_SETTINGS`."""
    from waitress.server import create_server

    return create_server(wsgi_app, sockets=[sock], **WAITRESS_SETTINGS)


def serve(args: argparse.Namespace) -> int:
    """Run the explorer until interrupted; the first stdout line is the app URL."""
    warn_if_exposed(args.host, "the app")
    hosts = allowed_hosts(args.allowed_host, bound=args.host)
    backend, close = make_backend(args)
    try:
        app = create_app(backend, hosts=hosts)
        heap.settle()
        sock = bind(args.host, args.port)
        port = int(sock.getsockname()[1])
        print(app_url(args.host, port), flush=True)
        if args.debug:
            sock.close()
            app.run(host=args.host, port=port, debug=True, use_reloader=False)
        else:
            waitress_server(app.server, sock).run()
    except KeyboardInterrupt:
        pass
    finally:
        close()
    return 0
