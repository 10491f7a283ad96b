"""Associations and QueryLineage (answered by the store's `QueryEngine`)."""

from __future__ import annotations

from typing import Any

from viz_app.api.paging import Pager, is_offset, keyset
from viz_app.api.request import RequestContext
from viz_app.api.shapes import invalid, parse_timestamp
from viz_app.core.engine import Question
from viz_app.core.errors import ResourceNotFound, ValidationError
from viz_app.core.lineage import BOTH, QueryFilters
from viz_app.core.model import AssociationRecord, EntityRecord, parse_arn

Params = dict[str, Any]

ASSOCIATION_PAGES = Pager(keyset(3))  # [sort value, source ARN, destination ARN]
LINEAGE_PAGES = Pager(is_offset, default=50)  # the answer's next vertex

_EXPERIMENT_RESOURCES = frozenset({"experiment", "experiment-trial", "experiment-trial-component"})


def _require_in_region(ctx: RequestContext, arn: str) -> None:
    parsed = parse_arn(arn)
    if parsed is None or parsed.region != ctx.region or ctx.store.get_entity(arn) is None:
        raise ResourceNotFound(f"Resource {arn} does not exist.")


def add_association(ctx: RequestContext, p: Params) -> Params:
    source, dest = p["SourceArn"], p["DestinationArn"]
    if source == dest:
        raise ValidationError("An association can't be created from an entity to itself.")
    ends = [parse_arn(source), parse_arn(dest)]
    if all(end is not None and end.resource in _EXPERIMENT_RESOURCES for end in ends):
        raise ValidationError("An association can't be created between two experiment entities.")
    for arn in (source, dest):
        _require_in_region(ctx, arn)
    record = AssociationRecord(source, dest, p.get("AssociationType"), ctx.now, manual=True)
    ctx.store.add_association(record, limit=ctx.limits.associations)
    return {"SourceArn": source, "DestinationArn": dest}


def delete_association(ctx: RequestContext, p: Params) -> Params:
    ctx.store.delete_association(p["SourceArn"], p["DestinationArn"])
    return {"SourceArn": p["SourceArn"], "DestinationArn": p["DestinationArn"]}


_ASSOCIATION_FILTERS = {
    "SourceArn": "source_arn",
    "DestinationArn": "destination_arn",
    "SourceType": "source_type",
    "DestinationType": "destination_type",
    "AssociationType": "association_type",
}


def list_associations(ctx: RequestContext, p: Params) -> Params:
    filters: dict[str, Any] = {
        column: p[member] for member, column in _ASSOCIATION_FILTERS.items() if p.get(member)
    }
    for member, column in (("CreatedAfter", "created_after"), ("CreatedBefore", "created_before")):
        if p.get(member) is not None:
            filters[column] = parse_timestamp(p[member])
    sort_by = p.get("SortBy") or "CreationTime"
    ascending = (p.get("SortOrder") or "Descending") == "Ascending"
    cursor = ASSOCIATION_PAGES.open(p, [ctx.region, filters, sort_by, ascending])
    rows = ctx.store.list_associations(
        ctx.region,
        filters=filters,
        sort_by=sort_by,
        ascending=ascending,
        page=cursor.keyset(),
    )

    def position(row: tuple[AssociationRecord, EntityRecord, EntityRecord]) -> list[Any]:
        assoc, src, dst = row
        key = {
            "SourceArn": assoc.source_arn,
            "DestinationArn": assoc.destination_arn,
            "SourceType": src.entity_type or "",
            "DestinationType": dst.entity_type or "",
            "CreationTime": assoc.created,
        }[sort_by]
        return [key, assoc.source_arn, assoc.destination_arn]

    shown, token = cursor.cut(rows, position)
    summaries = []
    for assoc, src, dst in shown:
        item: Params = {"SourceArn": assoc.source_arn, "DestinationArn": assoc.destination_arn}
        if src.entity_type is not None:
            item["SourceType"] = src.entity_type
        if dst.entity_type is not None:
            item["DestinationType"] = dst.entity_type
        if assoc.association_type is not None:
            item["AssociationType"] = assoc.association_type
        if src.name:
            item["SourceName"] = src.name
        if dst.name:
            item["DestinationName"] = dst.name
        item["CreationTime"] = assoc.created
        if assoc.created_by:
            item["CreatedBy"] = assoc.created_by
        summaries.append(item)
    return {"AssociationSummaries": summaries} | token


def _filters(raw: Params | None) -> QueryFilters:
    raw = raw or {}

    def ts(member: str) -> float | None:
        return parse_timestamp(raw[member]) if raw.get(member) is not None else None

    return QueryFilters(
        types=frozenset(raw.get("Types") or ()),
        lineage_types=frozenset(raw.get("LineageTypes") or ()),
        created_before=ts("CreatedBefore"),
        created_after=ts("CreatedAfter"),
        modified_before=ts("ModifiedBefore"),
        modified_after=ts("ModifiedAfter"),
        properties=tuple(sorted((raw.get("Properties") or {}).items())),
    )


def query_lineage_op(ctx: RequestContext, p: Params) -> Params:
    """QueryLineage. Emulator defaults (undocumented upstream): Both, no edges, depth 10, 50."""
    starts = p.get("StartArns") or []
    direction = p.get("Direction") or BOTH
    include_edges = bool(p.get("IncludeEdges", False))
    max_depth = p.get("MaxDepth", 10)
    if max_depth < 1:
        raise invalid(max_depth, "maxDepth", "Member must have value greater than or equal to 1")
    size = LINEAGE_PAGES.size(p)
    if not starts:
        return {"Vertices": [], "Edges": []}
    start = starts[0]
    parsed = parse_arn(start)
    if parsed is None or parsed.kind is None:
        raise ResourceNotFound(f"Resource {start} does not exist.")
    _require_in_region(ctx, start)
    query = [start, direction, include_edges, max_depth, p.get("Filters") or {}]
    cursor = LINEAGE_PAGES.open(p, query, size)
    question = Question(start, direction, max_depth, _filters(p.get("Filters")), include_edges)
    page = ctx.store.engine.page(question, cursor.after or 0, cursor.size)
    vertices = []
    for v in page.vertices:
        item: Params = {"Arn": v.arn}
        # Vertex.Type is a String40 in the model: a longer entity type cannot be sent, so it is
        # left out (as for a trial component without a source) rather than cut into another type.
        if v.type is not None and len(v.type) <= 40:
            item["Type"] = v.type
        item["LineageType"] = v.lineage_type
        vertices.append(item)
    edges = []
    for src, dst, kind in page.edges:
        edge: Params = {"SourceArn": src, "DestinationArn": dst}
        if kind is not None:
            edge["AssociationType"] = kind
        edges.append(edge)
    return {"Vertices": vertices, "Edges": edges} | cursor.token(page.next_offset)
