"""Validate requests against botocore's SageMaker model: the checks botocore leaves to the server.

botocore checks required members, types and `min` on the client; SageMaker itself enforces `max`,
patterns and enums. We validate everything here from the installed service model, so the rules
can never drift from the shapes boto3 sends, and answer in AWS's wording:
`1 validation error detected: Value '200' at 'maxResults' failed to satisfy constraint: ...`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any

import botocore.session
import regex

from viz_app.core.errors import SerializationError, ValidationError

_MAX_SHOWN = 120  # echo at most this many characters of a bad value back
# Report at most this many problems (AWS caps its validation messages too): a body of a
# million bad list members gets a short answer, not one line per member.
MAX_ERRORS = 10


@functools.cache
def service_model() -> Any:
    """botocore's SageMaker service model (loaded once per process)."""
    return botocore.session.get_session().get_service_model("sagemaker")


@functools.cache
def _pattern(text: str) -> Any:
    return regex.compile(text)


def _field(name: str) -> str:
    return name[:1].lower() + name[1:]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list | dict):
        text = _bounded(value)
    else:
        text = str(value)
    if len(text) > _MAX_SHOWN:
        text = text[:_MAX_SHOWN] + "..."
    return text


def _bounded(value: list[Any] | dict[Any, Any]) -> str:
    """`str(value)` up to a little past `_MAX_SHOWN` characters, without building all of it
    (a list of a million members would cost hundreds of megabytes)."""
    parts = (
        [f"{k!r}: {v!r}" for k, v in _first(value.items())]
        if isinstance(value, dict)
        else [repr(item) for item in _first(value)]
    )
    text = ", ".join(parts)
    open_, close = "{}" if isinstance(value, dict) else "[]"
    return open_ + text + (", ..." if len(parts) < len(value) else "") + close


def _first(items: Any) -> list[Any]:
    out: list[Any] = []
    size = 0
    for item in items:
        if size > _MAX_SHOWN:
            break
        out.append(item)
        size += len(repr(item)[: _MAX_SHOWN + 1]) + 2
    return out


class _Collector:
    def __init__(self) -> None:
        self.errors: list[str] = []

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_ERRORS

    def add(self, value: Any, path: str, constraint: str) -> None:
        if self.full:
            return
        shown = "null" if value is None else f"'{_shown(value)}'"
        self.errors.append(f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}")


def parse_timestamp(value: Any) -> float | None:
    """Epoch seconds from a wire timestamp (number, or ISO-8601 string); None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _finite(value)
    if isinstance(value, str):
        try:
            return _finite(float(value))
        except (ValueError, OverflowError):
            pass
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed.timestamp()
    return None


_MAX_EPOCH = 253402300799.0  # 9999-12-31T23:59:59Z: beyond it no client can parse the time


def _finite(value: float) -> float | None:
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) and abs(number) <= _MAX_EPOCH else None


def _type_error(path: str, expected: str) -> SerializationError:
    return SerializationError(f"Expected {expected} at '{path}'.")


def _check(shape: Any, value: Any, path: str, out: _Collector) -> None:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            raise _type_error(path or "body", "a JSON object")
        for name in shape.required_members:
            if value.get(name) is None:
                out.add(None, _join(path, name), "Member must not be null")
        for name, member in shape.members.items():
            if out.full:
                return
            if name in value and value[name] is not None:
                _check(member, value[name], _join(path, name), out)
        return
    if kind == "list":
        if not isinstance(value, list):
            raise _type_error(path, "a JSON array")
        if _check_size(len(value), value, meta, path, out):
            return  # a list of the wrong size: its members are not looked at
        for index, item in enumerate(value, start=1):
            before = len(out.errors)
            if item is None:
                out.add(None, f"{path}.{index}.member", "Member must not be null")
            else:
                _check(shape.member, item, f"{path}.{index}.member", out)
            if len(out.errors) > before:
                return  # the first failing member is reported, not every one after it
        return
    if kind == "map":
        if not isinstance(value, dict):
            raise _type_error(path, "a JSON object")
        if _check_size(len(value), value, meta, path, out):
            return
        for key, item in value.items():
            before = len(out.errors)
            _check(shape.key, key, f"{path}.key", out)
            if item is None:
                out.add(None, f"{path}.value", "Member must not be null")
            else:
                _check(shape.value, item, f"{path}.value", out)
            if len(out.errors) > before:
                return
        return
    if kind == "string":
        if not isinstance(value, str):
            raise _type_error(path, "a string")
        if _check_size(len(value), value, meta, path, out):
            return
        if "enum" in shape.metadata or getattr(shape, "enum", None):
            allowed = list(shape.enum)
            if value not in allowed:
                out.add(value, path, f"Member must satisfy enum value set: [{', '.join(allowed)}]")
                return
        pattern = meta.get("pattern")
        if pattern and _pattern(pattern).fullmatch(value, timeout=1.0) is None:
            out.add(value, path, f"Member must satisfy regular expression pattern: {pattern}")
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _type_error(path, "an integer")
        if "min" in meta and value < meta["min"]:
            out.add(value, path, f"Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            out.add(value, path, f"Member must have value less than or equal to {meta['max']}")
        return
    if kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _type_error(path, "a number")
        try:
            finite = math.isfinite(float(value))
        except OverflowError:
            finite = False
        if not finite:
            raise _type_error(path, "a finite number")
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _type_error(path, "a boolean")
        return
    if kind == "timestamp":
        if parse_timestamp(value) is None:
            raise _type_error(path, "a timestamp (epoch seconds)")
        return


def _check_size(size: int, value: Any, meta: dict[str, Any], path: str, out: _Collector) -> bool:
    """Length/count bounds; True when the value already failed (skip pattern checks)."""
    if "min" in meta and size < meta["min"]:
        out.add(value, path, f"Member must have length greater than or equal to {meta['min']}")
        return True
    if "max" in meta and size > meta["max"]:
        out.add(value, path, f"Member must have length less than or equal to {meta['max']}")
        return True
    return False


def _join(path: str, name: str) -> str:
    return f"{path}.{_field(name)}" if path else _field(name)


def validate_input(operation: str, params: Any) -> None:
    """Raise ValidationError (or SerializationError for wrong JSON types) for a bad request."""
    shape = service_model().operation_model(operation).input_shape
    if shape is None:
        return
    out = _Collector()
    _check(shape, params, "", out)
    if out.errors:
        raise validation_failure(out.errors)


def validation_failure(errors: list[str]) -> ValidationError:
    """One ValidationError carrying every problem, in AWS's numbered-prefix style."""
    noun = "error" if len(errors) == 1 else "errors"
    return ValidationError(f"{len(errors)} validation {noun} detected: " + "; ".join(errors))


def invalid(value: Any, field: str, constraint: str) -> ValidationError:
    """A single-field ValidationError for rules the shapes cannot express."""
    out = _Collector()
    out.add(value, field, constraint)
    return validation_failure(out.errors)
