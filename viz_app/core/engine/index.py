"""In-memory adjacency index of the store: ARNs interned to ints, neighbour lists, filter fields."""

from __future__ import annotations

import functools
import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterable

from viz_app.core.lineage import ASCENDANTS, BOTH, DESCENDANTS, DIRECTIONS, Vertex
from viz_app.core.model import AssociationRecord, EntityRecord, vertex_type

Op = Callable[["AdjacencyIndex"], bool]
Steps = tuple[list[list[int]], ...]


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
        self.dead = 0  # how many ids have no entity (`alive` 0): none, and walks skip the check
        self.kinds: list[str] = []
        self.vtypes: list[str | None] = []
        self.created = array("d")
        self.modified = array("d")
        # Each vertex's answer item, made on its first answer and shared by every answer after
        # (answers are never mutated); dropped when the vertex's kind or type changes.
        self.vertices: list[Vertex | None] = []
        self._steps: dict[str, tuple[Steps, Steps]] = {}

    def steps(self, direction: str) -> tuple[Steps, Steps]:
        """The neighbour lists a walk in `direction` follows, and those that lead back."""
        known = self._steps.get(direction)
        if known is not None:
            return known
        forward = direction in (DESCENDANTS, BOTH)
        backward = direction in (ASCENDANTS, BOTH)
        ahead = ((self.out,) if forward else ()) + ((self.inc,) if backward else ())
        behind = ((self.inc,) if forward else ()) + ((self.out,) if backward else ())
        if direction in DIRECTIONS:  # kept per index: the lists are only ever changed in place
            self._steps[direction] = ahead, behind
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
        self.dead += 1
        self.kinds.append("")
        self.vtypes.append(None)
        self.created.append(0.0)
        self.modified.append(0.0)
        self.vertices.append(None)
        return new

    def vertex(self, v: int) -> Vertex:
        """The answer item for `v` (made once)."""
        made = self.vertices[v]
        if made is None:
            made = self.vertices[v] = Vertex(self.arns[v], self.vtypes[v], self.kinds[v])
        return made

    # -- writes (each returns False when the index can no longer be trusted) ------------------

    def has_entity(self, arn: str) -> bool:
        known = self.ids.get(arn)
        return known is not None and bool(self.alive[known])

    def add_entity(
        self, arn: str, kind: str, entity_type: str | None, created: float, modified: float
    ) -> bool:
        v = self.intern(arn)
        if not self.alive[v]:
            self.dead -= 1
            self.alive[v] = 1
        self.kinds[v], self.vtypes[v] = _types(kind, entity_type)
        self.vertices[v] = None
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
        if self.alive[v]:
            self.dead += 1
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
        self.dead = 0
        self.out = [[] for _ in range(n)]
        self.out_types = [[] for _ in range(n)]
        self.inc = [[] for _ in range(n)]
        self.vertices = [None] * n
        self._steps.clear()  # they named the lists just replaced


@functools.lru_cache(maxsize=4096)
def _types(kind: str, entity_type: str | None) -> tuple[str, str | None]:
    """(LineageType, vertex Type), one shared pair of strings per distinct input."""
    return sys.intern(kind), vertex_type(kind, entity_type)


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
