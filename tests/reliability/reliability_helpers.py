"""Helpers for the reliability tests and bench/fuzz.py: raw HTTP, reply checks, store checks."""

from __future__ import annotations

import http.client
import json
import os
import socket
import sqlite3
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_API_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "api")
if os.path.normpath(_API_TESTS) not in [os.path.normpath(p) for p in sys.path]:
    sys.path.append(os.path.normpath(_API_TESTS))

from shape_check import error_problems, shape_problems  # noqa: E402  (tests/api helper)

REGION = "us-east-1"
ACCOUNT = "123456789012"
ARN_PREFIX = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"
CONTENT_TYPE = "application/x-amz-json-1.1"
#: The SigV4 header botocore would send for us-east-1; the service reads only its scope.
AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/sagemaker/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64
)
#: Modelled SageMaker errors plus the protocol-level codes of AWS JSON 1.1 services.
STATE_ERROR_CODES = frozenset(
    {
        "ValidationException",
        "ResourceNotFound",
        "ResourceLimitExceeded",
        "ConflictException",
        "ResourceInUse",
    }
)
KNOWN_ERROR_CODES = STATE_ERROR_CODES | {
    "ThrottlingException",
    "SerializationException",
    "UnknownOperationException",
    "UnsupportedMediaTypeException",
    "RequestEntityTooLargeException",
    "LengthRequiredException",
}
#: A reply slower than this is a hang (a guard only; no test asserts on timing).
HANG_GUARD_SECONDS = 60.0

LIST_OPERATIONS = {
    "Artifact": ("ListArtifacts", "ArtifactSummaries", "ArtifactArn"),
    "Context": ("ListContexts", "ContextSummaries", "ContextArn"),
    "Action": ("ListActions", "ActionSummaries", "ActionArn"),
    "TrialComponent": ("ListTrialComponents", "TrialComponentSummaries", "TrialComponentArn"),
}
LINEAGE_RESOURCES = ("artifact", "context", "action", "experiment-trial-component")


@dataclass
class Reply:
    """One HTTP answer (status 0 means no answer: a hang or a dropped connection)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    failure: str | None = None


def _host_port(url: str) -> tuple[str, int]:
    parsed = urllib.parse.urlsplit(url)
    assert parsed.hostname == "127.0.0.1", f"tests talk to loopback only, not {url}"
    return parsed.hostname, int(parsed.port or 80)


def default_headers(operation: str | None) -> dict[str, str]:
    headers = {"Content-Type": CONTENT_TYPE, "Authorization": AUTHORIZATION}
    if operation is not None:
        headers["X-Amz-Target"] = f"SageMaker.{operation}"
    return headers


def post(
    url: str,
    operation: str | None,
    body: bytes | dict[str, Any],
    headers: dict[str, str] | None = None,
    *,
    method: str = "POST",
    path: str = "/",
) -> Reply:
    """Send one well-framed request with http.client (Content-Length computed)."""
    raw = json.dumps(body).encode() if isinstance(body, dict) else body
    all_headers = default_headers(operation) if headers is None else headers
    conn = http.client.HTTPConnection(*_host_port(url), timeout=HANG_GUARD_SECONDS)
    try:
        conn.request(method, path, body=raw, headers=all_headers)
        response = conn.getresponse()
        return Reply(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read(),
        )
    except TimeoutError:
        return Reply(0, failure="no answer within the hang guard (socket timeout)")
    except (ConnectionError, http.client.HTTPException) as err:
        return Reply(0, failure=f"connection broke: {err!r}")
    finally:
        conn.close()


def send_raw(url: str, head: str, body: bytes) -> Reply:
    """Send hand-framed bytes (any headers, any Content-Length), close the write side, read."""
    host, port = _host_port(url)
    with socket.create_connection((host, port), timeout=HANG_GUARD_SECONDS) as sock:
        try:
            sock.sendall(head.encode("latin-1") + b"\r\n" + body)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may answer and close before reading everything: read its answer
        try:
            response = http.client.HTTPResponse(sock)
            response.begin()
            return Reply(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        except TimeoutError:
            return Reply(0, failure="no answer within the hang guard (socket timeout)")
        except (ConnectionError, http.client.HTTPException) as err:
            return Reply(0, failure=f"connection broke: {err!r}")


def _strict_json(raw: bytes) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"non-standard JSON constant {constant}")

    return json.loads(raw, parse_constant=refuse)


def reply_problems(
    operation: str | None,
    reply: Reply,
    *,
    must_fail: bool = False,
    allowed_codes: frozenset[str] = KNOWN_ERROR_CODES,
) -> list[str]:
    """Everything wrong with one answer: a 200 must match the output shape, anything else must be
    a 4xx JSON error with a known code; never 5xx, never a hang, never a traceback."""
    if reply.failure is not None:
        return [reply.failure]
    problems: list[str] = []
    if b"Traceback" in reply.body:
        problems.append(f"traceback text in the answer: {reply.body[:300]!r}")
    if reply.status == 200:
        if must_fail:
            problems.append("an invalid request was accepted with 200")
        if operation is None:
            return [*problems, "200 for a request that names no operation"]
        if reply.headers.get("content-type") != CONTENT_TYPE:
            problems.append(f"content-type {reply.headers.get('content-type')!r}")
        try:
            body = _strict_json(reply.body) if reply.body.strip() else {}
        except ValueError as err:
            return [*problems, f"200 body is not strict JSON ({err}): {reply.body[:300]!r}"]
        if not isinstance(body, dict):
            return [*problems, f"200 body is not an object: {reply.body[:300]!r}"]
        problems += shape_problems(operation, body, wire=True)
        return problems
    problems += error_problems(reply.status, reply.headers, reply.body)
    try:
        body = _strict_json(reply.body)
    except ValueError:
        return problems
    code = body.get("__type") if isinstance(body, dict) else None
    if code not in allowed_codes:
        problems.append(f"error code {code!r} is not one of {sorted(allowed_codes)}")
    return problems


def call(url: str, operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """A request that must succeed; its JSON body."""
    reply = post(url, operation, body)
    problems = reply_problems(operation, reply)
    assert reply.status == 200 and not problems, (
        f"{operation} {json.dumps(body)[:300]} -> {reply.status} {reply.body[:300]!r}: {problems}"
    )
    return dict(json.loads(reply.body)) if reply.body.strip() else {}


def pages(
    url: str, operation: str, key: str, body: dict[str, Any], limit: int = 200
) -> Iterator[dict[str, Any]]:
    """Every item of a paged List*/QueryLineage answer (bounded number of pages)."""
    token: str | None = None
    for _ in range(limit):
        page = call(url, operation, {**body, **({"NextToken": token} if token else {})})
        yield from page[key]
        token = page.get("NextToken")
        if not token:
            return
    raise AssertionError(f"{operation} paging did not end within {limit} pages")


# -- the store, read directly --------------------------------------------------------------------


def open_readonly(db_path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def _rows(conn: sqlite3.Connection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(sql, params).fetchall()]


def sql_problems(db_path: str) -> list[str]:
    """Invariants read straight from the SQLite file."""
    problems: list[str] = []
    conn = open_readonly(db_path)
    try:
        (check,) = conn.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            problems.append(f"integrity_check: {check}")
        dangling = _rows(
            conn,
            "SELECT source_arn, destination_arn FROM associations a"
            " WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.arn = a.source_arn)"
            " OR NOT EXISTS (SELECT 1 FROM entities e WHERE e.arn = a.destination_arn)",
        )
        if dangling:
            problems.append(f"associations with a missing end: {dangling[:5]}")
        for what, sql in (
            ("entities", "SELECT arn FROM entities GROUP BY arn HAVING COUNT(*) > 1"),
            (
                "named entities",
                "SELECT kind, region, name_key FROM entities WHERE name_key IS NOT NULL"
                " AND kind != 'Artifact' GROUP BY kind, region, name_key HAVING COUNT(*) > 1",
            ),
            (
                "artifacts by source",
                "SELECT json_extract(doc, '$.Source') FROM entities WHERE kind = 'Artifact'"
                " GROUP BY region, json_extract(doc, '$.Source') HAVING COUNT(*) > 1",
            ),
            (
                "associations",
                "SELECT source_arn, destination_arn FROM associations"
                " GROUP BY source_arn, destination_arn HAVING COUNT(*) > 1",
            ),
            ("tags", "SELECT arn, key FROM tags GROUP BY arn, key HAVING COUNT(*) > 1"),
        ):
            duplicates = _rows(conn, sql)
            if duplicates:
                problems.append(f"duplicate {what}: {duplicates[:5]}")
        orphan_tags = [
            arn
            for (arn,) in _rows(
                conn,
                "SELECT DISTINCT arn FROM tags t"
                " WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.arn = t.arn)",
            )
            if arn.split(":", 5)[-1].split("/", 1)[0] in LINEAGE_RESOURCES
        ]
        if orphan_tags:
            problems.append(f"tags left on deleted lineage entities: {orphan_tags[:5]}")
    finally:
        conn.close()
    return problems


def http_agreement_problems(url: str, db_path: str, query_samples: int = 4) -> list[str]:
    """List* over HTTP (paging through everything) agrees with the tables; QueryLineage answers
    only hold existing vertices and edges whose ends are among its vertices."""
    problems: list[str] = []
    conn = open_readonly(db_path)
    try:
        entities = {
            arn for (arn,) in _rows(conn, "SELECT arn FROM entities WHERE region = ?", REGION)
        }
        associations = set(
            _rows(
                conn,
                "SELECT a.source_arn, a.destination_arn FROM associations a"
                " JOIN entities s ON s.arn = a.source_arn WHERE s.region = ?",
                REGION,
            )
        )
        by_kind = {
            kind: sorted(
                arn
                for (arn,) in _rows(
                    conn, "SELECT arn FROM entities WHERE kind = ? AND region = ?", kind, REGION
                )
            )
            for kind in LIST_OPERATIONS
        }
        linked = [
            arn
            for (arn,) in _rows(
                conn,
                "SELECT source_arn FROM associations GROUP BY source_arn"
                " ORDER BY COUNT(*) DESC, source_arn LIMIT ?",
                query_samples,
            )
        ]
    finally:
        conn.close()
    for kind, (operation, key, arn_member) in LIST_OPERATIONS.items():
        listed = [item[arn_member] for item in pages(url, operation, key, {"MaxResults": 100})]
        if len(listed) != len(set(listed)):
            problems.append(f"{operation} paging repeats items")
        if sorted(listed) != by_kind[kind]:
            problems.append(
                f"{operation} lists {len(listed)} items, the table holds {len(by_kind[kind])}"
            )
    listed_pairs = [
        (item["SourceArn"], item["DestinationArn"])
        for item in pages(url, "ListAssociations", "AssociationSummaries", {"MaxResults": 100})
    ]
    if len(listed_pairs) != len(set(listed_pairs)) or set(listed_pairs) != associations:
        problems.append(
            f"ListAssociations lists {len(listed_pairs)} pairs, the table holds {len(associations)}"
        )
    starts = linked + [arns[0] for arns in by_kind.values() if arns]
    for start in starts[: query_samples + len(LIST_OPERATIONS)]:
        problems += query_problems(url, start, entities, associations)
    return problems


def query_problems(
    url: str, start: str, entities: set[str], associations: set[tuple[str, str]]
) -> list[str]:
    """One QueryLineage (all pages) checked against the known entities and associations."""
    vertices: list[str] = []
    edges: list[tuple[str, str]] = []
    token: str | None = None
    body: dict[str, Any] = {
        "StartArns": [start],
        "Direction": "Both",
        "IncludeEdges": True,
        "MaxDepth": 10,
        "MaxResults": 50,
    }
    for _ in range(200):
        page = call(url, "QueryLineage", {**body, **({"NextToken": token} if token else {})})
        vertices += [v["Arn"] for v in page["Vertices"]]
        edges += [(e["SourceArn"], e["DestinationArn"]) for e in page["Edges"]]
        token = page.get("NextToken")
        if not token:
            break
    problems: list[str] = []
    if len(vertices) != len(set(vertices)):
        problems.append(f"QueryLineage from {start} repeats vertices")
    if unknown := set(vertices) - entities:
        problems.append(
            f"QueryLineage from {start} returned missing vertices {sorted(unknown)[:3]}"
        )
    if unknown_edges := set(edges) - associations:
        problems.append(
            f"QueryLineage from {start} returned unknown edges {sorted(unknown_edges)[:3]}"
        )
    if loose := [e for e in edges if e[0] not in vertices or e[1] not in vertices]:
        problems.append(
            f"QueryLineage from {start} returned edges with ends outside Vertices {loose[:3]}"
        )
    return problems
