"""Entity rows: create, read, update, delete and keyset listing of artifacts, contexts,
actions and trial components."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from viz_app.core.errors import ResourceLimitExceeded, ResourceNotFound, ValidationError
from viz_app.core.model import ARTIFACT, EntityRecord, parse_arn
from viz_app.core.store.database import Database
from viz_app.core.store.keyset import Page, keyset_sql
from viz_app.core.store.rows import chunks, doc_text, entity_row, name_key, to_entity
from viz_app.core.store.tags import put_tags

INSERT_ENTITY = (
    "INTO entities (arn, kind, region, name, name_key, type, source_uri,"
    " created, modified, doc, manual) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)


class EntityTable(Database):
    def insert_entity(
        self, rec: EntityRecord, tags: Sequence[tuple[str, str]] = (), *, limit: int | None = None
    ) -> None:
        """Insert a new entity; ValidationException if its ARN or (kind, name) already exists.

        `limit` caps manually created entities of this kind in the region (checked atomically).
        """
        with self.write() as conn:
            if limit is not None and rec.manual:
                region = parse_arn(rec.arn)
                if self.count_manual_entities(rec.kind, region.region if region else "") >= limit:
                    raise ResourceLimitExceeded(
                        f"The account-level limit of {limit} manually created {rec.kind} "
                        "entities has been reached."
                    )
            try:
                conn.execute("INSERT " + INSERT_ENTITY, entity_row(rec))
            except sqlite3.IntegrityError:
                raise ValidationError(_already_exists(rec)) from None
            put_tags(conn, rec.arn, tags)
            self._adjacency.record(
                lambda ix: ix.add_entity(
                    rec.arn, rec.kind, rec.entity_type, rec.created, rec.modified
                )
            )

    def get_entity(self, arn: str) -> EntityRecord | None:
        row = self._conn().execute("SELECT * FROM entities WHERE arn = ?", (arn,)).fetchone()
        return None if row is None else to_entity(row)

    def find_by_name(self, kind: str, region: str, name: str) -> EntityRecord | None:
        """Look a named entity up case-insensitively, as SageMaker names are."""
        row = (
            self._conn()
            .execute(
                "SELECT * FROM entities WHERE kind = ? AND region = ? AND name_key = ?",
                (kind, region, name.lower()),
            )
            .fetchone()
        )
        return None if row is None else to_entity(row)

    def get_entities(self, arns: Iterable[str]) -> dict[str, EntityRecord]:
        """Fetch many entities by ARN in a few queries; unknown ARNs are absent from the result."""
        found: dict[str, EntityRecord] = {}
        unique = sorted(set(arns))
        conn = self._conn()
        for chunk in chunks(unique):
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(f"SELECT * FROM entities WHERE arn IN ({marks})", chunk):
                found[row["arn"]] = to_entity(row)
        return found

    def replace_entity(self, rec: EntityRecord) -> None:
        """Overwrite an existing entity's fields (name, doc, modified time)."""
        with self.write() as conn:
            cur = conn.execute(
                "UPDATE entities SET name = ?, name_key = ?, doc = ?, modified = ? WHERE arn = ?",
                (rec.name, name_key(rec), doc_text(rec.doc), rec.modified, rec.arn),
            )
            if cur.rowcount == 0:
                raise ResourceNotFound(f"Resource {rec.arn} does not exist.")
            self._adjacency.record(lambda ix: ix.set_modified(rec.arn, rec.modified))

    def delete_entity(self, arn: str) -> None:
        """Delete an entity with its associations and tags (cascade), atomically."""
        with self.write() as conn:
            cur = conn.execute("DELETE FROM entities WHERE arn = ?", (arn,))
            if cur.rowcount == 0:
                raise ResourceNotFound(f"Resource {arn} does not exist.")
            conn.execute("DELETE FROM associations WHERE source_arn = ?", (arn,))
            conn.execute("DELETE FROM associations WHERE destination_arn = ?", (arn,))
            conn.execute("DELETE FROM tags WHERE arn = ?", (arn,))
            conn.execute("DELETE FROM trial_members WHERE tc_arn = ?", (arn,))  # experiments
            self._adjacency.record(lambda ix: ix.remove_entity(arn))

    def list_entities(
        self,
        kind: str,
        region: str,
        *,
        source_uri: str | None = None,
        entity_type: str | None = None,
        created_after: float | None = None,
        created_before: float | None = None,
        sort_by_name: bool = False,
        ascending: bool = False,
        extra: tuple[str, Any] | None = None,
        page: Page,
    ) -> list[EntityRecord]:
        """One page of entities of a kind, sorted by creation time (or name), then ARN.

        `extra` is one more SQL condition with its parameter (trial membership, for example).
        """
        where = ["kind = ?", "region = ?"]
        params: list[Any] = [kind, region]
        if extra is not None:
            where.append(extra[0])
            params.append(extra[1])
        for clause, value in (
            ("source_uri = ?", source_uri),
            ("type = ?", entity_type),
            ("created >= ?", created_after),
            ("created <= ?", created_before),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        key = "COALESCE(name_key, '')" if sort_by_name else "created"
        sql, params = keyset_sql(
            "SELECT * FROM entities", where, params, [key, "arn"], ascending, page
        )
        return [to_entity(r) for r in self._conn().execute(sql, params)]


def _already_exists(rec: EntityRecord) -> str:
    if rec.kind == ARTIFACT:
        return f"Artifact with source {rec.source_uri} already exists: {rec.arn}"
    return f"{rec.kind} with name {rec.name} already exists."
