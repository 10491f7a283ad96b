"""The connection an evidence command reads through: our in-process service, a URL or AWS."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from viz_app.client import factory

PURPOSE: Final = "evidence"  # in the User-Agent of the evidence commands' clients


@dataclass
class Connection:
    """A guarded SageMaker client plus where it points and who it is."""

    client: Any
    backend: str
    region: str
    account: str | None = None
    caller_arn: str | None = None
    endpoint_url: str | None = None
    closers: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self.closers):
            closer()
        self.closers.clear()


def make_client(
    *,
    endpoint_url: str | None,
    region: str,
    profile: str | None = None,
    exact_times: bool = False,
    fake_credentials: bool = False,
) -> Any:
    """A guarded SageMaker client with the one retry policy (`viz_app.client.factory`)."""
    return factory.sagemaker_client(
        purpose=PURPOSE,
        region=region,
        endpoint_url=endpoint_url,
        profile=profile,
        local_credentials=fake_credentials,
        exact_times=exact_times,
    )


@contextlib.contextmanager
def connect(
    args: argparse.Namespace, *, region_hint: str | None, exact_times: bool
) -> Iterator[Connection]:
    """Open the connection an evidence command asked for (`--backend/--db/--endpoint-url`)."""
    from viz_app.core.model import DEFAULT_REGION

    backend = getattr(args, "backend", "aws") or "aws"
    region = getattr(args, "region", None) or region_hint or DEFAULT_REGION
    profile = getattr(args, "profile", None)
    endpoint_url = getattr(args, "endpoint_url", None)
    conn: Connection
    if endpoint_url:
        client = make_client(
            endpoint_url=endpoint_url,
            region=region,
            profile=profile,
            exact_times=exact_times,
            fake_credentials=profile is None,
        )
        conn = Connection(client, "endpoint", region, endpoint_url=endpoint_url)
    elif backend == "local":
        conn = _local_connection(getattr(args, "db", None), region, exact_times)
    else:
        client = make_client(
            endpoint_url=None, region=region, profile=profile, exact_times=exact_times
        )
        conn = Connection(client, "aws", region)
        _identify(conn, profile)
    try:
        yield conn
    finally:
        conn.close()


def _local_connection(db: str | None, region: str, exact_times: bool) -> Connection:
    """A read-only service over `db` (a temporary demo store without one)."""
    from viz_app.api.local import open_store, serve_store

    local = serve_store(open_store(db, seed=db is None, region=region))
    client = make_client(
        endpoint_url=local.url, region=region, exact_times=exact_times, fake_credentials=True
    )
    conn = Connection(client, "local", region, account=local.account_id, endpoint_url=local.url)
    conn.closers.append(local.close)
    return conn


def _identify(conn: Connection, profile: str | None) -> None:
    """Account and caller ARN from STS (read-only, guarded like the SageMaker client)."""
    sts = factory.sts_client(factory.session(profile, conn.region), purpose=PURPOSE)
    identity = sts.get_caller_identity()
    conn.account = identity.get("Account")
    conn.caller_arn = identity.get("Arn")
