"""Every boto3 client lineage-viz makes: one retry policy, guarded read-only from birth.

Retries: botocore's adaptive mode. SageMaker throttles its lineage, Describe and List APIs per
account at a few calls a second; adaptive mode adds a client-side rate limiter that slows the
sending after a throttle, so retries do not pile onto a busy account. How many retries depends
on who waits: the evidence commands retry 10 times (a failed page costs most where it cannot
simply be asked again: a report or snapshot that stops halfway); the explorer and the notebook
retry 6 times, because a person is watching the page and a throttled account should be said so
within seconds, not a minute (a long paging can be stopped, and a name that fails is asked
again later).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import boto3
import botocore.session
from botocore.config import Config

from viz_app.client.read_only import guard

RETRY_MODE: Final = "adaptive"
MAX_RETRIES: Final = 10  # botocore's `max_attempts` counts the retries only
INTERACTIVE_RETRIES: Final = 6  # for the purposes a person waits on
INTERACTIVE: Final = frozenset({"app", "notebook"})
LOCAL_CREDENTIALS: Final = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}


def client_config(purpose: str) -> Config:
    """The one retry policy, with `lineage-viz-<purpose>` in the User-Agent (CloudTrail
    tells the app, the evidence commands and the notebook apart)."""
    return Config(
        retries={"mode": RETRY_MODE, "max_attempts": retries_for(purpose)},
        user_agent_extra=f"lineage-viz-{purpose}",
    )


def retries_for(purpose: str) -> int:
    """Retries after the first attempt for clients made for `purpose`."""
    return INTERACTIVE_RETRIES if purpose in INTERACTIVE else MAX_RETRIES


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


def session(
    profile: str | None = None, region: str | None = None, *, exact_times: bool = False
) -> boto3.Session:
    """A new session on the standard credential chain (`profile`, environment, instance role);
    with `exact_times`, timestamps are parsed as plain epoch floats, as they were on the wire."""
    core = botocore.session.Session(profile=profile)
    if exact_times:
        factory = core.get_component("response_parser_factory")
        factory.set_parser_defaults(timestamp_parser=raw_timestamps)
    return boto3.Session(botocore_session=core, region_name=region)


def sagemaker_client(
    *,
    purpose: str,
    region: str | None = None,
    endpoint_url: str | None = None,
    profile: str | None = None,
    local_credentials: bool = False,
    exact_times: bool = False,
    from_session: boto3.Session | None = None,
) -> Any:
    """A guarded SageMaker client.

    `local_credentials` signs with fixed dummy keys (a local lineage service checks no
    signature); such a client comes from boto3's default session, which is only made once.
    Otherwise the client is made from `from_session`, or from a new `session(profile, region)`,
    so it sees the credentials of the moment.
    """
    kwargs: dict[str, Any] = {"region_name": region, "config": client_config(purpose)}
    if endpoint_url:
        kwargs["endpoint_url"] = endpoint_url
    if local_credentials:
        kwargs.update(LOCAL_CREDENTIALS)
    if from_session is not None:
        made = from_session.client("sagemaker", **kwargs)
    elif local_credentials and not exact_times and profile is None:
        made = boto3.client("sagemaker", **kwargs)
    else:
        made = session(profile, region, exact_times=exact_times).client("sagemaker", **kwargs)
    return guard(made)


def sts_client(from_session: boto3.Session, *, purpose: str, region: str | None = None) -> Any:
    """A guarded STS client (GetCallerIdentity: the account and caller for captions)."""
    return guard(from_session.client("sts", region_name=region, config=client_config(purpose)))
