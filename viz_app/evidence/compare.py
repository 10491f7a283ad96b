"""Merge two lineage graphs (old and new) into one, each element classed added/removed/changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from viz_app.evidence.diff import FieldChange, StoreDiff
from viz_app.ui.elements import Edge, Element, Vertex, to_elements
from viz_app.ui.labels import short_label

ADDED: Final = "added"
REMOVED: Final = "removed"
CHANGED: Final = "changed"
UNCHANGED: Final = "unchanged"
STATUSES: Final = (ADDED, REMOVED, CHANGED)
MARKS: Final = {ADDED: "+", REMOVED: "−", CHANGED: "~"}
# Every vertex is drawn on its own: a collapsed group would hide which members changed.
NO_COLLAPSE: Final = 1_000_000

Pair = tuple[str, str]


@dataclass(frozen=True)
class ChangeRow:
    """One line of the compare table: an entity or an association that differs."""

    status: str
    element: str  # "Entity" or "Association"
    kind: str  # vertex Type / LineageType, or the AssociationType
    arn: str  # the entity ARN, or "source -> destination"
    changes: tuple[FieldChange, ...] = ()
    note: str = ""


@dataclass
class CompareGraph:
    """The union of both graphs as positioned Cytoscape elements, plus the table rows."""

    elements: list[Element]
    rows: list[ChangeRow] = field(default_factory=list)
    node_status: dict[str, str] = field(default_factory=dict)
    edge_status: dict[Pair, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many vertices and edges have each status (keys like `vertices_added`)."""
        out: dict[str, int] = {}
        for name, statuses in (("vertices", self.node_status), ("edges", self.edge_status)):
            for status in (*STATUSES, UNCHANGED):
                out[f"{name}_{status}"] = sum(1 for s in statuses.values() if s == status)
        return out


def _reach_note(status: str, created: bool, deleted: bool) -> str:
    """Why an element in both stores shows as added or removed: only its reach changed."""
    if status == ADDED and not created:
        return "in both stores; reachable from the start only in the new one"
    if status == REMOVED and not deleted:
        return "in both stores; reachable from the start only in the old one"
    return ""


def _status(in_old: bool, in_new: bool, changed: bool) -> str:
    if in_new and not in_old:
        return ADDED
    if in_old and not in_new:
        return REMOVED
    return CHANGED if changed else UNCHANGED


def _union_vertices(old: Iterable[Vertex], new: Iterable[Vertex]) -> dict[str, Vertex]:
    out: dict[str, Vertex] = {}
    for vertex in (*old, *new):  # the new side wins: it is the current description
        known = out.get(vertex["Arn"])
        if known is None or vertex.get("Type") or not known.get("Type"):
            out[vertex["Arn"]] = dict(vertex)
    return out


def _union_edges(old: Iterable[Edge], new: Iterable[Edge]) -> dict[Pair, Edge]:
    out: dict[Pair, Edge] = {}
    for edge in (*old, *new):
        pair = (edge["SourceArn"], edge["DestinationArn"])
        if pair not in out or edge.get("AssociationType"):
            out[pair] = dict(edge)
    return out


def _entity_notes(diff: StoreDiff) -> tuple[dict[str, tuple[FieldChange, ...]], set[str], set[str]]:
    changed = {e.arn: e.changes for e in diff.changed_entities}
    return changed, {e.arn for e in diff.added_entities}, {e.arn for e in diff.removed_entities}


def compare_graphs(
    old_vertices: list[Vertex],
    old_edges: list[Edge],
    new_vertices: list[Vertex],
    new_edges: list[Edge],
    diff: StoreDiff,
    *,
    start_arn: str | None,
) -> CompareGraph:
    """Union of the two graphs, laid out by `to_elements`, with a status class on each element.

    A vertex or edge only in the new graph is `added`, only in the old one `removed`; in both,
    it is `changed` when `diff` (from `diff_stores`) lists it as changed. An entity that exists
    in both stores but is reachable from the start in only one gets added/removed too (the
    lineage changed around it); its table row says so.
    """
    old_arns = {v["Arn"] for v in old_vertices}
    new_arns = {v["Arn"] for v in new_vertices}
    old_pairs = {(e["SourceArn"], e["DestinationArn"]) for e in old_edges}
    new_pairs = {(e["SourceArn"], e["DestinationArn"]) for e in new_edges}
    vertices = _union_vertices(old_vertices, new_vertices)
    edges = _union_edges(old_edges, new_edges)
    entity_changes, created, deleted = _entity_notes(diff)
    assoc_changes = {
        (a.source_arn, a.destination_arn): a.changes for a in diff.changed_associations
    }
    assoc_created = {(a.source_arn, a.destination_arn) for a in diff.added_associations}
    assoc_deleted = {(a.source_arn, a.destination_arn) for a in diff.removed_associations}

    result = CompareGraph(elements=[])
    for arn, vertex in sorted(vertices.items()):
        status = _status(arn in old_arns, arn in new_arns, arn in entity_changes)
        result.node_status[arn] = status
        if status == UNCHANGED:
            continue
        note = _reach_note(status, arn in created, arn in deleted)
        kind = str(vertex.get("Type") or vertex.get("LineageType") or "")
        changes = entity_changes.get(arn, ()) if status == CHANGED else ()
        result.rows.append(ChangeRow(status, "Entity", kind, arn, changes, note))
    for pair, edge in sorted(edges.items()):
        if pair[0] not in vertices or pair[1] not in vertices:
            continue
        status = _status(pair in old_pairs, pair in new_pairs, pair in assoc_changes)
        result.edge_status[pair] = status
        if status == UNCHANGED:
            continue
        note = _reach_note(status, pair in assoc_created, pair in assoc_deleted)
        kind = str(edge.get("AssociationType") or "")
        changes = assoc_changes.get(pair, ()) if status == CHANGED else ()
        result.rows.append(
            ChangeRow(status, "Association", kind, f"{pair[0]} -> {pair[1]}", changes, note)
        )

    labels = {
        arn: f"{MARKS[status]} {short_label(arn, v.get('Type'), v.get('LineageType', ''))}"
        for arn, v in vertices.items()
        if (status := result.node_status[arn]) != UNCHANGED
    }
    result.elements = to_elements(
        list(vertices.values()),
        [edges[pair] for pair in sorted(edges)],
        start_arn=start_arn,
        labels=labels,
        collapse_threshold=NO_COLLAPSE,
    )
    for element in result.elements:
        data = element["data"]
        if "source" in data:
            status = result.edge_status.get((data["source"], data["target"]), UNCHANGED)
        else:
            status = result.node_status.get(data["id"], UNCHANGED)
        data["change"] = status
        if status != UNCHANGED:
            element["classes"] = f"{element['classes']} {status}".strip()
    return result


def start_choices(diff: StoreDiff) -> list[tuple[str, str]]:
    """(label, ARN) for every entity the diff touches: endpoints first, then the rest by ARN.

    Entities come from the entity lists, then the ends of added/removed/changed associations.
    """
    seen: dict[str, tuple[bool, str]] = {}
    for status in STATUSES:
        for entity in getattr(diff, f"{status}_entities"):
            label = f"{MARKS[status]} {entity.type or entity.kind}: {entity.name or entity.arn}"
            seen.setdefault(entity.arn, (entity.type == "Endpoint", label))
    for status in STATUSES:
        for assoc in getattr(diff, f"{status}_associations"):
            for arn in (assoc.source_arn, assoc.destination_arn):
                seen.setdefault(arn, (":context/" in arn and "endpoint" in arn, f"  {arn}"))
    ordered = sorted(seen.items(), key=lambda item: (not item[1][0], item[0]))
    return [(label, arn) for arn, (_, label) in ordered]


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """A Describe answer as dotted field → display text (tags become `Tags.<key>`)."""
    if prefix == "Tags" and isinstance(value, list):
        value = {str(t.get("Key")): t.get("Value") for t in value if isinstance(t, Mapping)}
    if isinstance(value, Mapping) and value:
        out: dict[str, str] = {}
        for key in sorted(value, key=str):
            out.update(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: display(value)}


def display(value: Any) -> str:
    """One value as text: datetimes in UTC ISO form, containers compactly, None as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, Mapping) and not value:
        return "{}"
    return str(value)


def side_by_side(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> list[tuple[str, str, str, bool]]:
    """(field, old text, new text, differs) for every field of either answer; differences first."""
    a = flatten(old) if old is not None else {}
    b = flatten(new) if new is not None else {}
    rows = [
        (key, a.get(key, ""), b.get(key, ""), a.get(key) != b.get(key))
        for key in sorted(a.keys() | b.keys())
    ]
    return sorted(rows, key=lambda row: not row[3])
