"""Check SageMaker responses against botocore's output shapes (raw wire JSON and parsed dicts)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

import botocore.session
import regex
from botocore.model import OperationModel, ServiceModel, Shape

JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
ERROR_CODES_4XX = {
    "ValidationException",
    "ResourceNotFound",
    "ResourceLimitExceeded",
    "ConflictException",
    "ResourceInUse",
    "ThrottlingException",
}


@functools.cache
def service_model() -> ServiceModel:
    """botocore's SageMaker service model, loaded once."""
    return botocore.session.get_session().get_service_model("sagemaker")


def operation_model(name: str) -> OperationModel:
    return service_model().operation_model(name)


@functools.cache
def _compiled(pattern: str) -> Any:
    try:
        return regex.compile(pattern)
    except regex.error:
        return None


def _check_string(value: Any, shape: Shape, path: str, problems: list[str]) -> None:
    if not isinstance(value, str):
        problems.append(f"{path}: expected string, got {type(value).__name__} {value!r}")
        return
    meta = shape.metadata
    enum = getattr(shape, "enum", None) or meta.get("enum")
    if enum and value not in enum:
        problems.append(f"{path}: {value!r} is not one of {enum}")
    if "max" in meta and len(value) > meta["max"]:
        problems.append(f"{path}: length {len(value)} > max {meta['max']}")
    if "min" in meta and len(value) < meta["min"]:
        problems.append(f"{path}: length {len(value)} < min {meta['min']}")
    pattern = meta.get("pattern")
    if pattern:
        compiled = _compiled(pattern)
        if compiled is not None and compiled.fullmatch(value) is None:
            problems.append(f"{path}: {value!r} does not match pattern {pattern!r}")


def _check_timestamp(value: Any, path: str, wire: bool, problems: list[str]) -> None:
    if wire:
        ok = (isinstance(value, int | float) and not isinstance(value, bool)) or isinstance(
            value, str
        )
    else:
        ok = isinstance(value, dt.datetime)
    if not ok:
        problems.append(f"{path}: bad timestamp {value!r}")


def _check(value: Any, shape: Shape, path: str, wire: bool, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected object, got {type(value).__name__}")
            return
        members = shape.members
        for key in value:
            if key not in members:
                problems.append(f"{path}.{key}: unknown member of {shape.name}")
        for key in shape.required_members:
            if key not in value:
                problems.append(f"{path}.{key}: required member of {shape.name} missing")
        for key, item in value.items():
            if key in members:
                _check(item, members[key], f"{path}.{key}", wire, problems)
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected list, got {type(value).__name__}")
            return
        meta = shape.metadata
        if "max" in meta and len(value) > meta["max"]:
            problems.append(f"{path}: {len(value)} items > max {meta['max']}")
        for index, item in enumerate(value):
            _check(item, shape.member, f"{path}[{index}]", wire, problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected map, got {type(value).__name__}")
            return
        meta = shape.metadata
        if "max" in meta and len(value) > meta["max"]:
            problems.append(f"{path}: {len(value)} entries > max {meta['max']}")
        for key, item in value.items():
            _check(key, shape.key, f"{path}<key {key!r}>", wire, problems)
            _check(item, shape.value, f"{path}[{key!r}]", wire, problems)
    elif kind == "string":
        _check_string(value, shape, path, problems)
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: expected integer, got {value!r}")
    elif kind in ("double", "float"):
        if not isinstance(value, int | float) or isinstance(value, bool):
            problems.append(f"{path}: expected number, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected boolean, got {value!r}")
    elif kind == "timestamp":
        _check_timestamp(value, path, wire, problems)
    elif kind == "blob":
        if not isinstance(value, str | bytes):
            problems.append(f"{path}: expected blob, got {value!r}")
    else:
        problems.append(f"{path}: unhandled shape type {kind}")


def shape_problems(operation: str, body: dict[str, Any], *, wire: bool) -> list[str]:
    """Every way `body` departs from the operation's output shape (empty list when it conforms).

    `wire=True` checks the raw JSON (timestamps as numbers or strings); `wire=False` checks a
    dict parsed by botocore (timestamps as datetimes; ResponseMetadata ignored).
    """
    shape = operation_model(operation).output_shape
    body = {k: v for k, v in body.items() if wire or k != "ResponseMetadata"}
    if shape is None:
        return [] if not body else [f"{operation}: output should be empty, got {body!r}"]
    problems: list[str] = []
    _check(body, shape, operation, wire, problems)
    return problems


def assert_output_shape(operation: str, body: dict[str, Any], *, wire: bool) -> None:
    problems = shape_problems(operation, body, wire=wire)
    assert not problems, f"{operation} response breaks botocore's output shape:\n" + "\n".join(
        problems
    )


def error_problems(status: int, headers: dict[str, str], raw: bytes) -> list[str]:
    """Every way an error response departs from the AWS JSON 1.1 error convention."""
    problems: list[str] = []
    try:
        body = json.loads(raw)
    except ValueError:
        return [f"error body is not JSON: {raw[:200]!r}"]
    if not isinstance(body, dict):
        return [f"error body is not an object: {body!r}"]
    code = body.get("__type")
    if not isinstance(code, str) or not code:
        problems.append(f"error body has no __type: {body!r}")
    if not isinstance(body.get("message", body.get("Message")), str):
        problems.append(f"error body has no message: {body!r}")
    if code == "InternalFailure" or status >= 500:
        problems.append(f"server answered {status} {code}: {body!r}")
    elif not 400 <= status < 500:
        problems.append(f"error status {status} is not 4xx for {code}")
    if code in ERROR_CODES_4XX and status != 400:
        problems.append(f"{code} should be HTTP 400, got {status}")
    return problems


def install_response_checks(client: Any, failures: list[str] | None = None) -> Any:
    """Check every response `client` receives: success bodies against the output shape
    (both raw JSON and parsed), headers, and error bodies against the AWS error convention.

    A problem raises AssertionError inside the call (and is appended to `failures` if given).
    """

    def after_call(
        http_response: Any, parsed: dict[str, Any], model: OperationModel, **_: Any
    ) -> None:
        problems: list[str] = []
        headers = {k.lower(): v for k, v in http_response.headers.items()}
        if http_response.status_code == 200:
            if headers.get("content-type") != JSON_CONTENT_TYPE:
                problems.append(f"content-type {headers.get('content-type')!r}")
            if not headers.get("x-amzn-requestid"):
                problems.append("x-amzn-RequestId header missing")
            raw = http_response.content
            wire_body = json.loads(raw) if raw.strip() else {}
            if not isinstance(wire_body, dict):
                problems.append(f"body is not a JSON object: {raw[:200]!r}")
            else:
                problems += shape_problems(model.name, wire_body, wire=True)
            problems += shape_problems(model.name, parsed, wire=False)
        else:
            problems += error_problems(http_response.status_code, headers, http_response.content)
        if problems:
            message = f"{model.name}: " + "; ".join(problems)
            if failures is not None:
                failures.append(message)
            raise AssertionError(message)

    handler: Callable[..., None] = after_call
    client.meta.events.register("after-call.sagemaker", handler)
    return client
