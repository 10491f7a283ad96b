"""SQLite store for lineage entities, associations and tags (WAL, one transaction per write)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from viz_app.core import adjacency, adjacency_query, experiments_schema
from viz_app.core.adjacency_keeper import AdjacencyKeeper
from viz_app.core.errors import ResourceLimitExceeded, ResourceNotFound, ValidationError
from viz_app.core.lineage import LineageResult, QueryFilters
from viz_app.core.model import ARTIFACT, AssociationRecord, EntityRecord, parse_arn

SCHEMA_VERSION = 1

_SCHEMA = """
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

_CHUNK = 500
_ANSWER_CACHE_SIZE = 32


@dataclass(frozen=True)
class Page:
    """Keyset paging position: the sort value and ARN (or pair) of the last row returned."""

    after: tuple[Any, ...] | None
    limit: int


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _row_to_entity(row: sqlite3.Row) -> EntityRecord:
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


def _row_to_association(row: sqlite3.Row) -> AssociationRecord:
    return AssociationRecord(
        source_arn=row["source_arn"],
        destination_arn=row["destination_arn"],
        association_type=row["type"],
        created=row["created"],
        created_by=json.loads(row["created_by"]) if row["created_by"] else None,
    )


class Store:
    """The lineage store. Thread-safe: one connection per thread, writes serialised by a lock.

    With `path=None` the store lives in a private temporary directory removed by `close()`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._tempdir: str | None = None
        if path is None:
            self._tempdir = tempfile.mkdtemp(prefix="lineage-viz-")
            path = os.path.join(self._tempdir, "lineage.db")
        self.path = os.fspath(path)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._adjacency = AdjacencyKeeper(self.path)
        # QueryLineage pages re-ask the same question: keep recent answers per index state.
        self._answers: OrderedDict[Any, tuple[tuple[int, int], LineageResult]] = OrderedDict()
        with self._write_lock:
            self._conn().executescript(_SCHEMA)  # executescript manages its own transaction
            # -- experiments: their tables come from their own migration (old files gain them)
            experiments_schema.migrate(self._conn())
        with self.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
            self._adjacency.record(None)

    # -- connections -------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=OFF")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole on success, rolled back on any error.

        The adjacency index follows the store's own write methods; a transaction made directly
        through `write()` with raw SQL drops it (it is rebuilt on the next query).
        """
        with self._write_lock:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            self._adjacency.begin(conn)
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                self._adjacency.abort()
                raise
            self._adjacency.commit(conn)

    @contextmanager
    def write_apart(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on tables outside the lineage graph (experiments, trials): the
        adjacency index is kept as it is."""
        with self.write() as conn:
            yield conn
            self._adjacency.record(None)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read snapshot (one deferred transaction)."""
        conn = self._conn()
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        self._adjacency.close()
        with self._connections_lock:
            for conn in self._connections:
                with suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()
        if self._tempdir:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None

    # -- meta --------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
            self._adjacency.record(None)

    def count_entities(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM entities").fetchone()[0])

    def count_associations(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM associations").fetchone()[0])

    def count_manual_entities(self, kind: str, region: str) -> int:
        row = (
            self._conn()
            .execute(
                "SELECT COUNT(*) FROM entities WHERE kind = ? AND region = ? AND manual = 1",
                (kind, region),
            )
            .fetchone()
        )
        return int(row[0])

    def count_manual_associations(self) -> int:
        row = self._conn().execute("SELECT COUNT(*) FROM associations WHERE manual = 1")
        return int(row.fetchone()[0])

    # -- entities ----------------------------------------------------------------------------

    @staticmethod
    def _entity_row(rec: EntityRecord) -> tuple[Any, ...]:
        parsed = parse_arn(rec.arn)
        region = parsed.region if parsed else ""
        return (
            rec.arn,
            rec.kind,
            region,
            rec.name,
            rec.name.lower() if rec.name and rec.kind != ARTIFACT else None,
            rec.entity_type,
            rec.source_uri,
            rec.created,
            rec.modified,
            json.dumps(rec.doc, separators=(",", ":"), sort_keys=True),
            int(rec.manual),
        )

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
                conn.execute(
                    "INSERT INTO entities (arn, kind, region, name, name_key, type, source_uri,"
                    " created, modified, doc, manual) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    self._entity_row(rec),
                )
            except sqlite3.IntegrityError:
                raise ValidationError(_already_exists(rec)) from None
            self._put_tags(conn, rec.arn, tags)
            self._adjacency.record(
                lambda ix: ix.add_entity(
                    rec.arn, rec.kind, rec.entity_type, rec.created, rec.modified
                )
            )

    def get_entity(self, arn: str) -> EntityRecord | None:
        row = self._conn().execute("SELECT * FROM entities WHERE arn = ?", (arn,)).fetchone()
        return None if row is None else _row_to_entity(row)

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
        return None if row is None else _row_to_entity(row)

    def get_entities(self, arns: Iterable[str]) -> dict[str, EntityRecord]:
        """Fetch many entities by ARN in a few queries; unknown ARNs are absent from the result."""
        found: dict[str, EntityRecord] = {}
        unique = sorted(set(arns))
        conn = self._conn()
        for chunk in _chunks(unique):
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(f"SELECT * FROM entities WHERE arn IN ({marks})", chunk):
                found[row["arn"]] = _row_to_entity(row)
        return found

    def replace_entity(self, rec: EntityRecord) -> None:
        """Overwrite an existing entity's fields (name, doc, modified time)."""
        with self.write() as conn:
            cur = conn.execute(
                "UPDATE entities SET name = ?, name_key = ?, doc = ?, modified = ? WHERE arn = ?",
                (
                    rec.name,
                    rec.name.lower() if rec.name and rec.kind != ARTIFACT else None,
                    json.dumps(rec.doc, separators=(",", ":"), sort_keys=True),
                    rec.modified,
                    rec.arn,
                ),
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
        sql, params = _keyset_sql(
            "SELECT * FROM entities", where, params, [key, "arn"], ascending, page
        )
        return [_row_to_entity(r) for r in self._conn().execute(sql, params)]

    # -- associations ------------------------------------------------------------------------

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
                    (
                        rec.source_arn,
                        rec.destination_arn,
                        rec.association_type,
                        rec.created,
                        json.dumps(rec.created_by) if rec.created_by else None,
                        int(rec.manual),
                    ),
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
        columns = {
            "source_arn": "a.source_arn = ?",
            "destination_arn": "a.destination_arn = ?",
            "source_type": "s.type = ?",
            "destination_type": "d.type = ?",
            "association_type": "a.type = ?",
            "created_after": "a.created >= ?",
            "created_before": "a.created <= ?",
        }
        for name, clause in columns.items():
            value = filters.get(name)
            if value is not None:
                where.append(clause)
                params.append(value)
        sort_column = {
            "SourceArn": "a.source_arn",
            "DestinationArn": "a.destination_arn",
            "SourceType": "COALESCE(s.type, '')",
            "DestinationType": "COALESCE(d.type, '')",
            "CreationTime": "a.created",
        }[sort_by]
        base = (
            "SELECT a.source_arn AS source_arn, a.destination_arn AS destination_arn,"
            " a.type AS type, a.created AS created, a.created_by AS created_by,"
            " s.arn AS s_arn, d.arn AS d_arn FROM associations a"
            " JOIN entities s ON s.arn = a.source_arn JOIN entities d ON d.arn = a.destination_arn"
        )
        sql, params = _keyset_sql(
            base, where, params, [sort_column, "a.source_arn", "a.destination_arn"], ascending, page
        )
        rows = self._conn().execute(sql, params).fetchall()
        ends = self.get_entities([r["s_arn"] for r in rows] + [r["d_arn"] for r in rows])
        return [(_row_to_association(r), ends[r["s_arn"]], ends[r["d_arn"]]) for r in rows]

    def edges_from(self, arns: Sequence[str], forward: bool) -> list[tuple[str, str, str | None]]:
        """Associations leaving (forward) or entering (not forward) any of `arns`."""
        column = "source_arn" if forward else "destination_arn"
        out: list[tuple[str, str, str | None]] = []
        conn = self._conn()
        for chunk in _chunks(arns):
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

    def forget_answers(self) -> None:
        """Drop cached QueryLineage answers (benchmarks time the walk itself)."""
        with self._adjacency.lock:
            self._answers.clear()

    def indexed_query(
        self,
        start: str,
        direction: str,
        max_depth: int,
        filters: QueryFilters,
        include_edges: bool,
    ) -> LineageResult:
        """QueryLineage from the in-memory adjacency index (built on first use, kept in step).

        Answers are cached for the index state they were computed on (the index object and its
        data version), so every page of one query walks the graph once. Results are shared:
        callers must not mutate them.
        """
        key = (start, direction, max_depth, filters, include_edges)
        with self._adjacency.lock:
            index = self._adjacency.current()
            stamp = (id(index), index.version)
            hit = self._answers.get(key)
            if hit is not None and hit[0] == stamp:
                self._answers.move_to_end(key)
                return hit[1]
            result = adjacency_query.query(
                index, start, direction, max_depth, filters, include_edges, self.get_entities
            )
            self._answers[key] = (stamp, result)
            while len(self._answers) > _ANSWER_CACHE_SIZE:
                self._answers.popitem(last=False)
            return result

    # -- tags --------------------------------------------------------------------------------

    @staticmethod
    def _put_tags(conn: sqlite3.Connection, arn: str, tags: Sequence[tuple[str, str]]) -> None:
        conn.executemany(
            "INSERT INTO tags (arn, key, value) VALUES (?,?,?)"
            " ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value",
            [(arn, k, v) for k, v in tags],
        )

    def add_tags(
        self, arn: str, tags: Sequence[tuple[str, str]], *, other_limit: int | None = None
    ) -> None:
        """Put `tags` on `arn`. With `other_limit`, `arn` is no lineage entity, and at most
        that many such ARNs may carry tags put by requests (checked atomically)."""
        with self.write() as conn:
            if other_limit is not None:
                known = conn.execute("SELECT 1 FROM tagged_other WHERE arn = ?", (arn,))
                if known.fetchone() is None:
                    count = conn.execute("SELECT COUNT(*) FROM tagged_other").fetchone()[0]
                    if int(count) >= other_limit:
                        raise ResourceLimitExceeded(
                            f"Tags are kept for at most {other_limit} resources that are not "
                            "lineage entities; delete the tags of one of them first."
                        )
                    conn.execute("INSERT INTO tagged_other (arn) VALUES (?)", (arn,))
            self._put_tags(conn, arn, tags)
            self._adjacency.record(None)

    def delete_tags(self, arn: str, keys: Sequence[str]) -> None:
        with self.write() as conn:
            conn.executemany("DELETE FROM tags WHERE arn = ? AND key = ?", [(arn, k) for k in keys])
            if conn.execute("SELECT 1 FROM tags WHERE arn = ? LIMIT 1", (arn,)).fetchone() is None:
                conn.execute("DELETE FROM tagged_other WHERE arn = ?", (arn,))
            self._adjacency.record(None)

    def list_tags(self, arn: str, after_key: str | None, limit: int) -> list[tuple[str, str]]:
        sql = "SELECT key, value FROM tags WHERE arn = ?"
        params: list[Any] = [arn]
        if after_key is not None:
            sql += " AND key > ?"
            params.append(after_key)
        sql += " ORDER BY key LIMIT ?"
        params.append(limit)
        return [(r[0], r[1]) for r in self._conn().execute(sql, params)]

    # -- bulk --------------------------------------------------------------------------------

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
                "INSERT OR IGNORE INTO entities (arn, kind, region, name, name_key, type,"
                " source_uri, created, modified, doc, manual) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (self._entity_row(e) for e in entities),
            ).rowcount
            conn.executemany(
                "INSERT OR IGNORE INTO associations (source_arn, destination_arn, type, created,"
                " created_by) VALUES (?,?,?,?,?)",
                (
                    (
                        a.source_arn,
                        a.destination_arn,
                        a.association_type,
                        a.created,
                        json.dumps(a.created_by) if a.created_by else None,
                    )
                    for a in associations
                ),
            )
            conn.executemany(
                "INSERT INTO tags (arn, key, value) VALUES (?,?,?)"
                " ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value",
                tags,
            )
            self._adjacency.record(
                adjacency.bulk_op(entities, inserted, associations) if tracking else None
            )


def _already_exists(rec: EntityRecord) -> str:
    if rec.kind == ARTIFACT:
        return f"Artifact with source {rec.source_uri} already exists: {rec.arn}"
    return f"{rec.kind} with name {rec.name} already exists."


def _keyset_sql(
    base: str,
    where: list[str],
    params: list[Any],
    keys: list[str],
    ascending: bool,
    page: Page,
) -> tuple[str, list[Any]]:
    """Build `base WHERE ... ORDER BY keys LIMIT n`, resuming strictly after `page.after`."""
    where = list(where)
    params = list(params)
    if page.after is not None:
        op = ">" if ascending else "<"
        where.append(f"({', '.join(keys)}) {op} ({', '.join('?' * len(keys))})")
        params.extend(page.after)
    direction = "ASC" if ascending else "DESC"
    order = ", ".join(f"{k} {direction}" for k in keys)
    sql = f"{base} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
    params.append(page.limit)
    return sql, params
