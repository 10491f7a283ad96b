"""Turn what a person typed (ARN, S3 URI, endpoint, model package, job) into start ARNs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from botocore.exceptions import ClientError

from viz_app.core.model import DEFAULT_ACCOUNT_ID, build_arn, parse_arn
from viz_app.ui.query_state import LINEAGE_ENTITY_RESOURCES, arn_problem

JOB_RESOURCES: Final = ("training-job", "processing-job", "transform-job")
MAX_CANDIDATES: Final = 20
_NAME_OK: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


@dataclass(frozen=True)
class Candidate:
    """A lineage entity that could start the query, and why it matched."""

    arn: str
    label: str
    detail: str


@dataclass
class Resolution:
    """Candidates, or a sentence saying why there are none."""

    candidates: list[Candidate] = field(default_factory=list)
    error: str | None = None


def list_items(
    call: Callable[..., dict[str, Any]], key: str, limit: int = MAX_CANDIDATES, **kwargs: Any
) -> Iterator[dict[str, Any]]:
    """Items of a List* call, following NextToken up to `limit` items."""
    count = 0
    while True:
        page = call(MaxResults=min(100, limit), **kwargs)
        for item in page.get(key, []):
            yield item
            count += 1
            if count >= limit:
                return
        if not page.get("NextToken"):
            return
        kwargs["NextToken"] = page["NextToken"]


def _artifacts(client: Any, uri: str, detail: str) -> list[Candidate]:
    return [
        Candidate(
            s["ArtifactArn"],
            s.get("ArtifactName") or uri,
            f"{s.get('ArtifactType', 'Artifact')} {detail}",
        )
        for s in list_items(client.list_artifacts, "ArtifactSummaries", SourceUri=uri)
    ]


def _contexts(client: Any, uri: str, detail: str) -> list[Candidate]:
    return [
        Candidate(
            s["ContextArn"],
            s.get("ContextName") or uri,
            f"{s.get('ContextType', 'Context')} {detail}",
        )
        for s in list_items(client.list_contexts, "ContextSummaries", SourceUri=uri)
    ]


def _actions(client: Any, uri: str, detail: str) -> list[Candidate]:
    return [
        Candidate(
            s["ActionArn"], s.get("ActionName") or uri, f"{s.get('ActionType', 'Action')} {detail}"
        )
        for s in list_items(client.list_actions, "ActionSummaries", SourceUri=uri)
    ]


def _trial_components(client: Any, job_arn: str) -> list[Candidate]:
    return [
        Candidate(
            s["TrialComponentArn"],
            s.get("TrialComponentName", job_arn),
            f"trial component of {job_arn.rsplit(':', 1)[-1]}",
        )
        for s in list_items(
            client.list_trial_components, "TrialComponentSummaries", SourceArn=job_arn
        )
    ]


def _by_name(client: Any, name: str) -> list[Candidate]:
    """Describe by name: a context, action or trial component called exactly `name`."""
    found: list[Candidate] = []
    calls = (
        (client.describe_context, "ContextName", "ContextArn", "ContextType", "context named"),
        (client.describe_action, "ActionName", "ActionArn", "ActionType", "action named"),
        (
            client.describe_trial_component,
            "TrialComponentName",
            "TrialComponentArn",
            None,
            "trial component named",
        ),
    )
    for call, key, arn_key, type_key, detail in calls:
        if key != "ContextName" and "_" in name:
            continue  # actions and trial components cannot have underscores
        try:
            out = call(**{key: name})
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in (
                "ResourceNotFound",
                "ValidationException",
            ):
                continue
            raise
        kind = out.get(type_key, "") if type_key else out.get("Source", {}).get("SourceType", "")
        found.append(Candidate(out[arn_key], out.get(key, name), f"{kind} {detail} {name}".strip()))
    return found


def _from_arn(client: Any, text: str) -> Resolution:
    parsed = parse_arn(text)
    if parsed is None:
        return Resolution(error=arn_problem(text))
    if parsed.resource in LINEAGE_ENTITY_RESOURCES:
        problem = arn_problem(text)
        if problem:
            return Resolution(error=problem)
        return Resolution([Candidate(text, parsed.name, f"{parsed.kind} ARN")])
    if parsed.resource == "endpoint":
        found = _contexts(client, text, "context of this endpoint")
    elif parsed.resource in JOB_RESOURCES:
        found = _trial_components(client, text)
    elif parsed.resource == "model-package-group":
        found = _contexts(client, text, "context of this model package group")
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
        found += _contexts(
            client, build_arn(region, account, "endpoint", name), "of endpoint " + name
        )
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
        Candidate(s["ContextArn"], s.get("ContextName", s["ContextArn"]), "Endpoint")
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
            Candidate(
                s["ArtifactArn"],
                s.get("ArtifactName") or s.get("Source", {}).get("SourceUri", ""),
                artifact_type,
            )
            for s in list_items(
                client.list_artifacts, "ArtifactSummaries", 1, ArtifactType=artifact_type
            )
        ]
    return out[: limit + 2]
