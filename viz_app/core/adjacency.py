"""In-memory adjacency index of the store, kept in step with its writes, and QueryLineage on it."""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import sys
import threading
from array import array
from collections.abc import Callable, Collection, Iterable, Mapping

from viz_app.core.lineage import ASCENDANTS, BOTH, DESCENDANTS, LineageResult, QueryFilters, Vertex
from viz_app.core.model import AssociationRecord, EntityRecord, vertex_type

Op = Callable[["AdjacencyIndex"], bool]
Steps = tuple[list[list[int]], ...]
RecordLoader = Callable[[Iterable[str]], Mapping[str, EntityRecord]]


class AdjacencyIndex:
    """ARNs interned to ints; forward and backward neighbour lists; the fields filters read.

    An id stays interned after its entity is deleted (`alive` goes to 0) and is reused if the
    ARN comes back. Associations may name ARNs with no entity (the store does not forbid it):
    those vertices are walked through but never returned, exactly as the SQL traversal does.
    """

    def __init__(self, version: int = 0) -> None:
        self.version = version
        self.ids: dict[str, int] = {}
        self.arns: list[str] = []
        self.out: list[list[int]] = []
        self.out_types: list[list[str | None]] = []
        self.inc: list[list[int]] = []
        self.alive = bytearray()
        self.kinds: list[str] = []
        self.vtypes: list[str | None] = []
        self.created = array("d")
        self.modified = array("d")

    def steps(self, direction: str) -> tuple[Steps, Steps]:
        """The neighbour lists a walk in `direction` follows, and those that lead back."""
        forward = direction in (DESCENDANTS, BOTH)
        backward = direction in (ASCENDANTS, BOTH)
        ahead = ((self.out,) if forward else ()) + ((self.inc,) if backward else ())
        behind = ((self.inc,) if forward else ()) + ((self.out,) if backward else ())
        return ahead, behind

    def intern(self, arn: str) -> int:
        known = self.ids.get(arn)
        if known is not None:
            return known
        new = len(self.arns)
        self.ids[arn] = new
        self.arns.append(arn)
        self.out.append([])
        self.out_types.append([])
        self.inc.append([])
        self.alive.append(0)
        self.kinds.append("")
        self.vtypes.append(None)
        self.created.append(0.0)
        self.modified.append(0.0)
        return new

    # -- writes (each returns False when the index can no longer be trusted) ------------------

    def has_entity(self, arn: str) -> bool:
        known = self.ids.get(arn)
        return known is not None and bool(self.alive[known])

    def add_entity(
        self, arn: str, kind: str, entity_type: str | None, created: float, modified: float
    ) -> bool:
        v = self.intern(arn)
        self.alive[v] = 1
        self.kinds[v], self.vtypes[v] = _types(kind, entity_type)
        self.created[v] = created
        self.modified[v] = modified
        return True

    def set_modified(self, arn: str, modified: float) -> bool:
        known = self.ids.get(arn)
        if known is None:
            return False
        self.modified[known] = modified
        return True

    def remove_entity(self, arn: str) -> bool:
        v = self.ids.get(arn)
        if v is None:
            return False
        self.alive[v] = 0
        for w in list(self.out[v]):
            self._unlink(v, w)
        for u in list(self.inc[v]):
            self._unlink(u, v)
        return True

    def has_edge(self, source: str, destination: str) -> bool:
        s, d = self.ids.get(source), self.ids.get(destination)
        return s is not None and d is not None and d in self.out[s]

    def add_edge(self, source: str, destination: str, association_type: str | None) -> bool:
        s, d = self.intern(source), self.intern(destination)
        self.out[s].append(d)
        self.out_types[s].append(association_type)
        self.inc[d].append(s)
        return True

    def remove_edge(self, source: str, destination: str) -> bool:
        s, d = self.ids.get(source), self.ids.get(destination)
        if s is None or d is None or d not in self.out[s]:
            return False
        self._unlink(s, d)
        return True

    def _unlink(self, s: int, d: int) -> None:
        at = self.out[s].index(d)
        del self.out[s][at]
        del self.out_types[s][at]
        self.inc[d].remove(s)

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> AdjacencyIndex:
        """Read the whole graph in one read transaction, tagged with that snapshot's version."""
        conn.execute("BEGIN")
        try:
            index = cls(int(conn.execute("PRAGMA data_version").fetchone()[0]))
            rows = conn.execute("SELECT arn, kind, type, created, modified FROM entities")
            index._fill(rows)
            ids, intern, out, out_types, inc = (
                index.ids, index.intern, index.out, index.out_types, index.inc,
            )  # fmt: skip
            names: dict[str | None, str | None] = {}
            for source, destination, atype in conn.execute(
                "SELECT source_arn, destination_arn, type FROM associations"
            ):
                s = ids.get(source)
                d = ids.get(destination)
                s = intern(source) if s is None else s
                d = intern(destination) if d is None else d
                out[s].append(d)
                out_types[s].append(names.setdefault(atype, atype))
                inc[d].append(s)
        finally:
            conn.execute("COMMIT")
        return index

    def _fill(self, rows: Iterable[tuple[str, str, str | None, float, float]]) -> None:
        """Bulk-load entities into an empty index, streaming rows (shared type strings)."""
        arns, kinds, vtypes = self.arns, self.kinds, self.vtypes
        created, modified = self.created, self.modified
        for arn, kind, entity_type, c, m in rows:
            arns.append(arn)
            k, t = _types(kind, entity_type)
            kinds.append(k)
            vtypes.append(t)
            created.append(c)
            modified.append(m)
        n = len(arns)
        self.ids = dict(zip(arns, range(n), strict=True))
        self.alive = bytearray(b"\x01") * n
        self.out = [[] for _ in range(n)]
        self.out_types = [[] for _ in range(n)]
        self.inc = [[] for _ in range(n)]


@functools.lru_cache(maxsize=4096)
def _types(kind: str, entity_type: str | None) -> tuple[str, str | None]:
    """(LineageType, vertex Type), one shared pair of strings per distinct input."""
    return sys.intern(kind), vertex_type(kind, entity_type)


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


def bulk_op(
    entities: Iterable[EntityRecord],
    inserted_entities: int,
    associations: Iterable[AssociationRecord],
) -> Op:
    """Replay `Store.bulk_insert` (INSERT OR IGNORE): the first record of each new ARN or pair.

    If SQLite inserted fewer entities than were new (a name clash ignored one), give up.
    """

    def apply(index: AdjacencyIndex) -> bool:
        new: dict[str, EntityRecord] = {}
        for e in entities:
            if e.arn not in new and not index.has_entity(e.arn):
                new[e.arn] = e
        if len(new) != inserted_entities:
            return False
        for e in new.values():
            index.add_entity(e.arn, e.kind, e.entity_type, e.created, e.modified)
        for a in associations:
            if not index.has_edge(a.source_arn, a.destination_arn):
                index.add_edge(a.source_arn, a.destination_arn, a.association_type)
        return True

    return apply


def query(
    index: AdjacencyIndex,
    start: str,
    direction: str,
    max_depth: int,
    filters: QueryFilters,
    include_edges: bool,
    load_records: RecordLoader,
) -> LineageResult:
    """`lineage.query_lineage` on int ids; the same answer as the SQL walk, vertex for vertex."""
    s = index.ids.get(start)
    if s is None:
        return LineageResult()
    ahead, behind = index.steps(direction)
    distance = {s: 0}
    frontier: Iterable[int] = (s,)
    for depth in range(1, max_depth + 1):
        reached: set[int] = set()
        for adjacency in ahead:
            for v in frontier:
                reached.update(adjacency[v])
        reached.difference_update(distance)
        if not reached:
            break
        distance.update(dict.fromkeys(reached, depth))
        frontier = reached
    alive = index.alive
    matched = [v for v in distance if alive[v] and v != s]
    if not filters.is_empty():
        matched = _filter(index, matched, filters, load_records)
    chosen: Collection[int] = matched
    if include_edges:
        chosen = _on_shortest_paths(s, matched, distance, behind, alive)
    arns, kinds, vtypes = index.arns, index.kinds, index.vtypes
    order = sorted(chosen, key=arns.__getitem__)
    order.sort(key=distance.__getitem__)  # stable: by distance, then ARN
    result = LineageResult(vertices=[Vertex(arns[v], vtypes[v], kinds[v]) for v in order])
    if include_edges:
        out, out_types = index.out, index.out_types
        result.edges = sorted(
            (arns[v], arns[w], t)
            for v in order
            for w, t in zip(out[v], out_types[v], strict=True)
            if w in chosen
        )
    return result


def _on_shortest_paths(
    s: int,
    matched: list[int],
    distance: dict[int, int],
    behind: Steps,
    alive: bytearray,
) -> set[int]:
    """The start, the matches, and every vertex on a shortest path between them (with entities)."""
    chosen = set(matched)
    chosen.add(s)
    stack = list(matched)
    while stack:
        v = stack.pop()
        up = distance[v] - 1
        for adjacency in behind:
            for u in adjacency[v]:
                if u not in chosen and distance.get(u) == up:
                    chosen.add(u)
                    stack.append(u)
    return {v for v in chosen if alive[v]}


def _filter(
    index: AdjacencyIndex, found: list[int], filters: QueryFilters, load_records: RecordLoader
) -> list[int]:
    kinds, vtypes, created, modified = index.kinds, index.vtypes, index.created, index.modified
    keep = [
        v for v in found if filters.matches_fields(kinds[v], vtypes[v], created[v], modified[v])
    ]
    if not filters.properties or not keep:
        return keep
    # Properties live in the entity documents; read only the few candidates left.
    arns = index.arns
    records = load_records(arns[v] for v in keep)
    return [v for v in keep if arns[v] in records and filters.matches(records[arns[v]])]
