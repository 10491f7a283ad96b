"""`lineage-viz compare OLD.db NEW.db`: two local services, one compare page, URL first."""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import sys
from contextlib import ExitStack, suppress
from typing import Any

from viz_app.core.store import Store


def _raise_interrupt(*_: Any) -> None:
    raise KeyboardInterrupt


def _open(path: str) -> Store:
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    return Store(path)


def run_compare(args: argparse.Namespace) -> int:
    """Serve the compare view until interrupted (SIGINT/SIGTERM); 2 when a store will not open."""
    from viz_app.api.local import serve_store
    from viz_app.binding import allowed_hosts, warn_if_exposed
    from viz_app.evidence.compare_app import create_compare_app
    from viz_app.evidence.diff import diff_stores
    from viz_app.ui.backends import Backend
    from viz_app.ui.run import app_url, bind, waitress_server

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
            local = serve_store(store, close_store=False)
            stack.callback(local.close)
            backends.append(
                Backend.for_endpoint(local.url, region=local.region, account_id=local.account_id)
            )
        app = create_compare_app(
            backends[0],
            backends[1],
            diff,
            arn=args.arn,
            direction=args.direction,
            depth=args.depth,
            caption=f"old: {args.old} → new: {args.new}",
            hosts=allowed_hosts(args.allowed_host, bound=args.host),
        )
        warn_if_exposed(args.host, "the compare view")
        try:
            sock = bind(args.host, args.port)
        except OSError as err:
            print(f"error: cannot listen on {args.host}:{args.port}: {err}", file=sys.stderr)
            return 2
        print(app_url(args.host, int(sock.getsockname()[1])), flush=True)
        server = waitress_server(app.server, sock)
        stack.callback(server.close)
        with suppress(KeyboardInterrupt):
            server.run()
    return 0
