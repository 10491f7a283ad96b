"""`lineage-viz diff`: entities and associations added, removed or changed between two stores."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from viz_app.api.views import describe_view
from viz_app.core.model import EntityRecord
from viz_app.core.store import Store

AssocKey = tuple[str, str]


@dataclass(frozen=True)
class FieldChange:
    """One Describe-visible field (dotted path, e.g. `Properties.owner`) that differs."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class EntityEntry:
    arn: str
    kind: str
    type: str | None
    name: str | None
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class AssociationEntry:
    source_arn: str
    destination_arn: str
    association_type: str | None
    changes: tuple[FieldChange, ...] = ()


@dataclass
class StoreDiff:
    """What changed from `old` to `new`; every list is sorted by ARN(s)."""

    added_entities: list[EntityEntry] = field(default_factory=list)
    removed_entities: list[EntityEntry] = field(default_factory=list)
    changed_entities: list[EntityEntry] = field(default_factory=list)
    added_associations: list[AssociationEntry] = field(default_factory=list)
    removed_associations: list[AssociationEntry] = field(default_factory=list)
    changed_associations: list[AssociationEntry] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def element_classes(self) -> dict[str, str]:
        """Cytoscape element id → `added`/`removed`/`changed`, for a compare view."""
        out: dict[str, str] = {}
        for status in ("added", "removed", "changed"):
            for entity in getattr(self, f"{status}_entities"):
                out[entity.arn] = status
            for assoc in getattr(self, f"{status}_associations"):
                out[f"{assoc.source_arn}->{assoc.destination_arn}"] = status
        return out


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping) and value:
        out: dict[str, Any] = {}
        for key in sorted(value):
            out.update(_flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def _changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    a, b = _flatten(old), _flatten(new)
    return tuple(
        FieldChange(key, a.get(key), b.get(key))
        for key in sorted(a.keys() | b.keys())
        if a.get(key) != b.get(key)
    )


def _entities(store: Store) -> dict[str, EntityRecord]:
    with store.read() as conn:
        arns = [str(r[0]) for r in conn.execute("SELECT arn FROM entities")]
    return store.get_entities(arns)


def _tags(store: Store) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    with store.read() as conn:
        for arn, key, value in conn.execute("SELECT arn, key, value FROM tags"):
            out.setdefault(str(arn), {})[str(key)] = str(value)
    return out


def _associations(store: Store) -> dict[AssocKey, dict[str, Any]]:
    with store.read() as conn:
        rows = conn.execute(
            "SELECT source_arn, destination_arn, type, created, created_by FROM associations"
        ).fetchall()
    return {
        (str(r[0]), str(r[1])): {
            "AssociationType": r[2],
            "CreationTime": r[3],
            "CreatedBy": json.loads(r[4]) if r[4] else None,
        }
        for r in rows
    }


def reachable(store: Store, arn: str) -> set[str]:
    """Every entity connected to `arn` by associations in either direction (no depth limit)."""
    seen = {arn}
    frontier = [arn]
    while frontier:
        nxt: list[str] = []
        for forward in (True, False):
            for src, dst, _ in store.edges_from(frontier, forward):
                other = dst if forward else src
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        frontier = sorted(nxt)
    return seen


def _entry(rec: EntityRecord, changes: tuple[FieldChange, ...] = ()) -> EntityEntry:
    return EntityEntry(rec.arn, rec.kind, rec.entity_type, rec.name, changes)


def diff_stores(old: Store, new: Store, arn: str | None = None) -> StoreDiff:
    """Compare two stores; with `arn`, only what is reachable from it in either store.

    An entity changed when its Describe response or its tags differ; an association
    changed when its type, creation time or creator differs.
    """
    old_entities, new_entities = _entities(old), _entities(new)
    old_assocs, new_assocs = _associations(old), _associations(new)
    old_tags, new_tags = _tags(old), _tags(new)
    if arn is not None:
        scope = reachable(old, arn) | reachable(new, arn)
        old_entities = {a: r for a, r in old_entities.items() if a in scope}
        new_entities = {a: r for a, r in new_entities.items() if a in scope}
        old_assocs = {k: v for k, v in old_assocs.items() if k[0] in scope or k[1] in scope}
        new_assocs = {k: v for k, v in new_assocs.items() if k[0] in scope or k[1] in scope}
    result = StoreDiff()
    for key in sorted(old_entities.keys() | new_entities.keys()):
        before, after = old_entities.get(key), new_entities.get(key)
        if before is None and after is not None:
            result.added_entities.append(_entry(after))
        elif after is None and before is not None:
            result.removed_entities.append(_entry(before))
        elif before is not None and after is not None:
            changes = _changes(
                {**describe_view(before), "Tags": old_tags.get(key, {})},
                {**describe_view(after), "Tags": new_tags.get(key, {})},
            )
            if changes:
                result.changed_entities.append(_entry(after, changes))
    for pair in sorted(old_assocs.keys() | new_assocs.keys()):
        was, now = old_assocs.get(pair), new_assocs.get(pair)
        if was is None and now is not None:
            result.added_associations.append(AssociationEntry(*pair, now["AssociationType"]))
        elif now is None and was is not None:
            result.removed_associations.append(AssociationEntry(*pair, was["AssociationType"]))
        elif was is not None and now is not None and was != now:
            entry = AssociationEntry(*pair, now["AssociationType"], _changes(was, now))
            result.changed_associations.append(entry)
    return result


def format_diff(diff: StoreDiff) -> str:
    """A readable table: one line per element (+ added, - removed, ~ changed)."""
    lines: list[str] = []
    for title, marks in (("Entities", "entities"), ("Associations", "associations")):
        groups = [(sign, getattr(diff, f"{s}_{marks}")) for sign, s in
                  (("+", "added"), ("-", "removed"), ("~", "changed"))]  # fmt: skip
        counts = ", ".join(
            f"{len(items)} {word}"
            for (_, items), word in zip(groups, ("added", "removed", "changed"), strict=True)
        )
        lines.append(f"{title}: {counts}")
        for sign, items in groups:
            for item in items:
                if isinstance(item, EntityEntry):
                    lines.append(f"  {sign} {item.kind:<14} {item.type or '-':<16} {item.arn}")
                else:
                    kind = item.association_type or "-"
                    lines.append(f"  {sign} {kind:<14} {item.source_arn} -> {item.destination_arn}")
                for change in item.changes:
                    lines.append(f"      {change.field}: {change.old!r} -> {change.new!r}")
    if diff.is_empty():
        lines.append("No differences.")
    return "\n".join(lines) + "\n"


def run_diff(args: argparse.Namespace) -> int:
    """`lineage-viz diff`: exit 0 when equal, 1 when they differ (like diff(1)), 2 on errors."""
    import os

    for path in (args.old, args.new):
        if not os.path.exists(path):
            print(f"error: no such store: {path}", file=sys.stderr)
            return 2
    old, new = Store(args.old), Store(args.new)
    try:
        result = diff_stores(old, new, args.arn)
    finally:
        old.close()
        new.close()
    if args.json:
        print(json.dumps(result.to_json(), indent=2, sort_keys=True))
    else:
        sys.stdout.write(format_diff(result))
    return 0 if result.is_empty() else 1
