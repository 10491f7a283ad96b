"""Which rows a table's "Download CSV" saves: those its grid shows, in its order.

assets/grid.js sends `{table, view, rows}`: the table (`vertices` or `edges`), the key of the
view the grid was filled from, and each shown row's index in that view's vertex or edge list,
or null when nothing is filtered or sorted (then every row, in the table's own order). The
request comes from the page, so it is checked like any input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

TABLES: Final = ("vertices", "edges")
STALE = "The table is still showing the previous view: wait a moment and download again."
BAD = "The table's rows could not be read: reload the page and download again."


class TableExportError(ValueError):
    """A table download that cannot be answered; its message says what to do."""


@dataclass(frozen=True)
class TableRequest:
    """A checked request: which table, and the row indexes to save (None: all rows)."""

    table: str
    rows: tuple[int, ...] | None


def table_request(request: Any, view_key: str | None, counts: Mapping[str, int]) -> TableRequest:
    """Check the page's request against the view on screen (`view_key`) and the number of
    rows of each table (`counts`)."""
    if not isinstance(request, dict) or request.get("table") not in TABLES:
        raise TableExportError(BAD)
    table = str(request["table"])
    if request.get("view") != view_key:
        raise TableExportError(STALE)
    rows = request.get("rows")
    if rows is None:
        return TableRequest(table, None)
    size = counts[table]
    if not isinstance(rows, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 <= i < size for i in rows
    ):
        raise TableExportError(BAD)
    if len(set(rows)) != len(rows):
        raise TableExportError(BAD)
    return TableRequest(table, tuple(rows))
