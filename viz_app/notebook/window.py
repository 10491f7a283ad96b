"""The caller's boto3 client seen through a read-only window; their client stays theirs.

A notebook user hands us their own client, often one they write with. The window refuses
every operation that is not a read before it reaches that client; the app's guard,
registered on the window's `meta.events`, checks again on the wire, for the window's own
requests only. The caller's calls on their client never meet either check.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from botocore.hooks import HierarchicalEmitter

from viz_app.client.read_only import ReadOnlyViolation, is_read_operation

# The window whose call is running in this thread (or task): its hooks fire, no other's.
_SENDING: ContextVar[object | None] = ContextVar("lineage_viz_window", default=None)


class _WindowEvents:
    """What a window's `meta.events` is: a hook registered here runs on the caller's client's
    own events (so it sees every request that really goes out), but only for requests this
    window sends."""

    def __init__(self, window: object, events: Any) -> None:
        self._window = window
        self._events = events

    def _scoped(self, handler: Callable[..., Any]) -> Callable[..., Any]:
        window = self._window

        def scoped(**kwargs: Any) -> Any:
            return handler(**kwargs) if _SENDING.get() is window else None

        return scoped

    def register(self, event_name: str, handler: Callable[..., Any], **kwargs: Any) -> None:
        self._events.register(event_name, self._scoped(handler), **kwargs)

    def register_first(self, event_name: str, handler: Callable[..., Any], **kwargs: Any) -> None:
        self._events.register_first(event_name, self._scoped(handler), **kwargs)

    def register_last(self, event_name: str, handler: Callable[..., Any], **kwargs: Any) -> None:
        self._events.register_last(event_name, self._scoped(handler), **kwargs)


class Meta:
    """A client's `meta` whose `events` are the window's (`_WindowEvents`), or private ones
    when there is no client."""

    def __init__(self, meta: Any, events: Any = None) -> None:
        self._meta = meta
        self.events = events if events is not None else HierarchicalEmitter()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._meta, name)


class ReadOnlyClient:
    """The read-only window onto `client` (see the module's docstring)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.meta = Meta(client.meta, _WindowEvents(self, client.meta.events))

    def __getattr__(self, name: str) -> Any:
        operation = self._client.meta.method_to_api_mapping.get(name)
        if operation is None:
            return getattr(self._client, name)
        if not is_read_operation(operation):
            raise ReadOnlyViolation(operation)
        method = getattr(self._client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            token = _SENDING.set(self)
            try:
                return method(*args, **kwargs)
            finally:
                _SENDING.reset(token)

        return call


def unwrap_client(client: Any) -> Any:
    """A boto3 SageMaker client from a client or a `sagemaker.Session`."""
    inner = getattr(client, "sagemaker_client", None)
    return inner if inner is not None else client
