"""The experiments migration: every table and index SageMaker Experiments adds to a store file.

Kept apart so a store file of any age opens: `migrate` only adds what is missing and never
touches the lineage tables or their data.
"""

from __future__ import annotations

import sqlite3
from typing import Final

EXPERIMENTS_SCHEMA_KEY: Final = "experiments_schema"
EXPERIMENTS_SCHEMA_VERSION: Final = 1

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS experiments (
    arn TEXT PRIMARY KEY,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    created REAL NOT NULL,
    modified REAL NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (region, name_key)
);
CREATE TABLE IF NOT EXISTS trials (
    arn TEXT PRIMARY KEY,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    experiment_arn TEXT NOT NULL,
    created REAL NOT NULL,
    modified REAL NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (region, name_key)
);
CREATE INDEX IF NOT EXISTS trials_experiment ON trials (experiment_arn);
CREATE TABLE IF NOT EXISTS trial_members (
    trial_arn TEXT NOT NULL,
    tc_arn TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (trial_arn, tc_arn)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS trial_members_tc ON trial_members (tc_arn, trial_arn);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add the experiments tables to a store file (idempotent; existing data is untouched).

    Runs outside any transaction (executescript commits on its own), before the store is used.
    """
    conn.executescript(_SCHEMA)
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        (EXPERIMENTS_SCHEMA_KEY, str(EXPERIMENTS_SCHEMA_VERSION)),
    )
