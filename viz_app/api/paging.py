"""Opaque NextToken values: base64 JSON bound to the query they continue."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from typing import Any

from viz_app.core.errors import ValidationError


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
