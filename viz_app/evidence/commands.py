"""Subcommands for audit evidence: report, snapshot, diff."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the evidence subcommands (each sets `run`); imports stay lazy."""
