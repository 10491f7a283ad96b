"""The read-only allow-list, and the guard every boto3 client lineage-viz builds carries.

lineage-viz only reads (app, evidence, notebook). An operation is a read when its name starts
with Describe, List or Get, or it is QueryLineage or Search. The guard refuses anything else
twice over: by name before botocore builds the request, and again by the wire
`X-Amz-Target` just before sending (every attempt, retries included).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

READ_PREFIXES: Final = ("Describe", "List", "Get")
READ_OPERATIONS: Final = frozenset({"QueryLineage", "Search"})
_GUARDED: Final = "_lineage_viz_read_only"  # set on a client once its guard is registered


class ReadOnlyViolation(RuntimeError):
    """A non-read operation was refused before anything left the process."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"refused {operation}: lineage-viz only reads")
        self.operation = operation


def is_read_operation(name: str) -> bool:
    """True for the operations the guard lets through (wire names, e.g. `ListArtifacts`)."""
    return name.startswith(READ_PREFIXES) or name in READ_OPERATIONS


def guard(client: Any) -> Any:
    """Make `client` refuse every operation that is not a read; returns the client.

    Guarding a client twice registers nothing new.
    """
    if getattr(client, "__dict__", {}).get(_GUARDED):  # its own mark, not one it delegates to
        return client
    refuse_by_name(client, is_read_operation)
    refuse_on_wire(client, is_read_operation)
    setattr(client, _GUARDED, True)
    return client


def refuse_by_name(client: Any, is_allowed: Callable[[str], bool]) -> None:
    """Refuse an operation by its model name, before botocore builds the request."""

    def check_model(model: Any, **_: Any) -> None:
        name = str(getattr(model, "name", "?"))
        if not is_allowed(name):
            raise ReadOnlyViolation(name)

    client.meta.events.register("before-parameter-build", check_model)


def refuse_on_wire(client: Any, is_allowed: Callable[[str], bool]) -> None:
    """Refuse a request by its `X-Amz-Target` header just before it is sent (`before-send`
    is emitted for every attempt of every request, retries included)."""

    def check_wire(request: Any, **_: Any) -> None:
        headers = getattr(request, "headers", {}) or {}
        target = headers.get("X-Amz-Target")
        if isinstance(target, bytes):
            target = target.decode("utf-8", "replace")
        if target:
            operation = str(target).rsplit(".", 1)[-1]
            if not is_allowed(operation):
                raise ReadOnlyViolation(operation)

    client.meta.events.register("before-send", check_wire)
