"""The one read-only guard every boto3 client lineage-viz builds carries (app, evidence, notebook).

Each caller says which operations it reads with; the guard refuses anything else twice over:
before botocore builds the request, and again on the wire `X-Amz-Target` just before sending.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ReadOnlyViolation(RuntimeError):
    """A non-read operation was refused before anything left the process."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"refused {operation}: lineage-viz only reads")
        self.operation = operation


def install_guard(client: Any, is_allowed: Callable[[str], bool]) -> Any:
    """Make `client` refuse every operation `is_allowed` rejects; returns the client."""
    refuse_by_name(client, is_allowed)
    refuse_on_wire(client, is_allowed)
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
