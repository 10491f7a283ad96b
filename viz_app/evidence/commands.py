"""Subcommands for audit evidence: report, snapshot, diff, compare."""

from __future__ import annotations

import argparse

from viz_app.binding import add_allowed_host
from viz_app.client.directions import BOTH, DIRECTIONS
from viz_app.evidence.progress import add_progress_options


def _run_report(args: argparse.Namespace) -> int:
    from viz_app.evidence.report import run_report

    return run_report(args)


def _run_snapshot(args: argparse.Namespace) -> int:
    from viz_app.evidence.snapshot import run_snapshot

    return run_snapshot(args)


def _run_diff(args: argparse.Namespace) -> int:
    from viz_app.evidence.diff import run_diff

    return run_diff(args)


def _run_compare(args: argparse.Namespace) -> int:
    from viz_app.evidence.compare_run import run_compare

    return run_compare(args)


def _add_source_options(p: argparse.ArgumentParser, default_backend: str) -> None:
    p.add_argument(
        "--backend",
        choices=["local", "aws"],
        default=default_backend,
        help="local: our service over --db (a demo store if no --db); aws: the credential chain",
    )
    p.add_argument("--profile", default=None, help="AWS profile (aws backend)")
    p.add_argument("--region", default=None, help="region (default: the start ARN's region)")
    p.add_argument(
        "--endpoint-url",
        default=None,
        help="SageMaker endpoint URL, e.g. a running `lineage-viz service`",
    )


def _add_report(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="run a lineage query and write a self-contained report")
    p.add_argument("--arn", required=True, help="start ARN")
    p.add_argument("--direction", choices=DIRECTIONS, default=BOTH)
    p.add_argument("--depth", type=int, default=10, help="MaxDepth, 1-10 (default 10)")
    p.add_argument("--type", action="append", default=[], help="vertex Type filter (repeat)")
    p.add_argument(
        "--lineage-type",
        action="append",
        default=[],
        choices=["Artifact", "Context", "Action", "TrialComponent"],
        help="LineageType filter (repeat)",
    )
    _add_source_options(p, "local")
    p.add_argument("--db", default=None, help="store path for --backend local")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--no-png", action="store_true", help="skip graph.png")
    p.add_argument(
        "--impact",
        nargs="?",
        const="downstream",
        choices=["downstream", "upstream"],
        default=None,
        help="also write impact.csv and the impact list in report.html: every model, model "
        "package and endpoint the start reaches (downstream, the default), or every dataset, "
        "image and job that went into it (upstream); sets the direction",
    )
    add_progress_options(p)
    p.set_defaults(run=_run_report)


def _add_snapshot(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("snapshot", help="copy the lineage reachable from ARNs into a store")
    p.add_argument("--arn", action="append", required=True, help="root ARN (repeat)")
    p.add_argument(
        "--depth",
        type=int,
        default=10,
        help="hops from the roots, any direction (default 10; 0 = the whole connected graph)",
    )
    _add_source_options(p, "aws")
    p.add_argument("--source-db", default=None, help="store to read for --backend local")
    p.add_argument("--db", required=True, help="snapshot store to write (resumes if started)")
    add_progress_options(p)
    p.set_defaults(run=_run_snapshot)


def _add_diff(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("diff", help="entities and associations added, removed or changed")
    p.add_argument("old", help="older store (.db)")
    p.add_argument("new", help="newer store (.db)")
    p.add_argument("--arn", default=None, help="limit to what is reachable from ARN in either")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=_run_diff)


def _add_compare(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("compare", help="serve a graph of what changed between two stores")
    p.add_argument("old", help="older store (.db)")
    p.add_argument("new", help="newer store (.db)")
    p.add_argument("--arn", default=None, help="start ARN (default: the first changed entity)")
    p.add_argument("--direction", choices=DIRECTIONS, default=BOTH)
    p.add_argument("--depth", type=int, default=10, help="MaxDepth, 1-10 (default 10)")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    add_allowed_host(p)
    p.add_argument("--port", type=int, default=8060, help="port; 0 picks a free one")
    p.set_defaults(run=_run_compare)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the evidence subcommands (each sets `run`); imports stay lazy."""
    _add_report(sub)
    _add_snapshot(sub)
    _add_diff(sub)
    _add_compare(sub)
