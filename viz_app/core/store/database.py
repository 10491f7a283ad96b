"""The store file: one SQLite connection per thread, serialised write transactions that keep the
query engine's index in step, read snapshots, meta values and counts."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import ClassVar

from viz_app.core.engine import QueryEngine
from viz_app.core.lineage import Edge
from viz_app.core.model import EntityRecord
from viz_app.core.store import schema


class Database(ABC):
    """Connections and transactions of one store file, and the QueryLineage engine over it.

    Thread-safe: one connection per thread, writes serialised by a lock. With `path=None` the
    file lives in a private temporary directory removed by `close()`. The tables' own methods
    come from the mixins that make up `Store`; the engine reads the graph through the two
    abstract methods below.
    """

    # The engine class: the HTTP benchmark swaps in one that walks SQL instead of the index.
    engine_type: ClassVar[type[QueryEngine]] = QueryEngine

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
        self.engine = self.engine_type(self.path, self)
        self._adjacency = self.engine.keeper
        with self._write_lock:
            schema.create(self._conn())
        with self.write() as conn:
            schema.stamp_version(conn)
            self._adjacency.record(None)

    # -- what the engine reads (entities.py and associations.py) --------------------------------

    @abstractmethod
    def get_entities(self, arns: Iterable[str]) -> Mapping[str, EntityRecord]: ...

    @abstractmethod
    def edges_from(self, arns: Sequence[str], forward: bool) -> list[Edge]: ...

    # -- connections -----------------------------------------------------------------------------

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
        self.engine.close()
        with self._connections_lock:
            for conn in self._connections:
                with suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()
        if self._tempdir:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None

    # -- meta and counts -------------------------------------------------------------------------

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
