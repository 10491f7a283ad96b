"""Progress of long commands on stderr (tqdm): what is done so far, never on stdout.

Shown when stderr is a terminal; `--progress` shows it anyway (e.g. into a log) and
`--quiet` never. Scripts that read stdout see the same lines either way.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqdm import tqdm


def add_progress_options(p: argparse.ArgumentParser) -> None:
    """`--progress` / `--quiet` (default: progress only when stderr is a terminal)."""
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="show progress on stderr even when it is not a terminal",
    )
    group.add_argument(
        "--quiet", dest="progress", action="store_false", help="no progress on stderr"
    )


def counter(desc: str, unit: str, args: argparse.Namespace, total: int | None = None) -> tqdm[Any]:
    """A tqdm bar on stderr, shown as `args.progress` says (None: when stderr is a TTY)."""
    from tqdm import tqdm  # only when a command runs: parsing the command line stays light

    wanted = getattr(args, "progress", None)
    return tqdm(
        desc=desc,
        unit=unit,
        total=total,
        file=sys.stderr,
        disable=None if wanted is None else not wanted,
        dynamic_ncols=True,
        mininterval=0.25,
    )
