"""Run one lineage query through boto3, following NextToken, and record every exchange."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final

from botocore.exceptions import ClientError

from viz_app.client.describe import describer_for
from viz_app.client.directions import BOTH
from viz_app.client.paging import Pages

MAX_PAGES: Final = 10_000


def jsonable(value: Any) -> Any:
    """A JSON-ready copy: datetimes as ISO-8601 UTC strings, bytes as hex, tuples as lists."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def canonical_json(value: Any) -> bytes:
    """Stable bytes for hashing: sorted keys, no whitespace, UTF-8."""
    return json.dumps(jsonable(value), sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class QuerySpec:
    """The question: QueryLineage from one ARN."""

    start_arn: str
    direction: str = BOTH
    depth: int = 10
    types: tuple[str, ...] = ()
    lineage_types: tuple[str, ...] = ()
    include_edges: bool = True

    def request(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "StartArns": [self.start_arn],
            "Direction": self.direction,
            "IncludeEdges": self.include_edges,
            "MaxDepth": self.depth,
        }
        filters: dict[str, Any] = {}
        if self.types:
            filters["Types"] = list(self.types)
        if self.lineage_types:
            filters["LineageTypes"] = list(self.lineage_types)
        if filters:
            params["Filters"] = filters
        return params


@dataclass
class Exchange:
    """One request and its response page (or error), as recorded for query.json."""

    operation: str
    request: dict[str, Any]
    response: dict[str, Any] | None
    at: str
    request_id: str | None = None
    raw_sha256: str | None = None
    error: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "operation": self.operation,
            "at": self.at,
            "request": jsonable(self.request),
        }
        if self.request_id:
            out["request_id"] = self.request_id
        if self.response is not None:
            out["response"] = jsonable(self.response)
            out["response_sha256"] = sha256_hex(canonical_json(self.response))
        if self.raw_sha256:
            out["raw_body_sha256"] = self.raw_sha256
        if self.error is not None:
            out["error"] = self.error
        return out


@dataclass
class Recorder:
    """Calls operations on a client and records each exchange, with the raw body's SHA-256."""

    client: Any
    exchanges: list[Exchange] = field(default_factory=list)
    _last_raw: str | None = None

    def __post_init__(self) -> None:
        self.client.meta.events.register("after-call", self._after_call)

    def _after_call(self, http_response: Any = None, **_: Any) -> None:
        content = getattr(http_response, "content", None)
        self._last_raw = sha256_hex(content) if isinstance(content, bytes) else None

    def call(self, operation: str, **params: Any) -> dict[str, Any] | None:
        """Call `operation` (snake_case method name); None when AWS answered with an error."""
        method: Callable[..., dict[str, Any]] = getattr(self.client, operation)
        wire = self.client.meta.method_to_api_mapping.get(operation, operation)
        self._last_raw = None
        at = jsonable(datetime.now(UTC))
        try:
            response = dict(method(**params))
        except ClientError as err:
            error = {k: str(v) for k, v in err.response.get("Error", {}).items()}
            request_id = err.response.get("ResponseMetadata", {}).get("RequestId")
            self.exchanges.append(
                Exchange(wire, params, None, at, request_id, self._last_raw, error)
            )
            return None
        meta = response.pop("ResponseMetadata", {}) or {}
        self.exchanges.append(
            Exchange(wire, params, response, at, meta.get("RequestId"), self._last_raw)
        )
        return response


def run_query(
    recorder: Recorder,
    spec: QuerySpec,
    on_page: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Every QueryLineage page for `spec`, following NextToken to the end (`on_page` sees each
    page as it comes)."""

    def query_lineage(**params: Any) -> dict[str, Any]:
        page = recorder.call("query_lineage", **params)
        if page is None:
            error = recorder.exchanges[-1].error or {}
            raise QueryFailed(f"{error.get('Code', 'Error')}: {error.get('Message', '')}")
        return page

    pages: list[dict[str, Any]] = []
    paging = Pages(query_lineage, spec.request(), max_pages=MAX_PAGES)
    for page in paging:
        pages.append(page)
        if on_page is not None:
            on_page(page)
    if paging.truncated:
        raise QueryFailed(f"QueryLineage returned more than {MAX_PAGES} pages")
    if paging.repeated_token:
        raise QueryFailed("QueryLineage returned a NextToken it had already given")
    return pages


class QueryFailed(RuntimeError):
    """QueryLineage answered with an error."""


def describe(
    recorder: Recorder, arn: str, lineage_type: str | None = None
) -> dict[str, Any] | None:
    """The Describe* response for an entity ARN (None if unknown or not describable). The
    request names the entity by its whole ARN: the record says exactly what was asked."""
    describer = describer_for(arn, lineage_type)
    if describer is None:
        return None
    return recorder.call(describer.method, **describer.params(arn, by_arn=True))


def describe_all(
    recorder: Recorder,
    vertices: Iterable[Mapping[str, Any]],
    on_vertex: Callable[[], object] | None = None,
) -> dict[str, dict[str, Any]]:
    """Describe every vertex; failures are recorded and left out."""
    found: dict[str, dict[str, Any]] = {}
    for vertex in vertices:
        response = describe(recorder, vertex["Arn"], vertex.get("LineageType"))
        if response is not None:
            found[vertex["Arn"]] = response
        if on_vertex is not None:
            on_vertex()
    return found
