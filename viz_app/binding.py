"""Binding rules every lineage-viz server follows: loopback by default, a warning when it is not,
and the Host names a server answers to (so a web page whose name was rebound to 127.0.0.1
cannot talk to it: DNS rebinding).

Pure Python, below every layer: the service (api), the app (ui), the compare view and the
notebook view all use it.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Iterable, Mapping
from typing import Final

LOOPBACK_NAMES: Final = ("127.0.0.1", "localhost", "::1")
ALLOWED_HOSTS_ENV: Final = "LINEAGE_VIZ_ALLOWED_HOSTS"
ANY_HOST: Final = "*"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def warn_if_exposed(host: str, what: str) -> None:
    """Say on stderr that `what` listening on `host` is reachable from other machines."""
    if not is_loopback(host):
        print(
            f"warning: {what} listens on {host}, reachable from other machines; it has no "
            "login. Use --host 127.0.0.1 to keep it local.",
            file=sys.stderr,
            flush=True,
        )


def split_host(value: str) -> tuple[str, str | None]:
    """`name[:port]` or `[v6][:port]` -> (lower-case name without brackets, port or None)."""
    text = value.strip().lower()
    if text.startswith("["):
        name, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else None
        return name, port or None
    if text.count(":") > 1:  # a bare IPv6 address
        return text, None
    name, sep, port = text.partition(":")
    return name, (port or None) if sep else None


class HostAllowList:
    """The Host header values a server answers to.

    Loopback names (any port) always; then each configured entry: a name (any port), a
    `name:port` (that port only), or `*` (any Host: only for a proxy that checks it itself).
    """

    def __init__(self, extra: Iterable[str] = ()) -> None:
        self.names: set[str] = set(LOOPBACK_NAMES)
        self.exact: set[tuple[str, str]] = set()
        self.any = False
        for entry in extra:
            entry = entry.strip()
            if not entry:
                continue
            if entry == ANY_HOST:
                self.any = True
                continue
            name, port = split_host(entry)
            if port is None:
                self.names.add(name)
            else:
                self.exact.add((name, port))

    def allows(self, header: str | None) -> bool:
        """True when a request with this Host header may be served (a missing one may not)."""
        if self.any:
            return True
        if not header:
            return False
        name, port = split_host(header)
        return name in self.names or (port is not None and (name, port) in self.exact)

    def refusal(self, header: str | None) -> str:
        """The plain sentence a refused request gets."""
        shown = repr(header[:100]) if header else "none"
        return (
            f"Host {shown} is not allowed. This server answers to 127.0.0.1, localhost and "
            f"[::1]; start it with --allowed-host NAME (or set {ALLOWED_HOSTS_ENV}) to add "
            "the name a proxy uses."
        )


def allowed_hosts(
    given: Iterable[str] | None = None,
    *,
    bound: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> HostAllowList:
    """The allow-list from `--allowed-host` values, `LINEAGE_VIZ_ALLOWED_HOSTS` (comma
    separated) and the address the server was explicitly bound to (not a wildcard)."""
    env = os.environ if environ is None else environ
    entries = list(given or [])
    entries += [part for part in env.get(ALLOWED_HOSTS_ENV, "").split(",") if part.strip()]
    if bound and bound not in ("0.0.0.0", "::", ""):
        entries.append(bound)
    return HostAllowList(entries)


def add_allowed_host(parser: argparse.ArgumentParser) -> None:
    """`--allowed-host NAME` (repeatable): a Host name to answer to besides loopback."""
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a further Host name to answer to, e.g. a reverse proxy's (repeatable; loopback "
        f"names always; also {ALLOWED_HOSTS_ENV}, comma separated; * answers to any)",
    )
