"""Opaque NextToken values: base64 JSON bound to the query they continue."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from viz_app.core.errors import ValidationError


def fingerprint(query: Any) -> str:
    """A short stable digest of the request members a token must not outlive."""
    text = json.dumps(query, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def encode_token(position: Any, query_fingerprint: str) -> str:
    raw = json.dumps({"p": position, "f": query_fingerprint}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii")


def decode_token(token: str, query_fingerprint: str) -> Any:
    """The position in `token`; ValidationException unless it was made for this query."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        payload = None
    if not isinstance(payload, dict) or payload.get("f") != query_fingerprint or "p" not in payload:
        raise ValidationError("Invalid pagination token: use the NextToken of the same request.")
    return payload["p"]
