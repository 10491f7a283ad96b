"""Associations and QueryLineage."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Final

from viz_app.api.paging import decode_token, encode_token, fingerprint, is_offset, keyset
from viz_app.api.request import RequestContext
from viz_app.api.shapes import invalid, parse_timestamp
from viz_app.core.errors import ResourceNotFound, ValidationError
from viz_app.core.lineage import BOTH, QueryFilters, query_lineage
from viz_app.core.model import AssociationRecord, parse_arn
from viz_app.core.store import Page

Params = dict[str, Any]

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
    limit = p.get("MaxResults") or 10
    fp = fingerprint([ctx.region, filters, sort_by, ascending])
    after = tuple(decode_token(p["NextToken"], fp, keyset(3))) if p.get("NextToken") else None
    rows = ctx.store.list_associations(
        ctx.region,
        filters=filters,
        sort_by=sort_by,
        ascending=ascending,
        page=Page(after, limit + 1),
    )
    summaries = []
    for assoc, src, dst in rows[:limit]:
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
    out: Params = {"AssociationSummaries": summaries}
    if len(rows) > limit:
        assoc, src, dst = rows[limit - 1]
        key = {
            "SourceArn": assoc.source_arn,
            "DestinationArn": assoc.destination_arn,
            "SourceType": src.entity_type or "",
            "DestinationType": dst.entity_type or "",
            "CreationTime": assoc.created,
        }[sort_by]
        out["NextToken"] = encode_token([key, assoc.source_arn, assoc.destination_arn], fp)
    return out


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


PAGING_MEMO_SIZE: Final = 16
_paging_lock = threading.Lock()
# id(answer) -> (answer, its edge indices filed under the position of their later end).
_paging: OrderedDict[int, tuple[Any, list[list[int]]]] = OrderedDict()


def _edges_by_page_end(result: Any) -> list[list[int]]:
    """An answer's edges (as indices) filed under the position of their later end.

    Worked out once per answer (the store caches answers, so every page of one question gets
    the same object) instead of scanning every edge for every page.
    """
    with _paging_lock:
        found = _paging.get(id(result))
        if found is not None and found[0] is result:
            _paging.move_to_end(id(result))
            return found[1]
    position = {v.arn: i for i, v in enumerate(result.vertices)}
    by_end: list[list[int]] = [[] for _ in result.vertices]
    for i, (src, dst, _kind) in enumerate(result.edges):
        by_end[max(position[src], position[dst])].append(i)
    with _paging_lock:
        _paging[id(result)] = (result, by_end)
        while len(_paging) > PAGING_MEMO_SIZE:
            _paging.popitem(last=False)
    return by_end


def query_lineage_op(ctx: RequestContext, p: Params) -> Params:
    """QueryLineage. Emulator defaults (undocumented upstream): Both, no edges, depth 10, 50."""
    starts = p.get("StartArns") or []
    direction = p.get("Direction") or BOTH
    include_edges = bool(p.get("IncludeEdges", False))
    max_depth = p.get("MaxDepth", 10)
    page_size = p.get("MaxResults", 50)
    if max_depth < 1:
        raise invalid(max_depth, "maxDepth", "Member must have value greater than or equal to 1")
    if page_size < 1:
        raise invalid(page_size, "maxResults", "Member must have value greater than or equal to 1")
    if not starts:
        return {"Vertices": [], "Edges": []}
    start = starts[0]
    parsed = parse_arn(start)
    if parsed is None or parsed.kind is None:
        raise ResourceNotFound(f"Resource {start} does not exist.")
    _require_in_region(ctx, start)
    fp = fingerprint([start, direction, include_edges, max_depth, p.get("Filters") or {}])
    offset = 0
    if p.get("NextToken"):
        offset = decode_token(p["NextToken"], fp, is_offset)
    result = query_lineage(
        ctx.store,
        start,
        direction=direction,
        max_depth=max_depth,
        filters=_filters(p.get("Filters")),
        include_edges=include_edges,
    )
    page = result.vertices[offset : offset + page_size]
    by_end = _edges_by_page_end(result)
    vertices = []
    for v in page:
        item: Params = {"Arn": v.arn}
        # Vertex.Type is a String40 in the model: a longer entity type cannot be sent, so it is
        # left out (as for a trial component without a source) rather than cut into another type.
        if v.type is not None and len(v.type) <= 40:
            item["Type"] = v.type
        item["LineageType"] = v.lineage_type
        vertices.append(item)
    # An edge is sent once, on the page where the later of its two ends appears (in the
    # answer's edge order).
    edges = []
    for i in sorted(i for ends in by_end[offset : offset + page_size] for i in ends):
        src, dst, kind = result.edges[i]
        edge: Params = {"SourceArn": src, "DestinationArn": dst}
        if kind is not None:
            edge["AssociationType"] = kind
        edges.append(edge)
    out: Params = {"Vertices": vertices, "Edges": edges}
    if offset + page_size < len(result.vertices):
        out["NextToken"] = encode_token(offset + page_size, fp)
    return out
