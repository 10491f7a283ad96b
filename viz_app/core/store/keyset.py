"""Keyset paging in SQL: resume strictly after the last row returned, never by OFFSET."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """Keyset paging position: the sort value and ARN (or pair) of the last row returned."""

    after: tuple[Any, ...] | None
    limit: int


def keyset_sql(
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
