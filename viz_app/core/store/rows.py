"""Records to table rows and back, and splitting long ARN lists for `IN (...)`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, Final

from viz_app.core.model import ARTIFACT, AssociationRecord, EntityRecord, parse_arn

CHUNK: Final = 500


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def name_key(rec: EntityRecord) -> str | None:
    """The case-insensitive name index value (artifact names are not unique)."""
    return rec.name.lower() if rec.name and rec.kind != ARTIFACT else None


def doc_text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, separators=(",", ":"), sort_keys=True)


def entity_row(rec: EntityRecord) -> tuple[Any, ...]:
    """The `entities` columns, in table order."""
    parsed = parse_arn(rec.arn)
    region = parsed.region if parsed else ""
    return (
        rec.arn,
        rec.kind,
        region,
        rec.name,
        name_key(rec),
        rec.entity_type,
        rec.source_uri,
        rec.created,
        rec.modified,
        doc_text(rec.doc),
        int(rec.manual),
    )


def association_row(rec: AssociationRecord) -> tuple[Any, ...]:
    """The `associations` columns up to `created_by`, in table order."""
    return (
        rec.source_arn,
        rec.destination_arn,
        rec.association_type,
        rec.created,
        json.dumps(rec.created_by) if rec.created_by else None,
    )


def to_entity(row: sqlite3.Row) -> EntityRecord:
    return EntityRecord(
        arn=row["arn"],
        kind=row["kind"],
        name=row["name"],
        entity_type=row["type"],
        source_uri=row["source_uri"],
        created=row["created"],
        modified=row["modified"],
        doc=json.loads(row["doc"]),
    )


def to_association(row: sqlite3.Row) -> AssociationRecord:
    return AssociationRecord(
        source_arn=row["source_arn"],
        destination_arn=row["destination_arn"],
        association_type=row["type"],
        created=row["created"],
        created_by=json.loads(row["created_by"]) if row["created_by"] else None,
    )
