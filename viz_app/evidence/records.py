"""Describe responses and association summaries → store records (the inverse of api.views)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from viz_app.core.model import (
    ACTION,
    ARTIFACT,
    CONTEXT,
    TRIAL_COMPONENT,
    AssociationRecord,
    EntityRecord,
)

# Per kind: the name member, the ARN member and the type member of its Describe response.
_MEMBERS: Final = {
    ARTIFACT: ("ArtifactName", "ArtifactArn", "ArtifactType"),
    CONTEXT: ("ContextName", "ContextArn", "ContextType"),
    ACTION: ("ActionName", "ActionArn", "ActionType"),
    TRIAL_COMPONENT: ("TrialComponentName", "TrialComponentArn", None),
}
_TIMES: Final = ("CreationTime", "LastModifiedTime")


def epoch(value: Any) -> float:
    """Seconds since the epoch from a wire number, or a datetime if the client parsed it."""
    if hasattr(value, "timestamp"):
        return float(value.timestamp())
    return float(value or 0.0)


def _epochs(value: Any) -> Any:
    if hasattr(value, "timestamp") and not isinstance(value, int | float):
        return float(value.timestamp())
    if isinstance(value, Mapping):
        return {k: _epochs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_epochs(v) for v in value]
    return value


def record_from_describe(kind: str, describe: Mapping[str, Any]) -> EntityRecord:
    """The EntityRecord that our service would render back as exactly `describe`.

    Everything except the name, ARN, type and the two record times stays in `doc`, in wire
    form. A trial component's type and source URI are its Source's SourceType and SourceArn.
    """
    name_key, arn_key, type_key = _MEMBERS[kind]
    body = {k: v for k, v in describe.items() if k != "ResponseMetadata"}
    arn = str(body[arn_key])
    name = body.get(name_key)
    source = body.get("Source") if isinstance(body.get("Source"), Mapping) else None
    if kind == TRIAL_COMPONENT:
        entity_type = source.get("SourceType") if source else None
        source_uri = source.get("SourceArn") if source else None
    else:
        entity_type = body.get(type_key) if type_key else None
        source_uri = source.get("SourceUri") if source else None
    skip = {name_key, arn_key, *(k for k in (type_key,) if k), *_TIMES}
    doc = {k: _epochs(v) for k, v in body.items() if k not in skip and v is not None}
    return EntityRecord(
        arn=arn,
        kind=kind,
        name=str(name) if name else None,
        entity_type=None if entity_type is None else str(entity_type),
        source_uri=None if source_uri is None else str(source_uri),
        created=epoch(body.get("CreationTime")),
        modified=epoch(body.get("LastModifiedTime")),
        doc=doc,
    )


def association_from_summary(summary: Mapping[str, Any]) -> AssociationRecord:
    """An AssociationRecord from one ListAssociations summary."""
    created_by = summary.get("CreatedBy")
    return AssociationRecord(
        source_arn=str(summary["SourceArn"]),
        destination_arn=str(summary["DestinationArn"]),
        association_type=summary.get("AssociationType") or None,
        created=epoch(summary.get("CreationTime")),
        created_by=dict(created_by) if isinstance(created_by, Mapping) and created_by else None,
    )
