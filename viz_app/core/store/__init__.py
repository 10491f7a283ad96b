"""The SQLite lineage store, split by concern.

`schema` (tables, migrations), `database` (connections, transactions, meta, the query engine),
`entities`, `associations` and `tags` (their rows), `keyset` (paged list SQL), `bulk` (loads
in one transaction), `rows` (records to rows and back). `Store` puts the tables together.
"""

from __future__ import annotations

from viz_app.core.store.associations import AssociationTable
from viz_app.core.store.bulk import BulkLoad
from viz_app.core.store.keyset import Page
from viz_app.core.store.schema import SCHEMA_VERSION
from viz_app.core.store.tags import TagTable

__all__ = ["SCHEMA_VERSION", "Page", "Store"]


class Store(AssociationTable, TagTable, BulkLoad):
    """The lineage store: entities, associations and tags in one SQLite file (WAL, one
    transaction per write), with `engine` answering QueryLineage from memory."""
