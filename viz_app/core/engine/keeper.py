"""Keeps a store's adjacency index current: built on first read, updated by the store's own
writes, rebuilt when another connection or process changed the file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading

from viz_app.core.engine.index import AdjacencyIndex, Op


class AdjacencyKeeper:
    """Owns the index for one store file: builds it on first read, applies the store's writes
    after they commit, and rebuilds it when another connection or process changed the file.

    The store calls `begin(conn)` right after `BEGIN IMMEDIATE`, `record(op)` from every write
    method (None for writes that leave the graph alone), then `commit(conn)` or `abort()`.
    A transaction that records nothing (raw SQL through `Store.write()`) drops the index.

    Freshness: `PRAGMA data_version` on a watcher connection changes when any other connection
    commits. Reading it costs a read transaction, so each query first compares the WAL-index
    header (the first 96 bytes of the `-shm` file, whose change counter SQLite bumps on every
    commit; see sqlite.org/walformat.html) with the one seen at the last check, and only asks
    SQLite when those bytes moved.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.index: AdjacencyIndex | None = None
        self._conn: sqlite3.Connection | None = None
        self._shm: int | None = None
        self._header: bytes | None = None
        self._ops: list[Op] = []
        self._recorded = False
        self._begun_with: AdjacencyIndex | None = None
        self._writer_version = 0

    def _watch(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA busy_timeout=30000")
            self._conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # maps the -shm file
            with contextlib.suppress(OSError):
                self._shm = os.open(self.path + "-shm", os.O_RDONLY)
        return self._conn

    def _data_version(self) -> int:
        return int(self._watch().execute("PRAGMA data_version").fetchone()[0])

    def _read_header(self) -> bytes | None:
        if self._shm is None:
            return None
        try:
            header = os.pread(self._shm, 96, 0)
        except OSError:
            return None
        return header if len(header) == 96 else None

    def begin(self, conn: sqlite3.Connection) -> None:
        """Inside the write lock: forget what the last transaction recorded; drop a stale index."""
        self._ops.clear()
        self._recorded = False
        self._begun_with = None
        if self.index is not None:
            with self.lock:
                if self.index is not None and self.index.version != self._data_version():
                    self.index = None
                self._begun_with = self.index
                self._writer_version = _version_of(conn)

    @property
    def tracking(self) -> bool:
        """True when the open transaction's writes must be replayed on the index."""
        return self._begun_with is not None

    def record(self, op: Op | None) -> None:
        self._recorded = True
        if op is not None and self._begun_with is not None:
            self._ops.append(op)

    def abort(self) -> None:
        self._ops.clear()
        self._begun_with = None

    def commit(self, conn: sqlite3.Connection) -> None:
        """Commit, then bring the index up to the new version (or drop it if unsure)."""
        begun_with, self._begun_with = self._begun_with, None
        if begun_with is None and self.index is None:
            conn.execute("COMMIT")
            self._ops.clear()
            return
        with self.lock:
            conn.execute("COMMIT")
            header = self._read_header()
            version = self._data_version()
            # The writer's own data_version moves only for other connections' commits: if it
            # has not, `version` reflects exactly this transaction.
            alone = _version_of(conn) == self._writer_version
            index = self.index
            # An index built by a reader during this transaction missed its ops: drop it too.
            trusted = alone and index is begun_with and self._recorded
            if index is not None and trusted and all(op(index) for op in self._ops):
                index.version = version
                self._header = header
            else:
                self.index = None
            self._ops.clear()

    def current(self) -> AdjacencyIndex:
        """Under `self.lock`: the index, rebuilt first if the file changed behind our back."""
        # Fast path (every query): one pread of the WAL-index header, unchanged since the last
        # check. A short read or an error can never equal the 96 bytes kept in `_header`.
        index, shm = self.index, self._shm
        if index is not None and shm is not None:
            try:
                if os.pread(shm, 96, 0) == self._header:
                    return index
            except OSError:
                pass
        return self._refresh()

    def _refresh(self) -> AdjacencyIndex:
        header = self._read_header()
        if self.index is not None and header is not None and header == self._header:
            return self.index
        if self.index is None or self.index.version != self._data_version():
            self.index = None
            self.index = AdjacencyIndex.load(self._watch())
        self._header = header
        return self.index

    def close(self) -> None:
        with self.lock:
            self.index = None
            self._header = None
            if self._shm is not None:
                os.close(self._shm)
                self._shm = None
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])
