"""Tag rows on any ARN, with the cap on tagged ARNs that are no lineage entity."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from viz_app.core.errors import ResourceLimitExceeded
from viz_app.core.store.database import Database

UPSERT_TAG = (
    "INSERT INTO tags (arn, key, value) VALUES (?,?,?)"
    " ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value"
)


def put_tags(conn: sqlite3.Connection, arn: str, tags: Sequence[tuple[str, str]]) -> None:
    put_many_tags(conn, [(arn, k, v) for k, v in tags])


def put_many_tags(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str]]) -> None:
    conn.executemany(UPSERT_TAG, rows)


class TagTable(Database):
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
            put_tags(conn, arn, tags)
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
