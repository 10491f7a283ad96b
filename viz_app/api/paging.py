"""Paging, declared once: opaque NextToken values (base64 JSON bound to the query they
continue), their shape checks, and MaxResults bounds.

Each list operation declares a `Pager` (the shape of its positions, its default and largest
page size); a handler opens a `Cursor` on the request with the members its tokens must not
outlive, reads `after` / `keyset()`, and `cut`s the rows it fetched (one more than a page)
into the page and the NextToken after it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from viz_app.api.shapes import invalid
from viz_app.core.errors import ValidationError
from viz_app.core.store import Page

T = TypeVar("T")
Params = dict[str, Any]


def fingerprint(query: Any) -> str:
    """A short stable digest of the request members a token must not outlive."""
    text = json.dumps(query, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def encode_token(position: Any, query_fingerprint: str) -> str:
    raw = json.dumps({"p": position, "f": query_fingerprint}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii")


def keyset(columns: int) -> Callable[[Any], bool]:
    """A position check for keyset paging: `[sort key, arn, ...]`, `columns` values in all,
    the sort key a string or a number, the rest strings."""

    def check(position: Any) -> bool:
        if not isinstance(position, list) or len(position) != columns:
            return False
        key, *rest = position
        sortable = isinstance(key, str | int | float) and not isinstance(key, bool)
        return sortable and all(isinstance(part, str) for part in rest)

    return check


def is_text(position: Any) -> bool:
    return isinstance(position, str)


def is_offset(position: Any) -> bool:
    return isinstance(position, int) and not isinstance(position, bool) and position >= 0


BAD_TOKEN = "Invalid pagination token: use the NextToken of the same request."


def decode_token(token: str, query_fingerprint: str, valid: Callable[[Any], bool]) -> Any:
    """The position in `token`; ValidationException unless it was made for this query and
    holds a position of the shape `valid` accepts (a forged one never reaches the store)."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error, RecursionError):
        payload = None
    if (
        not isinstance(payload, dict)
        or payload.get("f") != query_fingerprint
        or "p" not in payload
        or not valid(payload["p"])
    ):
        raise ValidationError(BAD_TOKEN)
    return payload["p"]


@dataclass(frozen=True)
class Pager:
    """How one operation pages: the shape its positions must have, and its page sizes
    (`default` when MaxResults is not given, at most `most` whatever is asked)."""

    position: Callable[[Any], bool]
    default: int = 10
    most: int | None = None

    def size(self, p: Params) -> int:
        """MaxResults within bounds; ValidationException below 1 (where the model allows it)."""
        size: int = p.get("MaxResults", self.default)
        if size < 1:
            raise invalid(size, "maxResults", "Member must have value greater than or equal to 1")
        return size if self.most is None else min(size, self.most)

    def open(self, p: Params, query: Any, size: int | None = None) -> Cursor:
        """The request's place in the listing of `query` (the members a token is bound to)."""
        fp = fingerprint(query)
        after = decode_token(p["NextToken"], fp, self.position) if p.get("NextToken") else None
        return Cursor(fp, self.size(p) if size is None else size, after)


@dataclass(frozen=True)
class Cursor:
    """Where one list request starts (`after`: the decoded position, None on the first page)
    and how many items it answers."""

    fingerprint: str
    size: int
    after: Any

    def keyset(self) -> Page:
        """The store's keyset page: strictly after `after`, one row more than a page (to know
        whether another follows)."""
        return Page(None if self.after is None else tuple(self.after), self.size + 1)

    def cut(self, rows: Sequence[T], key: Callable[[T], Any]) -> tuple[Sequence[T], Params]:
        """The page of `rows` (fetched one over the size) and the NextToken member after it:
        the position `key` gives its last row, when more rows follow."""
        if len(rows) <= self.size:
            return rows, {}
        page = rows[: self.size]
        return page, {"NextToken": encode_token(key(page[-1]), self.fingerprint)}

    def token(self, position: Any) -> Params:
        """The NextToken member continuing at `position` (None: this was the last page)."""
        return {} if position is None else {"NextToken": encode_token(position, self.fingerprint)}
