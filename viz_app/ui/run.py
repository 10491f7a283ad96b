"""`lineage-viz serve`: pick the backend, build the app, print its URL first, then serve it."""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from collections.abc import Callable
from typing import Any

from viz_app import heap
from viz_app.core.model import DEFAULT_REGION
from viz_app.ui.app import create_app
from viz_app.ui.backends import Backend


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _local_backend(args: argparse.Namespace) -> tuple[Backend, Callable[[], None]]:
    """Open the store (temporary without --db), seed the demo if empty, start the service."""
    from viz_app.api.server import start_service
    from viz_app.core.demo import build_demo
    from viz_app.core.store import Store

    store = Store(args.db)
    if store.count_entities() == 0:
        build_demo(store)
    service = start_service(store, port=0)
    backend = Backend.for_endpoint(
        service.url, region=args.region or DEFAULT_REGION, account_id=service.account_id
    )

    def close() -> None:
        service.close()
        store.close()

    return backend, close


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
    sock.listen(128)
    return sock


def app_url(host: str, port: int) -> str:
    """The URL people open (wildcard binds are shown as loopback)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(args: argparse.Namespace) -> int:
    """Run the explorer until interrupted; the first stdout line is the app URL."""
    if not is_loopback(args.host):
        print(
            f"warning: serving on {args.host}, reachable from other machines; the app has no "
            "login. Use --host 127.0.0.1 to keep it local.",
            file=sys.stderr,
        )
    backend, close = make_backend(args)
    try:
        app = create_app(backend)
        heap.settle()
        sock = bind(args.host, args.port)
        port = int(sock.getsockname()[1])
        print(app_url(args.host, port), flush=True)
        if args.debug:
            sock.close()
            app.run(host=args.host, port=port, debug=True, use_reloader=False)
        else:
            from waitress.server import create_server

            server: Any = create_server(app.server, sockets=[sock], threads=8)
            server.run()
    except KeyboardInterrupt:
        pass
    finally:
        close()
    return 0
