"""Hypothesis strategies for SageMaker lineage requests, driven by botocore's input shapes.

`valid_request(op, pool)` respects every min/max/pattern/enum of the model; `invalid_request`
takes a valid one and breaks it (wrong JSON types, over-long values, bad patterns, unknown enums,
missing members, huge lists, deep nesting, bad bytes); `broken_frame` breaks the HTTP framing
and headers instead. Each case says whether the service must refuse it (`must_fail`).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import regex
from botocore.model import Shape
from hypothesis import strategies as st
from reliability_helpers import ARN_PREFIX, AUTHORIZATION, CONTENT_TYPE

from viz_app.api.operations import OPERATIONS
from viz_app.api.shapes import service_model

OPERATION_NAMES = sorted(OPERATIONS)
MAX_COLLECTION = 3  # items per generated list/map (the model's max is still honoured)
MAX_TEXT = 24  # characters of free text, besides the exact-maximum case


@dataclass
class Pool:
    """Entities that exist in the store, so generated requests reach deep into the handlers."""

    artifacts: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)  # names
    actions: list[str] = field(default_factory=list)  # names
    trial_components: list[str] = field(default_factory=list)  # names
    source_uris: list[str] = field(default_factory=list)

    def arns(self) -> list[str]:
        return (
            self.artifacts
            + [f"{ARN_PREFIX}:context/{n}" for n in self.contexts]
            + [f"{ARN_PREFIX}:action/{n}" for n in self.actions]
            + [f"{ARN_PREFIX}:experiment-trial-component/{n}" for n in self.trial_components]
        )


@dataclass
class Case:
    """One request to send: operation (None = no usable target), raw body, headers or raw head."""

    operation: str | None
    body: bytes
    kind: str
    must_fail: bool
    headers: dict[str, str] | None = None  # None: the default, well-formed headers
    raw_head: str | None = None  # hand-framed request line and headers (send_raw)


def _python_pattern(pattern: str) -> str | None:
    try:
        re.compile(pattern)
    except re.error:
        return None
    return pattern


@functools.cache
def _matches(pattern: str, value: str) -> bool:
    return regex.compile(pattern).fullmatch(value) is not None


def _tag_text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Hand-made values for the tag pattern `[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*` (not Python re)."""
    alphabet = st.characters(categories=["L", "N", "Zs"]) | st.sampled_from("_.:/=+-@")
    return st.text(alphabet, min_size=min_size, max_size=min(max_size, MAX_TEXT))


def _string(shape: Shape, pool: Pool) -> st.SearchStrategy[str]:
    meta = shape.metadata
    lo, hi = int(meta.get("min", 0)), int(meta.get("max", 2048))
    if getattr(shape, "enum", None):
        return st.sampled_from(list(shape.enum))
    known = _pool_values(shape.name, pool)
    pattern = meta.get("pattern")
    generated: st.SearchStrategy[str]
    if pattern and pattern != ".*":
        python = _python_pattern(pattern)
        if python is None:
            generated = _tag_text(lo, hi)
        else:
            generated = st.from_regex(python, fullmatch=True).filter(lambda s: lo <= len(s) <= hi)
    else:
        text = st.text(
            st.characters(exclude_categories=["Cs"], exclude_characters="\n\r"),
            min_size=lo,
            max_size=min(hi, MAX_TEXT),
        )
        generated = st.one_of(text, st.just("é" * hi)) if hi <= 8192 else text
    if known:
        return st.one_of(st.sampled_from(known), generated)
    return generated


def _pool_values(shape_name: str, pool: Pool) -> list[str]:
    arns = pool.arns()
    return {
        "ArtifactArn": pool.artifacts,
        "AssociationEntityArn": arns,
        "ResourceArn": arns,
        "ContextName": pool.contexts,
        "ContextNameOrArn": pool.contexts + [a for a in arns if ":context/" in a],
        "ExperimentEntityName": pool.actions + pool.trial_components,
        "ExperimentEntityNameOrArn": pool.actions
        + pool.trial_components
        + [a for a in arns if ":action/" in a or ":experiment-trial-component/" in a],
        "SourceUri": pool.source_uris,
    }.get(shape_name, [])


def value_for(shape: Shape, pool: Pool, depth: int = 0) -> st.SearchStrategy[Any]:
    """A valid wire value for `shape`."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        required = {
            n: value_for(m, pool, depth + 1)
            for n, m in shape.members.items()
            if n in shape.required_members
        }
        optional = {
            n: value_for(m, pool, depth + 1)
            for n, m in shape.members.items()
            if n not in shape.required_members and depth < 6
        }
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "list":
        lo = int(meta.get("min", 0))
        hi = min(int(meta.get("max", MAX_COLLECTION)), max(lo, MAX_COLLECTION))
        return st.lists(value_for(shape.member, pool, depth + 1), min_size=lo, max_size=hi)
    if kind == "map":
        lo = int(meta.get("min", 0))
        hi = min(int(meta.get("max", MAX_COLLECTION)), max(lo, MAX_COLLECTION))
        return st.dictionaries(
            _string(shape.key, pool),
            value_for(shape.value, pool, depth + 1),
            min_size=lo,
            max_size=hi,
        )
    if kind == "string":
        return _string(shape, pool)
    if kind in ("integer", "long"):
        lo = meta.get("min", -(2**31))
        hi = meta.get("max", 2**31 - 1)
        return st.integers(lo, hi)
    if kind in ("double", "float"):
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.one_of(
            st.integers(0, 4_102_444_800),
            st.floats(0, 4_102_444_800),
            st.sampled_from(["2026-03-02T09:00:00Z", "2020-01-01T00:00:00+00:00"]),
        )
    raise NotImplementedError(f"no strategy for {kind} shape {shape.name}")


def input_shape(operation: str) -> Shape:
    return service_model().operation_model(operation).input_shape


def valid_params(operation: str, pool: Pool) -> st.SearchStrategy[dict[str, Any]]:
    return value_for(input_shape(operation), pool)


def valid_request(pool: Pool) -> st.SearchStrategy[Case]:
    """A valid request for any implemented operation."""
    return st.sampled_from(OPERATION_NAMES).flatmap(
        lambda op: valid_params(op, pool).map(
            lambda params: Case(op, json.dumps(params).encode(), "valid", must_fail=False)
        )
    )


# -- breaking a valid request ---------------------------------------------------------------------

Path = tuple[Any, ...]


def slots(shape: Shape, value: Any, path: Path = ()) -> Iterator[tuple[Path, Shape, Any]]:
    """Every (path, shape, value) in a valid request, the root included."""
    yield path, shape, value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for name, item in value.items():
            if name in shape.members:
                yield from slots(shape.members[name], item, (*path, name))
    elif kind == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            yield from slots(shape.member, item, (*path, index))
    elif kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            yield from slots(shape.value, item, (*path, key))


def replaced(value: Any, path: Path, new: Any) -> Any:
    if not path:
        return new
    out = copy.deepcopy(value)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return out


_WRONG_TYPES: dict[str, list[Any]] = {
    "structure": ["text", 7, [1], True],
    "list": ["text", 7, {"a": 1}, True],
    "map": ["text", 7, ["a"], True],
    "string": [12345, 1.5, True, ["x"], {"x": "y"}],
    "integer": ["12", 1.5, True, [1], {}],
    "long": ["12", 1.5, True, [1], {}],
    "double": ["1.5", True, [1], {}],
    "float": ["1.5", True, [1], {}],
    "boolean": [1, "true", [True], {}],
    "timestamp": [True, [1], {}, "not a date"],
}
_BAD_PATTERN_CANDIDATES = ("!bad value!", "-", "a_b", " x", "arn:aws:sagemaker:zz:1:x/y", "é")


def _over_max(shape: Shape, current: Any) -> list[Any]:
    meta = shape.metadata
    kind = shape.type_name
    out: list[Any] = []
    if kind == "string" and "max" in meta:
        out += ["a" * (meta["max"] + 1), "é" * (meta["max"] + 1)]
    if kind == "string" and meta.get("min", 0) > 0:
        out.append("")
    if kind in ("integer", "long"):
        if "max" in meta:
            out.append(meta["max"] + 1)
        if "min" in meta:
            out.append(meta["min"] - 1)
    if kind == "list" and "max" in meta:
        item = current[0] if current else "x"
        out.append([item] * (meta["max"] + 1))
    if kind == "map" and "max" in meta:
        item = next(iter(current.values())) if current else "x"
        out.append({f"k{i}": item for i in range(meta["max"] + 1)})
    return out


def _breakages(shape: Shape, current: Any) -> list[tuple[str, Any, bool]]:
    """Ways to break one slot: (kind, new value, whether the service must refuse it)."""
    kind = shape.type_name
    out: list[tuple[str, Any, bool]] = [("wrong-type", v, True) for v in _WRONG_TYPES[kind]]
    out += [("over-limit", v, True) for v in _over_max(shape, current)]
    if kind == "string" and getattr(shape, "enum", None):
        out.append(("unknown-enum", "NotAValidEnumValue", True))
    pattern = shape.metadata.get("pattern")
    if kind == "string" and pattern and pattern != ".*":
        lo, hi = shape.metadata.get("min", 0), shape.metadata.get("max", 10_000)
        for candidate in _BAD_PATTERN_CANDIDATES:
            if lo <= len(candidate) <= hi and not _matches(pattern, candidate):
                out.append(("bad-pattern", candidate, True))
                break
    if kind == "list" and "max" not in shape.metadata:
        item = current[0] if current else "x"
        out.append(("huge-list", [item] * 10_000, False))
    if kind in ("integer", "long", "timestamp", "double", "float"):
        out += [("huge-number", v, False) for v in (10**30, -(10**30), 10**400)]
    out.append(("deep-nesting", _nested(200), True))
    out.append(("null", None, False))
    return out


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _missing_required(shape: Shape, params: dict[str, Any]) -> list[tuple[Path, str]]:
    out = []
    for path, slot_shape, value in slots(shape, params):
        if slot_shape.type_name == "structure" and isinstance(value, dict):
            out += [(path, name) for name in slot_shape.required_members if name in value]
    return out


def _without(value: Any, path: Path, name: str) -> Any:
    out = copy.deepcopy(value)
    target = out
    for step in path:
        target = target[step]
    del target[name]
    return out


@st.composite
def invalid_request(draw: st.DrawFn, pool: Pool) -> Case:
    """A valid request broken in one place, or a body that is not a request at all."""
    op = draw(st.sampled_from(OPERATION_NAMES))
    shape = input_shape(op)
    params = draw(valid_params(op, pool))
    mode = draw(st.sampled_from(["slot", "slot", "slot", "missing", "body"]))
    if mode == "missing":
        missing = _missing_required(shape, params)
        if missing:
            path, name = draw(st.sampled_from(missing))
            body = json.dumps(_without(params, path, name)).encode()
            return Case(op, body, "missing-required", must_fail=True)
        mode = "body"
    if mode == "body":
        kind, body, must_fail = draw(st.sampled_from(_BAD_BODIES))
        return Case(op, body, kind, must_fail)
    candidates = [(p, s, v) for p, s, v in slots(shape, params) if p]
    if not candidates:
        kind, body, must_fail = draw(st.sampled_from(_BAD_BODIES))
        return Case(op, body, kind, must_fail)
    path, slot_shape, current = draw(st.sampled_from(candidates))
    kind, new, must_fail = draw(st.sampled_from(_breakages(slot_shape, current)))
    body = json.dumps(replaced(params, path, new)).encode()
    if draw(st.booleans()) and slot_shape.type_name == "string" and kind == "wrong-type":
        # the same slot holding a lone UTF-16 surrogate: valid JSON, not a valid Unicode string
        body = json.dumps(replaced(params, path, "\ud800x")).encode()
        kind, must_fail = "lone-surrogate", False
    return Case(op, body, kind, must_fail)


_BAD_BODIES: list[tuple[str, bytes, bool]] = [
    ("non-utf8", b'\xff\xfe{"a": "\xc3\x28"}', True),
    ("non-utf8", b'{"ArtifactArn": "\xed\xa0\x80"}', True),
    ("body-array", b"[1, 2, 3]", True),
    ("body-string", b'"QueryLineage"', True),
    ("body-number", b"42", True),
    ("body-null", b"null", True),
    ("body-true", b"true", True),
    ("truncated-json", b'{"StartArns": ["arn:aws', True),
    ("deep-nesting", b"[" * 100_000 + b"]" * 100_000, True),
    ("deep-nesting", b'{"a":' * 5_000 + b"1" + b"}" * 5_000, False),
    ("nan-literal", b'{"MaxResults": NaN, "CreatedAfter": Infinity}', False),
    ("duplicate-keys", b'{"MaxResults": 5, "MaxResults": 500}', False),
    ("empty-body", b"", False),
    ("whitespace-body", b"   \n ", False),
]


# -- breaking the HTTP framing and headers --------------------------------------------------------


@st.composite
def broken_frame(draw: st.DrawFn, pool: Pool) -> Case:
    """A request whose headers or framing are wrong (sent as hand-written bytes)."""
    op = draw(st.sampled_from(OPERATION_NAMES))
    body = json.dumps(draw(valid_params(op, pool))).encode()
    target = f"SageMaker.{op}"
    choice = draw(
        st.sampled_from(
            [
                "unknown-target",
                "no-target",
                "bare-target",
                "prefix-only-target",
                "wrong-content-type",
                "no-content-type",
                "content-length-text",
                "content-length-negative",
                "content-length-huge",
                "content-length-short",
                "content-length-long",
                "wrong-method",
                "wrong-path",
                "chunked",
            ]
        )
    )
    headers = {"Content-Type": CONTENT_TYPE, "Authorization": AUTHORIZATION, "X-Amz-Target": target}
    length: str | None = str(len(body))
    method, path, must_fail, operation = "POST", "/", True, None
    if choice == "unknown-target":
        headers["X-Amz-Target"] = draw(
            st.sampled_from(
                ["SageMaker.NoSuchOperation", "SageMaker.createArtifact", "S3.ListBuckets"]
            )
        )
    elif choice == "no-target":
        del headers["X-Amz-Target"]
    elif choice == "bare-target":
        headers["X-Amz-Target"] = op
    elif choice == "prefix-only-target":
        headers["X-Amz-Target"] = "SageMaker."
    elif choice == "wrong-content-type":
        headers["Content-Type"] = draw(
            st.sampled_from(["text/plain", "application/xml", "multipart/form-data; boundary=x"])
        )
    elif choice == "no-content-type":
        del headers["Content-Type"]
    elif choice == "content-length-text":
        length = "twelve"
    elif choice == "content-length-negative":
        length = "-5"
    elif choice == "content-length-huge":
        length = str(draw(st.sampled_from([5 * 1024 * 1024 + 1, 10**12, 10**30])))
    elif choice == "content-length-short":
        length, must_fail, operation = str(max(0, len(body) // 2)), False, op
    elif choice == "content-length-long":
        length, must_fail, operation = str(len(body) + 100), False, op
    elif choice == "wrong-method":
        method = draw(st.sampled_from(["GET", "PUT", "DELETE", "PATCH"]))
    elif choice == "wrong-path":
        path = draw(st.sampled_from(["/x", "/../etc/passwd", "/?a=1&b"]))
        if path == "/?a=1&b":
            must_fail, operation = False, op
    elif choice == "chunked":
        length, must_fail, operation = None, False, op
        headers["Transfer-Encoding"] = "chunked"
        body = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return Case(operation, body, choice, must_fail, raw_head="\r\n".join(lines) + "\r\n")
