"""The `lineage-viz` command: service, serve, demo (each subcommand lives beside what it runs)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from viz_app import __version__
from viz_app.binding import add_allowed_host


def _add_service(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from viz_app.core.model import DEFAULT_ACCOUNT_ID

    p = sub.add_parser("service", help="run the local SageMaker lineage service (AWS JSON 1.1)")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    p.add_argument("--port", type=int, default=4599, help="port; 0 picks a free one")
    p.add_argument("--db", default=None, help="SQLite store path (default: temporary store)")
    p.add_argument(
        "--account-id",
        default=DEFAULT_ACCOUNT_ID,
        help=f"account id in ARNs (default {DEFAULT_ACCOUNT_ID})",
    )
    p.add_argument("--demo", action="store_true", help="seed the demo graph if the store is empty")
    p.add_argument(
        "--read-only",
        action="store_true",
        help="refuse every write (AccessDeniedException); serve Describe, List, QueryLineage",
    )
    add_allowed_host(p)


def _add_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="run the lineage explorer web app")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    p.add_argument("--port", type=int, default=8050, help="port; 0 picks a free one")
    p.add_argument("--db", default=None, help="local store path (default: temporary demo store)")
    p.add_argument("--backend", choices=["local", "aws"], default="local")
    p.add_argument("--profile", default=None, help="AWS profile (aws backend)")
    p.add_argument("--region", default=None, help="AWS region")
    p.add_argument(
        "--endpoint-url",
        default=None,
        help="SageMaker endpoint URL (e.g. a running `lineage-viz service`)",
    )
    p.add_argument("--debug", action="store_true", help="Dash debug mode (never in production)")
    add_allowed_host(p)


def _add_demo(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from viz_app.core.model import DEFAULT_ACCOUNT_ID, DEFAULT_REGION

    p = sub.add_parser("demo", help="write the demo lineage graph into a store")
    p.add_argument("--db", required=True, help="SQLite store path")
    p.add_argument("--scale", type=int, default=1, help="number of projects (~100 entities each)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--region", default=DEFAULT_REGION)
    p.add_argument("--account-id", default=DEFAULT_ACCOUNT_ID)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lineage-viz", description=__doc__)
    parser.add_argument("--version", action="version", version=f"lineage-viz {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_service(sub)
    _add_serve(sub)
    _add_demo(sub)
    # Further command groups register their own subcommands (each sets `run` via set_defaults).
    from viz_app.evidence.commands import add_commands as add_evidence_commands

    add_evidence_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "service":
        from viz_app.api.server import run_service_command

        return run_service_command(args)
    if args.command == "serve":
        from viz_app.ui.run import serve

        return int(serve(args))
    if args.command == "demo":
        from viz_app.core.demo import run_demo_command

        return run_demo_command(args)
    run = getattr(args, "run", None)
    if run is not None:
        return int(run(args))
    return 2


if __name__ == "__main__":
    sys.exit(main())
