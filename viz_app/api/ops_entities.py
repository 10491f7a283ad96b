"""Create/Describe/List/Update/Delete for artifacts, contexts, actions and trial components."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from viz_app.api.paging import Pager, keyset
from viz_app.api.request import RequestContext
from viz_app.api.shapes import invalid, parse_timestamp
from viz_app.api.views import describe_view, summary_view
from viz_app.core.errors import ResourceNotFound, ValidationError
from viz_app.core.experiments import Experiments
from viz_app.core.model import (
    ACTION,
    ARTIFACT,
    CONTEXT,
    RESOURCE_OF_KIND,
    TRIAL_COMPONENT,
    EntityRecord,
    artifact_id,
    parse_arn,
)

Params = dict[str, Any]

ENTITY_PAGES = Pager(keyset(2))  # [name key or creation time, ARN]


@dataclass(frozen=True)
class Kind:
    """Per-kind naming: member names on the wire and the ARN resource."""

    kind: str
    name_member: str
    arn_member: str
    summaries: str

    @property
    def resource(self) -> str:
        return RESOURCE_OF_KIND[self.kind]


KINDS = {
    ARTIFACT: Kind(ARTIFACT, "ArtifactName", "ArtifactArn", "ArtifactSummaries"),
    CONTEXT: Kind(CONTEXT, "ContextName", "ContextArn", "ContextSummaries"),
    ACTION: Kind(ACTION, "ActionName", "ActionArn", "ActionSummaries"),
    TRIAL_COMPONENT: Kind(
        TRIAL_COMPONENT, "TrialComponentName", "TrialComponentArn", "TrialComponentSummaries"
    ),
}


def _tags(params: Params) -> list[tuple[str, str]]:
    return [(t["Key"], t.get("Value", "")) for t in params.get("Tags") or []]


def _limit(ctx: RequestContext, kind: str) -> int:
    limits = ctx.limits
    return {
        ARTIFACT: limits.artifacts,
        CONTEXT: limits.contexts,
        ACTION: limits.actions,
        TRIAL_COMPONENT: limits.trial_components,
    }[kind]


def _insert(ctx: RequestContext, rec: EntityRecord, params: Params) -> Params:
    ctx.store.insert_entity(rec, _tags(params), limit=_limit(ctx, rec.kind))
    return {KINDS[rec.kind].arn_member: rec.arn}


def _source_uri(source: Params) -> str | None:
    value = source.get("SourceUri")
    return str(value) if value is not None else None


# -- create ------------------------------------------------------------------------------------


def create_artifact(ctx: RequestContext, p: Params) -> Params:
    source = p["Source"]
    arn = ctx.arn("artifact", artifact_id(source["SourceUri"], source.get("SourceTypes")))
    doc: Params = {"Source": source, "Properties": p.get("Properties") or {}}
    if p.get("MetadataProperties"):
        doc["MetadataProperties"] = p["MetadataProperties"]
    rec = EntityRecord(
        arn,
        ARTIFACT,
        p.get("ArtifactName"),
        p["ArtifactType"],
        _source_uri(source),
        ctx.now,
        ctx.now,
        doc,
        manual=True,
    )
    return _insert(ctx, rec, p)


def _create_named(
    ctx: RequestContext, p: Params, kind: str, type_member: str, optional: tuple[str, ...]
) -> Params:
    """Contexts and actions: name-based ARN, Source, type, Properties and optional members."""
    name = p[KINDS[kind].name_member]
    doc: Params = {"Source": p["Source"], "Properties": p.get("Properties") or {}}
    for member in optional:
        if p.get(member) is not None:
            doc[member] = p[member]
    rec = EntityRecord(
        ctx.arn(KINDS[kind].resource, name),
        kind,
        name,
        p[type_member],
        _source_uri(p["Source"]),
        ctx.now,
        ctx.now,
        doc,
        manual=True,
    )
    return _insert(ctx, rec, p)


def create_context(ctx: RequestContext, p: Params) -> Params:
    return _create_named(ctx, p, CONTEXT, "ContextType", ("Description",))


def create_action(ctx: RequestContext, p: Params) -> Params:
    return _create_named(
        ctx, p, ACTION, "ActionType", ("Description", "Status", "MetadataProperties")
    )


def create_trial_component(ctx: RequestContext, p: Params) -> Params:
    name = p["TrialComponentName"]
    doc: Params = {"DisplayName": p.get("DisplayName") or name}
    for member in (
        "Status",
        "Parameters",
        "InputArtifacts",
        "OutputArtifacts",
        "MetadataProperties",
    ):
        if p.get(member) is not None:
            doc[member] = p[member]
    for member in ("StartTime", "EndTime"):
        if p.get(member) is not None:
            doc[member] = parse_timestamp(p[member])
    rec = EntityRecord(
        ctx.arn("experiment-trial-component", name),
        TRIAL_COMPONENT,
        name,
        None,
        None,
        ctx.now,
        ctx.now,
        doc,
        manual=True,
    )
    return _insert(ctx, rec, p)


# -- lookup ------------------------------------------------------------------------------------


def find(ctx: RequestContext, kind: str, name_or_arn: str) -> EntityRecord:
    """An entity of `kind` by ARN or (case-insensitive) name in the request's region."""
    parsed = parse_arn(name_or_arn)
    rec: EntityRecord | None
    if parsed is not None:
        rec = None
        if parsed.kind == kind and parsed.region == ctx.region:
            rec = ctx.store.get_entity(name_or_arn)
            if rec is None and kind != ARTIFACT:
                rec = ctx.store.find_by_name(kind, ctx.region, parsed.name)
    elif kind == ARTIFACT:
        rec = None
    else:
        rec = ctx.store.find_by_name(kind, ctx.region, name_or_arn)
    if rec is None or rec.kind != kind:
        raise ResourceNotFound(f"{_noun(kind)} {name_or_arn} does not exist.")
    return rec


def _noun(kind: str) -> str:
    return "Trial component" if kind == TRIAL_COMPONENT else kind


def describe_artifact(ctx: RequestContext, p: Params) -> Params:
    return describe_view(find(ctx, ARTIFACT, p["ArtifactArn"]))


def describe_context(ctx: RequestContext, p: Params) -> Params:
    return describe_view(find(ctx, CONTEXT, p["ContextName"]))


def describe_action(ctx: RequestContext, p: Params) -> Params:
    return describe_view(find(ctx, ACTION, p["ActionName"]))


def describe_trial_component(ctx: RequestContext, p: Params) -> Params:
    return describe_view(find(ctx, TRIAL_COMPONENT, p["TrialComponentName"]))


# -- list --------------------------------------------------------------------------------------


def _list(
    ctx: RequestContext, p: Params, kind: str, *, source_uri: str | None, entity_type: str | None
) -> Params:
    sort_by = p.get("SortBy") or "CreationTime"
    ascending = (p.get("SortOrder") or "Descending") == "Ascending"
    after_ts = parse_timestamp(p["CreatedAfter"]) if p.get("CreatedAfter") is not None else None
    before_ts = parse_timestamp(p["CreatedBefore"]) if p.get("CreatedBefore") is not None else None
    query = [kind, ctx.region, source_uri, entity_type, after_ts, before_ts, sort_by, ascending]
    cursor = ENTITY_PAGES.open(p, query)
    by_name = sort_by == "Name"
    rows = ctx.store.list_entities(
        kind,
        ctx.region,
        source_uri=source_uri,
        entity_type=entity_type,
        created_after=after_ts,
        created_before=before_ts,
        sort_by_name=by_name,
        ascending=ascending,
        page=cursor.keyset(),
    )
    shown, token = cursor.cut(rows, lambda last: [sort_key(last, by_name), last.arn])
    return {KINDS[kind].summaries: [summary_view(r) for r in shown]} | token


def sort_key(rec: EntityRecord, by_name: bool) -> str | float:
    """The value an entity listing sorts on (the store's `name_key`, or creation time)."""
    return (rec.name or "").lower() if by_name else rec.created


def list_artifacts(ctx: RequestContext, p: Params) -> Params:
    return _list(ctx, p, ARTIFACT, source_uri=p.get("SourceUri"), entity_type=p.get("ArtifactType"))


def list_contexts(ctx: RequestContext, p: Params) -> Params:
    return _list(ctx, p, CONTEXT, source_uri=p.get("SourceUri"), entity_type=p.get("ContextType"))


def list_actions(ctx: RequestContext, p: Params) -> Params:
    return _list(ctx, p, ACTION, source_uri=p.get("SourceUri"), entity_type=p.get("ActionType"))


def list_trial_components_plain(ctx: RequestContext, p: Params) -> Params:
    """ListTrialComponents by SourceArn or over all (by trial or experiment: ops_experiments)."""
    return _list(ctx, p, TRIAL_COMPONENT, source_uri=p.get("SourceArn"), entity_type=None)


# -- update ------------------------------------------------------------------------------------


def _merge(current: Params | None, add: Params | None, remove: list[str] | None) -> Params:
    merged = dict(current or {})
    merged.update(add or {})
    for key in remove or ():
        merged.pop(key, None)
    return merged


def _update_properties(ctx: RequestContext, rec: EntityRecord, p: Params) -> Params:
    rec.doc["Properties"] = _merge(
        rec.doc.get("Properties"), p.get("Properties"), p.get("PropertiesToRemove")
    )
    if len(rec.doc["Properties"]) > 30:
        raise invalid(
            rec.doc["Properties"], "properties", "Member must have length less than or equal to 30"
        )
    rec.modified = ctx.now
    ctx.store.replace_entity(rec)
    return {KINDS[rec.kind].arn_member: rec.arn}


def update_artifact(ctx: RequestContext, p: Params) -> Params:
    rec = find(ctx, ARTIFACT, p["ArtifactArn"])
    if p.get("ArtifactName") is not None:
        rec.name = p["ArtifactName"]
    return _update_properties(ctx, rec, p)


def update_context(ctx: RequestContext, p: Params) -> Params:
    rec = find(ctx, CONTEXT, p["ContextName"])
    if p.get("Description") is not None:
        rec.doc["Description"] = p["Description"]
    return _update_properties(ctx, rec, p)


def update_action(ctx: RequestContext, p: Params) -> Params:
    rec = find(ctx, ACTION, p["ActionName"])
    for member in ("Description", "Status"):
        if p.get(member) is not None:
            rec.doc[member] = p[member]
    return _update_properties(ctx, rec, p)


def update_trial_component(ctx: RequestContext, p: Params) -> Params:
    rec = find(ctx, TRIAL_COMPONENT, p["TrialComponentName"])
    for member in ("DisplayName", "Status"):
        if p.get(member) is not None:
            rec.doc[member] = p[member]
    for member in ("StartTime", "EndTime"):
        if p.get(member) is not None:
            rec.doc[member] = parse_timestamp(p[member])
    for member in ("Parameters", "InputArtifacts", "OutputArtifacts"):
        merged = _merge(rec.doc.get(member), p.get(member), p.get(f"{member}ToRemove"))
        if merged:
            rec.doc[member] = merged
        else:
            rec.doc.pop(member, None)
    rec.modified = ctx.now
    ctx.store.replace_entity(rec)
    return {"TrialComponentArn": rec.arn}


# -- delete ------------------------------------------------------------------------------------


def _delete(ctx: RequestContext, rec: EntityRecord) -> Params:
    # Associations go with the entity (cascade), so no edge is left dangling.
    ctx.store.delete_entity(rec.arn)
    return {KINDS[rec.kind].arn_member: rec.arn}


def delete_artifact(ctx: RequestContext, p: Params) -> Params:
    if p.get("ArtifactArn"):
        return _delete(ctx, find(ctx, ARTIFACT, p["ArtifactArn"]))
    source = p.get("Source")
    if not source:
        raise ValidationError("Either ArtifactArn or Source must be specified.")
    arn = ctx.arn("artifact", artifact_id(source["SourceUri"], source.get("SourceTypes")))
    rec = ctx.store.get_entity(arn)
    if rec is None:
        raise ResourceNotFound(f"Artifact with source {source['SourceUri']} does not exist.")
    return _delete(ctx, rec)


def delete_context(ctx: RequestContext, p: Params) -> Params:
    return _delete(ctx, find(ctx, CONTEXT, p["ContextName"]))


def delete_action(ctx: RequestContext, p: Params) -> Params:
    return _delete(ctx, find(ctx, ACTION, p["ActionName"]))


def delete_trial_component(ctx: RequestContext, p: Params) -> Params:
    rec = find(ctx, TRIAL_COMPONENT, p["TrialComponentName"])
    if Experiments(ctx.store).is_member(rec.arn):
        # DeleteTrialComponent's documentation: disassociate from every trial first.
        raise ValidationError(
            f"Trial component {rec.name} is associated with one or more trials: "
            "disassociate it from them first."
        )
    return _delete(ctx, rec)
