"""AWS JSON 1.1 on the wire: targets, credential-scope region, bodies and error documents."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from viz_app.core.errors import (
    LineageError,
    SerializationError,
    UnknownOperation,
    UnsupportedMediaType,
)

TARGET_PREFIX = "SageMaker."
CONTENT_TYPE = "application/x-amz-json-1.1"
ACCEPTED_CONTENT_TYPES = frozenset({CONTENT_TYPE, "application/json"})
MAX_BODY_BYTES = 5 * 1024 * 1024

_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/(?P<region>[a-z0-9-]+)/[^/]+/aws4_request")


def operation_from_target(target: str | None) -> str:
    """`SageMaker.QueryLineage` -> `QueryLineage`."""
    if not target or not target.startswith(TARGET_PREFIX) or len(target) == len(TARGET_PREFIX):
        raise UnknownOperation(
            f"The X-Amz-Target header must name a SageMaker operation, got {target!r}."
        )
    return target[len(TARGET_PREFIX) :]


def region_from_authorization(header: str | None, default: str) -> str:
    """The region of the SigV4 credential scope; the signature itself is not checked."""
    if header:
        match = _SCOPE.search(header)
        if match:
            return match.group("region")
    return default


def check_content_type(value: str | None) -> None:
    media = (value or "").split(";", 1)[0].strip().lower()
    if media not in ACCEPTED_CONTENT_TYPES:
        raise UnsupportedMediaType(f"Content-Type must be {CONTENT_TYPE}, got {value or 'none'}.")


def decode_body(raw: bytes) -> dict[str, Any]:
    """The request's JSON object; an empty body is `{}`."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(
            raw.decode("utf-8"), parse_constant=_reject_constant, parse_float=_finite_float
        )
        # Escapes like "\ud800" decode to lone surrogates that no store or response can hold.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, json.JSONDecodeError, RecursionError) as err:
        raise SerializationError(f"The request body is not valid JSON: {err}.") from None
    if not isinstance(value, dict):
        raise SerializationError("The request body must be a JSON object.")
    return value


def _reject_constant(name: str) -> Any:
    raise SerializationError(f"The request body is not valid JSON: {name} is not a number.")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise SerializationError(f"The request body is not valid JSON: {text} is out of range.")
    return number


def encode_body(value: dict[str, Any]) -> bytes:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8", errors="replace")


def error_document(err: LineageError) -> bytes:
    return encode_body({"__type": err.code, "message": err.message})
