"""Render stored records as SageMaker Describe and List* response members."""

from __future__ import annotations

from typing import Any

from viz_app.core.model import ACTION, ARTIFACT, CONTEXT, EntityRecord

_TC_FIELDS = (
    "DisplayName",
    "Source",
    "Status",
    "StartTime",
    "EndTime",
    "CreatedBy",
    "LastModifiedBy",
    "Parameters",
    "InputArtifacts",
    "OutputArtifacts",
    "MetadataProperties",
    "Metrics",
    "LineageGroupArn",
    "Sources",
)


def _copy(doc: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: doc[name] for name in names if doc.get(name) is not None}


def describe_view(rec: EntityRecord) -> dict[str, Any]:
    """The Describe* response for a record."""
    if rec.kind == ARTIFACT:
        out: dict[str, Any] = {}
        if rec.name:
            out["ArtifactName"] = rec.name
        out["ArtifactArn"] = rec.arn
        out.update(_copy(rec.doc, ("Source",)))
        out["ArtifactType"] = rec.entity_type or ""
        out["Properties"] = rec.doc.get("Properties") or {}
    elif rec.kind == CONTEXT:
        out = {"ContextName": rec.name, "ContextArn": rec.arn}
        out.update(_copy(rec.doc, ("Source",)))
        out["ContextType"] = rec.entity_type or ""
        out.update(_copy(rec.doc, ("Description",)))
        out["Properties"] = rec.doc.get("Properties") or {}
    elif rec.kind == ACTION:
        out = {"ActionName": rec.name, "ActionArn": rec.arn}
        out.update(_copy(rec.doc, ("Source",)))
        out["ActionType"] = rec.entity_type or ""
        out.update(_copy(rec.doc, ("Description", "Status")))
        out["Properties"] = rec.doc.get("Properties") or {}
    else:
        out = {"TrialComponentName": rec.name, "TrialComponentArn": rec.arn}
        out.update(_copy(rec.doc, _TC_FIELDS))
        out["CreationTime"] = rec.created
        out["LastModifiedTime"] = rec.modified
        return out
    out["CreationTime"] = rec.created
    out["LastModifiedTime"] = rec.modified
    out.update(
        _copy(rec.doc, ("CreatedBy", "LastModifiedBy", "MetadataProperties", "LineageGroupArn"))
    )
    return out


def summary_view(rec: EntityRecord) -> dict[str, Any]:
    """The List* summary for a record."""
    times = {"CreationTime": rec.created, "LastModifiedTime": rec.modified}
    if rec.kind == ARTIFACT:
        out: dict[str, Any] = {"ArtifactArn": rec.arn}
        if rec.name:
            out["ArtifactName"] = rec.name
        out.update(_copy(rec.doc, ("Source",)))
        out["ArtifactType"] = rec.entity_type or ""
        return out | times
    if rec.kind == CONTEXT:
        out = {"ContextArn": rec.arn, "ContextName": rec.name}
        out.update(_copy(rec.doc, ("Source",)))
        out["ContextType"] = rec.entity_type or ""
        return out | times
    if rec.kind == ACTION:
        out = {"ActionArn": rec.arn, "ActionName": rec.name}
        out.update(_copy(rec.doc, ("Source",)))
        out["ActionType"] = (rec.entity_type or "")[:64]
        out.update(_copy(rec.doc, ("Status",)))
        return out | times
    out = {"TrialComponentName": rec.name, "TrialComponentArn": rec.arn}
    out.update(_copy(rec.doc, ("DisplayName",)))
    if rec.doc.get("Source"):
        out["TrialComponentSource"] = rec.doc["Source"]
    out.update(_copy(rec.doc, ("Status", "StartTime", "EndTime")))
    out["CreationTime"] = rec.created
    out.update(_copy(rec.doc, ("CreatedBy",)))
    out["LastModifiedTime"] = rec.modified
    out.update(_copy(rec.doc, ("LastModifiedBy",)))
    return out
