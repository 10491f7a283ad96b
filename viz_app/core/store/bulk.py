"""Loading many records in one transaction (the demo graph, snapshots)."""

from __future__ import annotations

from collections.abc import Iterable

from viz_app.core.engine.index import bulk_op
from viz_app.core.model import AssociationRecord, EntityRecord
from viz_app.core.store.database import Database
from viz_app.core.store.entities import INSERT_ENTITY
from viz_app.core.store.rows import association_row, entity_row
from viz_app.core.store.tags import put_many_tags


class BulkLoad(Database):
    def bulk_insert(
        self,
        entities: Iterable[EntityRecord],
        associations: Iterable[AssociationRecord] = (),
        tags: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        """Load many records in one transaction; existing ARNs/pairs are kept (INSERT OR IGNORE)."""
        with self.write() as conn:
            tracking = self._adjacency.tracking
            if tracking:  # the index needs to see them after the commit
                entities, associations = list(entities), list(associations)
            inserted = conn.executemany(
                "INSERT OR IGNORE " + INSERT_ENTITY, (entity_row(e) for e in entities)
            ).rowcount
            conn.executemany(
                "INSERT OR IGNORE INTO associations (source_arn, destination_arn, type, created,"
                " created_by) VALUES (?,?,?,?,?)",
                (association_row(a) for a in associations),
            )
            put_many_tags(conn, tags)
            self._adjacency.record(bulk_op(entities, inserted, associations) if tracking else None)
