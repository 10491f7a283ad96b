"""Turn what a person typed (ARN, S3 URI, endpoint, model package, job) into start ARNs."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from botocore.exceptions import ClientError

from viz_app.client.describe import DESCRIBERS
from viz_app.client.paging import items
from viz_app.core.model import (
    ACTION,
    CONTEXT,
    DEFAULT_ACCOUNT_ID,
    TRIAL_COMPONENT,
    build_arn,
    parse_arn,
)
from viz_app.ui.labels import strip_auto_suffix
from viz_app.ui.query_state import LINEAGE_ENTITY_RESOURCES, arn_problem

JOB_RESOURCES: Final = ("training-job", "processing-job", "transform-job")
MAX_CANDIDATES: Final = 20
_NAME_OK: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
# SageMaker names auto-created contexts `<name>-<epoch seconds>-aws-<kind>`.
_EPOCH_RE: Final = re.compile(r"-(\d{9,11})-aws(?:-|$)")
_JOB_KINDS: Final = {
    "training-job": "Training job",
    "processing-job": "Processing job",
    "transform-job": "Transform job",
}


@dataclass(frozen=True)
class Candidate:
    """A lineage entity that could start the query: a readable name, what it is and a detail
    that tells it from the others (kind, creation time, why it matched); `full` is its whole
    name or source, for the link's tooltip."""

    arn: str
    label: str
    detail: str
    full: str = ""


def created_text(name: str, created: Any = None) -> str | None:
    """`created 2026-03-02 14:43 UTC`: from the epoch SageMaker puts in an auto-created name,
    else from a List* summary's CreationTime; None when neither is there."""
    match = _EPOCH_RE.search(name)
    when: dt.datetime | None = None
    if match:
        when = dt.datetime.fromtimestamp(int(match.group(1)), dt.UTC)
    elif isinstance(created, dt.datetime):
        when = created.astimezone(dt.UTC)
    return when.strftime("created %Y-%m-%d %H:%M UTC") if when else None


def named(arn: str, name: str, kind: str, created: Any = None, why: str = "") -> Candidate:
    """A candidate called by its readable name (no auto suffix), with its kind and when it
    was created (`Endpoint · created 2026-03-02 14:43 UTC`) and, if given, why it matched."""
    detail = " · ".join(p for p in (kind, created_text(name, created), why) if p)
    return Candidate(arn, strip_auto_suffix(name) or arn, detail, name)


def source_name(uri: str) -> str:
    """The telling end of a source, whole (S3 key tail, `repo:tag`, model package `group/1`);
    the candidate list shows it in full rather than cut in the middle."""
    if uri.startswith("s3://"):
        bucket, _, key = uri[len("s3://") :].partition("/")
        return "/".join([p for p in key.split("/") if p][-2:]) or bucket
    if uri.startswith("arn:"):
        return uri.partition("/")[2] or uri
    return uri.rstrip("/").rsplit("/", 1)[-1] or uri


def _artifact(summary: dict[str, Any], why: str = "") -> Candidate:
    """An artifact by its name, else its source (S3 key tail, image, model package)."""
    uri = (summary.get("Source") or {}).get("SourceUri", "")
    name = summary.get("ArtifactName") or ""
    label = name or source_name(uri) or summary["ArtifactArn"]
    kind = summary.get("ArtifactType") or "Artifact"
    detail = " · ".join(p for p in (kind, created_text("", summary.get("CreationTime")), why) if p)
    return Candidate(summary["ArtifactArn"], label, detail, uri or name)


@dataclass
class Resolution:
    """Candidates, or a sentence saying why there are none."""

    candidates: list[Candidate] = field(default_factory=list)
    error: str | None = None


def list_items(
    call: Callable[..., dict[str, Any]], key: str, limit: int = MAX_CANDIDATES, **kwargs: Any
) -> Iterator[dict[str, Any]]:
    """Items of a List* call, following NextToken up to `limit` items."""
    request = {"MaxResults": min(100, limit), **kwargs}
    yield from itertools.islice(items(call, key, request), limit)


def _artifacts(client: Any, uri: str, why: str) -> list[Candidate]:
    return [
        _artifact(s, why)
        for s in list_items(client.list_artifacts, "ArtifactSummaries", SourceUri=uri)
    ]


def _contexts(client: Any, uri: str, why: str) -> list[Candidate]:
    return [
        named(
            s["ContextArn"],
            s.get("ContextName") or uri,
            s.get("ContextType") or "Context",
            s.get("CreationTime"),
            why,
        )
        for s in list_items(client.list_contexts, "ContextSummaries", SourceUri=uri)
    ]


def _actions(client: Any, uri: str, why: str) -> list[Candidate]:
    return [
        named(
            s["ActionArn"],
            s.get("ActionName") or uri,
            s.get("ActionType") or "Action",
            s.get("CreationTime"),
            why,
        )
        for s in list_items(client.list_actions, "ActionSummaries", SourceUri=uri)
    ]


def _trial_components(client: Any, job_arn: str) -> list[Candidate]:
    parsed = parse_arn(job_arn)
    kind = _JOB_KINDS.get(parsed.resource if parsed else "", "Job")
    return [
        named(
            s["TrialComponentArn"],
            s.get("TrialComponentName", job_arn),
            f"{kind} trial component",
            s.get("CreationTime"),
        )
        for s in list_items(
            client.list_trial_components, "TrialComponentSummaries", SourceArn=job_arn
        )
    ]


# The kinds a bare name may be (Describe by name), and how a candidate calls each.
_BY_NAME: Final = ((CONTEXT, "context"), (ACTION, "action"), (TRIAL_COMPONENT, "trial component"))


def _by_name(client: Any, name: str) -> list[Candidate]:
    """Describe by name: a context, action or trial component called exactly `name`."""
    found: list[Candidate] = []
    for kind, what in _BY_NAME:
        describer = DESCRIBERS[kind]
        key, arn_key, type_key = describer.member, describer.arn_field, describer.type_field
        if kind != CONTEXT and "_" in name:
            continue  # actions and trial components cannot have underscores
        try:
            out = describer.call(client)(**{key: name})
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in (
                "ResourceNotFound",
                "ValidationException",
            ):
                continue
            raise
        kind = out.get(type_key, "") if type_key else out.get("Source", {}).get("SourceType", "")
        kind = f"{kind} {what}".strip()
        found.append(named(out[arn_key], out.get(key, name), kind, out.get("CreationTime")))
    return found


def _from_arn(client: Any, text: str) -> Resolution:
    parsed = parse_arn(text)
    if parsed is None:
        return Resolution(error=arn_problem(text))
    if parsed.resource in LINEAGE_ENTITY_RESOURCES:
        problem = arn_problem(text)
        if problem:
            return Resolution(error=problem)
        return Resolution([named(text, parsed.name, f"{parsed.kind} ARN")])
    if parsed.resource == "endpoint":
        found = _contexts(client, text, "")
    elif parsed.resource in JOB_RESOURCES:
        found = _trial_components(client, text)
    elif parsed.resource == "model-package-group":
        found = _contexts(client, text, "")
    else:
        found = (
            _artifacts(client, text, "with this source")
            + _contexts(client, text, "with this source")
            + _actions(client, text, "with this source")
        )
    if not found:
        return Resolution(error=f"No lineage entity was recorded for this {parsed.resource} ARN.")
    return Resolution(found)


def resolve(client: Any, text: str, region: str, account_id: str | None) -> Resolution:
    """Candidates for `text`; the ARN form is checked before any call is made."""
    text = (text or "").strip()
    if not text:
        return Resolution(error="Type an ARN, an S3 URI, an endpoint name or a job name to start.")
    if text.lower().startswith("arn:"):
        return _dedupe(_from_arn(client, text))
    if "://" in text or ".dkr.ecr." in text:
        found = _artifacts(client, text, "with this source URI")
        if not found and text.endswith("/"):
            found = _artifacts(client, text.rstrip("/"), "with this source URI")
        if not found:
            return Resolution(
                error=f"No artifact has the source URI {text}. Check the spelling and the region."
            )
        return _dedupe(Resolution(found))
    if len(text) > 120 or not set(text) <= _NAME_OK:
        return Resolution(
            error="That is not an ARN, an S3 URI or a SageMaker name (letters, digits and "
            "hyphens, up to 120 characters)."
        )
    account = account_id or DEFAULT_ACCOUNT_ID
    found = []
    for name in dict.fromkeys([text, text.lower()]):
        found += _contexts(client, build_arn(region, account, "endpoint", name), "")
        for resource in JOB_RESOURCES:
            found += _trial_components(client, build_arn(region, account, resource, name))
    found += _by_name(client, text)
    if not found:
        return Resolution(
            error=f"Nothing called {text} was found: no endpoint, job, context, action or trial "
            "component by that name in this account and region."
        )
    return _dedupe(Resolution(found))


def _dedupe(res: Resolution) -> Resolution:
    seen: dict[str, Candidate] = {}
    for cand in res.candidates:
        seen.setdefault(cand.arn, cand)
    return Resolution(list(seen.values())[:MAX_CANDIDATES], res.error)


def suggestions(client: Any, limit: int = 6) -> list[Candidate]:
    """Places to start for someone new: endpoints, then a model and a dataset."""
    out = [
        named(s["ContextArn"], s.get("ContextName", s["ContextArn"]), "Endpoint")
        for s in list_items(
            client.list_contexts,
            "ContextSummaries",
            limit,
            ContextType="Endpoint",
            SortBy="Name",
            SortOrder="Ascending",
        )
    ]
    for artifact_type in ("Model", "DataSet"):
        out += [
            _artifact(s)
            for s in list_items(
                client.list_artifacts, "ArtifactSummaries", 1, ArtifactType=artifact_type
            )
        ]
    return out[: limit + 2]
