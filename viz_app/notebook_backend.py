"""The explorer backend for a notebook view: the given answer first, then the client or walks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, Final

from botocore.exceptions import ClientError
from botocore.hooks import HierarchicalEmitter

from viz_app.core.lineage import ASCENDANTS, BOTH, DESCENDANTS, walk
from viz_app.core.model import DEFAULT_REGION, EntityRecord, parse_arn
from viz_app.notebook_data import LineageInput
from viz_app.read_only import ReadOnlyViolation
from viz_app.ui import resolve as resolve_mod
from viz_app.ui.backends import MAX_PAGES, Backend, QueryResult, is_read_operation
from viz_app.ui.labels import short_label

OFFLINE_NOTE: Final = (
    "Drawn from the query response only: pass client= to render() for Describe details, "
    "tags and live re-rooting."
)
_KEYS: Final = {  # LineageType → (ARN key, name key, type key) of its Describe response
    "Artifact": ("ArtifactArn", "ArtifactName", "ArtifactType"),
    "Context": ("ContextArn", "ContextName", "ContextType"),
    "Action": ("ActionArn", "ActionName", "ActionType"),
    "TrialComponent": ("TrialComponentArn", "TrialComponentName", None),
}
_SUGGESTED_TYPES: Final = ("Endpoint", "ModelDeployment", "Model", "ModelPackage", "DataSet")


# The window whose call is running in this thread (or task): its hooks fire, no other's.
_SENDING: ContextVar[object | None] = ContextVar("lineage_viz_window", default=None)


class _WindowEvents:
    """What a window's `meta.events` is: a hook registered here runs on the caller's client's
    own events (so it sees every request that really goes out), but only for requests this
    window sends. The caller's own calls on their client never meet it."""

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


class _Meta:
    """A client's `meta` whose `events` are the window's (`_WindowEvents`), or private ones
    when there is no client."""

    def __init__(self, meta: Any, events: Any = None) -> None:
        self._meta = meta
        self.events = events if events is not None else HierarchicalEmitter()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._meta, name)


class ReadOnlyClient:
    """The caller's boto3 client seen through a read-only window; their client is untouched.

    The window refuses every operation that is not a read before it reaches the real client;
    the app's guard, registered on `meta.events`, checks again on the wire, for this window's
    requests only.
    """

    def __init__(self, client: Any) -> None:
        self._client = client
        self.meta = _Meta(client.meta, _WindowEvents(self, client.meta.events))

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


class OfflineClient:
    """Stands in for a client when there is none: every call explains why it cannot be made."""

    def __init__(self) -> None:
        self.meta = _Meta(None)

    def __getattr__(self, name: str) -> Any:
        def refuse(**_: Any) -> Any:
            response: Any = {"Error": {"Code": "NoClient", "Message": OFFLINE_NOTE}}
            raise ClientError(response, name)

        return refuse


class _Adjacency:
    """The answer's edges in the shape `core.lineage.walk` reads."""

    def __init__(self, edges: Iterable[Mapping[str, Any]]) -> None:
        self.out: dict[str, list[tuple[str, str, str | None]]] = {}
        self.into: dict[str, list[tuple[str, str, str | None]]] = {}
        for e in edges:
            edge = (e["SourceArn"], e["DestinationArn"], e.get("AssociationType"))
            self.out.setdefault(edge[0], []).append(edge)
            self.into.setdefault(edge[1], []).append(edge)

    def edges_from(self, arns: Sequence[str], forward: bool) -> list[tuple[str, str, str | None]]:
        table = self.out if forward else self.into
        return [edge for arn in arns for edge in table.get(arn, [])]

    def get_entities(self, arns: Iterable[str]) -> Mapping[str, EntityRecord]:
        return {}  # the walk alone is used here; filters are applied to the answer's vertices


def unwrap_client(client: Any) -> Any:
    """A boto3 SageMaker client from a client or a `sagemaker.Session`."""
    inner = getattr(client, "sagemaker_client", None)
    return inner if inner is not None else client


class NotebookBackend(Backend):
    """Answers the notebook's own question from the given pages, the rest from the client.

    Without a client, other questions (re-root, expand, filters) are answered by walking the
    given answer, and details come from its vertices.
    """

    def __init__(
        self,
        data: LineageInput,
        *,
        start: str | None,
        direction: str,
        depth: int,
        client: Any | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> None:
        parsed = parse_arn(start or "")
        self.live = client is not None
        if client is not None:
            raw = unwrap_client(client)
            region = str(raw.meta.region_name or (parsed.region if parsed else DEFAULT_REGION))
            endpoint = str(getattr(raw.meta, "endpoint_url", "") or "")
            label = "aws" if endpoint.endswith(".amazonaws.com") else "local"
            super().__init__(ReadOnlyClient(raw), region=region, label=label)
        else:
            region = parsed.region if parsed else DEFAULT_REGION
            super().__init__(OfflineClient(), region=region, label="response")
        self._account_id = parsed.account if parsed else None
        self.data = data
        self.pinned = (start, direction, depth)
        self.pinned_filters = dict(filters or {})
        self._by_arn = {v["Arn"]: v for v in data.vertices}

    def _pinned_result(self) -> QueryResult:
        pages = [dict(p) for p in self.data.pages]
        return QueryResult(
            vertices=[v for p in pages for v in p["Vertices"]],
            edges=[e for p in pages for e in p["Edges"]],
            pages=pages,
            calls=len(pages),
        )

    def query_all_pages(
        self,
        start_arn: str,
        direction: str,
        depth: int,
        filters: dict[str, Any] | None = None,
        *,
        max_pages: int = MAX_PAGES,
        on_page: Callable[[dict[str, Any]], None] | None = None,
    ) -> QueryResult:
        """The given answer for the notebook's question; otherwise ask the client or walk it."""
        pinned = (start_arn, direction, depth) == self.pinned and (
            filters or {}
        ) == self.pinned_filters
        if not pinned and self.live:
            return super().query_all_pages(
                start_arn, direction, depth, filters, max_pages=max_pages, on_page=on_page
            )
        result = (
            self._pinned_result()
            if pinned
            else self._walk(start_arn, direction, depth, filters or {})
        )
        for page in result.pages:  # answered at once: the pages are seen all together
            if on_page is not None:
                on_page(page)
        return result

    def _walk(self, start: str, direction: str, depth: int, filters: dict[str, Any]) -> QueryResult:
        if start not in self._by_arn or direction not in (ASCENDANTS, DESCENDANTS, BOTH):
            return QueryResult(pages=[{"Vertices": [], "Edges": []}], calls=1)
        distance, _ = walk(_Adjacency(self.data.edges), start, direction, depth)
        types = set(filters.get("Types") or [])
        lineage_types = set(filters.get("LineageTypes") or [])
        chosen = {
            arn
            for arn in distance
            if arn == start
            or (
                (not types or self._by_arn[arn].get("Type") in types)
                and (not lineage_types or self._by_arn[arn].get("LineageType") in lineage_types)
            )
        }
        vertices = [self._by_arn[a] for a in sorted(chosen)]
        edges = [
            e for e in self.data.edges if e["SourceArn"] in chosen and e["DestinationArn"] in chosen
        ]
        page = {"Vertices": vertices, "Edges": edges}
        return QueryResult(vertices=vertices, edges=edges, pages=[page], calls=1)

    def describe(self, arn: str) -> dict[str, Any]:
        """Describe through the client, or what the answer itself says about the vertex."""
        if self.live:
            return super().describe(arn)
        vertex = self._by_arn.get(arn) or {"Arn": arn, "LineageType": ""}
        parsed = parse_arn(arn)
        kind = str(vertex.get("LineageType") or (parsed.kind if parsed else "") or "")
        arn_key, name_key, type_key = _KEYS.get(kind, ("Arn", "Name", None))
        out: dict[str, Any] = {arn_key: arn, "Description": OFFLINE_NOTE, "Tags": []}
        if parsed is not None and kind != "Artifact":
            out[name_key] = parsed.name
        if vertex.get("Type"):
            if type_key is not None:
                out[type_key] = vertex["Type"]
            else:
                out["Source"] = {"SourceType": vertex["Type"]}
        return out

    def tags(self, arn: str) -> list[dict[str, str]]:
        """Tags through the client; none without one."""
        return super().tags(arn) if self.live else []

    def trials_of(self, arn: str) -> list[dict[str, str]] | None:
        """Trials through the client; unknown (None) without one."""
        return super().trials_of(arn) if self.live else None

    def _candidate(self, vertex: Mapping[str, Any]) -> resolve_mod.Candidate:
        arn = str(vertex["Arn"])
        label = short_label(arn, vertex.get("Type"), str(vertex.get("LineageType", "")))
        return resolve_mod.Candidate(arn, label, f"{vertex.get('Type') or ''} in this answer")

    def resolve(self, text: str) -> resolve_mod.Resolution:
        """Look it up through the client, or among the answer's vertices."""
        if self.live:
            return super().resolve(text)
        needle = text.strip().lower()
        found = [self._candidate(v) for v in self.data.vertices if needle in v["Arn"].lower()]
        if not needle or not found:
            return resolve_mod.Resolution(
                error=f"Nothing in this answer matches '{text}'. " + OFFLINE_NOTE
            )
        return resolve_mod.Resolution(candidates=found[: resolve_mod.MAX_CANDIDATES])

    def suggestions(self, limit: int = 6) -> list[resolve_mod.Candidate]:
        """Good starts: through the client, or the answer's endpoints, models and datasets."""
        if self.live:
            return super().suggestions(limit)
        ranked = sorted(
            (v for v in self.data.vertices if v.get("Type") in _SUGGESTED_TYPES),
            key=lambda v: (_SUGGESTED_TYPES.index(v["Type"]), v["Arn"]),
        )
        return [self._candidate(v) for v in ranked[:limit]]
