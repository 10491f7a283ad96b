"""The store file's tables and indexes, and bringing any store file up to them."""

from __future__ import annotations

import sqlite3
from typing import Final

from viz_app.core import experiments_schema

SCHEMA_VERSION: Final = 1

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    arn TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT,
    name_key TEXT,
    type TEXT,
    source_uri TEXT,
    created REAL NOT NULL,
    modified REAL NOT NULL,
    doc TEXT NOT NULL,
    manual INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS entities_name
    ON entities (kind, region, name_key) WHERE kind != 'Artifact' AND name_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS entities_list ON entities (region, kind, created, arn);
CREATE INDEX IF NOT EXISTS entities_source ON entities (source_uri);
CREATE INDEX IF NOT EXISTS entities_manual ON entities (kind, region) WHERE manual = 1;
CREATE TABLE IF NOT EXISTS associations (
    source_arn TEXT NOT NULL,
    destination_arn TEXT NOT NULL,
    type TEXT,
    created REAL NOT NULL,
    created_by TEXT,
    manual INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_arn, destination_arn)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS associations_dest ON associations (destination_arn, source_arn);
CREATE TABLE IF NOT EXISTS tags (
    arn TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    UNIQUE (arn, key)
);
-- ARNs of no lineage entity (jobs, endpoints) that AddTags put tags on: they are capped.
CREATE TABLE IF NOT EXISTS tagged_other (arn TEXT PRIMARY KEY) WITHOUT ROWID;
"""


def create(conn: sqlite3.Connection) -> None:
    """Create what is missing (outside any transaction: executescript manages its own)."""
    conn.executescript(_SCHEMA)
    # -- experiments: their tables come from their own migration (old files gain them)
    experiments_schema.migrate(conn)


def stamp_version(conn: sqlite3.Connection) -> None:
    """Inside a write transaction: record the schema version a new file was made with."""
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
        (str(SCHEMA_VERSION),),
    )
