"""Read-only boto3 clients for evidence commands: local, endpoint URL or AWS, with a write guard."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from viz_app.read_only import install_guard

READ_ONLY_EXACT: Final = frozenset({"QueryLineage", "ListTags", "GetCallerIdentity"})
READ_ONLY_PREFIXES: Final = ("Describe", "List")
MAX_ATTEMPTS: Final = 10


def is_read_only(operation: str) -> bool:
    """True for QueryLineage, Describe*, List*, ListTags and GetCallerIdentity."""
    return operation in READ_ONLY_EXACT or operation.startswith(READ_ONLY_PREFIXES)


def guard_read_only(client: Any) -> Any:
    """Make `client` refuse any operation other than the read-only ones, before sending."""
    return install_guard(client, is_read_only)


def raw_timestamps(value: Any) -> float:
    """A timestamp parser that keeps wire epoch numbers exact (ISO strings are converted)."""
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    try:
        return float(text)
    except ValueError:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed.timestamp()


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


def _session(profile: str | None, region: str | None, exact_times: bool) -> Any:
    import boto3
    import botocore.session

    core = botocore.session.Session(profile=profile)
    if exact_times:
        factory = core.get_component("response_parser_factory")
        factory.set_parser_defaults(timestamp_parser=raw_timestamps)
    return boto3.Session(botocore_session=core, region_name=region)


def make_client(
    *,
    endpoint_url: str | None,
    region: str,
    profile: str | None = None,
    exact_times: bool = False,
    fake_credentials: bool = False,
) -> Any:
    """A guarded SageMaker client with adaptive retries."""
    from botocore.config import Config

    session = _session(profile, region, exact_times)
    kwargs: dict[str, Any] = {
        "region_name": region,
        "config": Config(
            retries={"mode": "adaptive", "max_attempts": MAX_ATTEMPTS},
            user_agent_extra="lineage-viz-evidence",
        ),
    }
    if endpoint_url:
        kwargs["endpoint_url"] = endpoint_url
    if fake_credentials:
        kwargs.update(aws_access_key_id="local", aws_secret_access_key="local")
    return guard_read_only(session.client("sagemaker", **kwargs))


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
    session = _session(profile, conn.region, False)
    sts = guard_read_only(session.client("sts", region_name=conn.region))
    identity = sts.get_caller_identity()
    conn.account = identity.get("Account")
    conn.caller_arn = identity.get("Arn")
