"""Association rows: add, delete, keyset listing joined with both ends, and the edges of a set
of vertices (what the reference walk reads)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from viz_app.core.errors import ResourceLimitExceeded, ResourceNotFound, ValidationError
from viz_app.core.lineage import Edge
from viz_app.core.model import AssociationRecord, EntityRecord
from viz_app.core.store.entities import EntityTable
from viz_app.core.store.keyset import Page, keyset_sql
from viz_app.core.store.rows import association_row, chunks, to_association

_FILTER_COLUMNS = {
    "source_arn": "a.source_arn = ?",
    "destination_arn": "a.destination_arn = ?",
    "source_type": "s.type = ?",
    "destination_type": "d.type = ?",
    "association_type": "a.type = ?",
    "created_after": "a.created >= ?",
    "created_before": "a.created <= ?",
}
_SORT_COLUMNS = {
    "SourceArn": "a.source_arn",
    "DestinationArn": "a.destination_arn",
    "SourceType": "COALESCE(s.type, '')",
    "DestinationType": "COALESCE(d.type, '')",
    "CreationTime": "a.created",
}
_JOINED = (
    "SELECT a.source_arn AS source_arn, a.destination_arn AS destination_arn,"
    " a.type AS type, a.created AS created, a.created_by AS created_by,"
    " s.arn AS s_arn, d.arn AS d_arn FROM associations a"
    " JOIN entities s ON s.arn = a.source_arn JOIN entities d ON d.arn = a.destination_arn"
)


class AssociationTable(EntityTable):
    def add_association(self, rec: AssociationRecord, *, limit: int | None = None) -> None:
        """Add an association; both ends must exist and the pair must be new."""
        with self.write() as conn:
            if limit is not None and rec.manual and self.count_manual_associations() >= limit:
                raise ResourceLimitExceeded(
                    f"The account-level limit of {limit} manually created associations "
                    "has been reached."
                )
            for arn in (rec.source_arn, rec.destination_arn):
                if conn.execute("SELECT 1 FROM entities WHERE arn = ?", (arn,)).fetchone() is None:
                    raise ResourceNotFound(f"Resource {arn} does not exist.")
            try:
                conn.execute(
                    "INSERT INTO associations (source_arn, destination_arn, type, created,"
                    " created_by, manual) VALUES (?,?,?,?,?,?)",
                    (*association_row(rec), int(rec.manual)),
                )
            except sqlite3.IntegrityError:
                raise ValidationError(
                    f"Association between {rec.source_arn} and {rec.destination_arn} "
                    "already exists."
                ) from None
            self._adjacency.record(
                lambda ix: ix.add_edge(rec.source_arn, rec.destination_arn, rec.association_type)
            )

    def delete_association(self, source_arn: str, destination_arn: str) -> None:
        with self.write() as conn:
            cur = conn.execute(
                "DELETE FROM associations WHERE source_arn = ? AND destination_arn = ?",
                (source_arn, destination_arn),
            )
            if cur.rowcount == 0:
                raise ResourceNotFound(
                    f"Association between {source_arn} and {destination_arn} does not exist."
                )
            self._adjacency.record(lambda ix: ix.remove_edge(source_arn, destination_arn))

    def list_associations(
        self,
        region: str,
        *,
        filters: dict[str, Any],
        sort_by: str = "CreationTime",
        ascending: bool = False,
        page: Page,
    ) -> list[tuple[AssociationRecord, EntityRecord, EntityRecord]]:
        """One page of associations joined with both ends.

        `filters` keys: source_arn, destination_arn, source_type, destination_type,
        association_type, created_after, created_before.
        """
        where = ["s.region = ?"]
        params: list[Any] = [region]
        for name, clause in _FILTER_COLUMNS.items():
            value = filters.get(name)
            if value is not None:
                where.append(clause)
                params.append(value)
        keys = [_SORT_COLUMNS[sort_by], "a.source_arn", "a.destination_arn"]
        sql, params = keyset_sql(_JOINED, where, params, keys, ascending, page)
        rows = self._conn().execute(sql, params).fetchall()
        ends = self.get_entities([r["s_arn"] for r in rows] + [r["d_arn"] for r in rows])
        return [(to_association(r), ends[r["s_arn"]], ends[r["d_arn"]]) for r in rows]

    def edges_from(self, arns: Sequence[str], forward: bool) -> list[Edge]:
        """Associations leaving (forward) or entering (not forward) any of `arns`."""
        column = "source_arn" if forward else "destination_arn"
        out: list[Edge] = []
        conn = self._conn()
        for chunk in chunks(arns):
            marks = ",".join("?" * len(chunk))
            out.extend(
                (r[0], r[1], r[2])
                for r in conn.execute(
                    f"SELECT source_arn, destination_arn, type FROM associations"
                    f" WHERE {column} IN ({marks})",
                    chunk,
                )
            )
        return out
