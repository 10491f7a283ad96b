"""`lineage-viz compare OLD.db NEW.db`: two local services, one compare page, URL first."""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import sys
from contextlib import ExitStack, suppress
from typing import Any

from viz_app.core.model import DEFAULT_REGION
from viz_app.core.store import Store


def _raise_interrupt(*_: Any) -> None:
    raise KeyboardInterrupt


def _open(path: str) -> Store:
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    return Store(path)


def run_compare(args: argparse.Namespace) -> int:
    """Serve the compare view until interrupted (SIGINT/SIGTERM); 2 when a store will not open."""
    from viz_app.api.server import start_service
    from viz_app.evidence.compare_app import create_compare_app
    from viz_app.evidence.diff import diff_stores
    from viz_app.ui.backends import Backend
    from viz_app.ui.run import app_url, bind, is_loopback

    signal.signal(signal.SIGTERM, _raise_interrupt)
    with ExitStack() as stack:
        try:
            old, new = _open(args.old), _open(args.new)
        except (FileNotFoundError, sqlite3.Error, OSError) as err:
            print(f"error: cannot open the store {err}", file=sys.stderr)
            return 2
        stack.callback(old.close)
        stack.callback(new.close)
        diff = diff_stores(old, new)
        backends: list[Backend] = []
        for store in (old, new):
            region = store.get_meta("region") or DEFAULT_REGION
            service = start_service(store, port=0, default_region=region)
            stack.callback(service.close)
            backends.append(
                Backend.for_endpoint(service.url, region=region, account_id=service.account_id)
            )
        app = create_compare_app(
            backends[0],
            backends[1],
            diff,
            arn=args.arn,
            direction=args.direction,
            depth=args.depth,
            caption=f"old: {args.old} → new: {args.new}",
        )
        if not is_loopback(args.host):
            print(
                f"warning: serving on {args.host}, reachable from other machines; the app has "
                "no login. Use --host 127.0.0.1 to keep it local.",
                file=sys.stderr,
            )
        try:
            sock = bind(args.host, args.port)
        except OSError as err:
            print(f"error: cannot listen on {args.host}:{args.port}: {err}", file=sys.stderr)
            return 2
        print(app_url(args.host, int(sock.getsockname()[1])), flush=True)
        from waitress.server import create_server

        server: Any = create_server(app.server, sockets=[sock], threads=8)
        stack.callback(server.close)
        with suppress(KeyboardInterrupt):
            server.run()
    return 0
