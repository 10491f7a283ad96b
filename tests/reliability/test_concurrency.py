"""Many threads, each with its own boto3 client, writing and querying one service at once.

Afterwards every acknowledged write is present exactly once, every acknowledged delete is gone,
no client ever saw a 5xx, a throttle or a "database is locked", and no QueryLineage answer showed
half a write (an edge whose end is not among its vertices, or a vertex never created).
"""

from __future__ import annotations

import sqlite3
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from file_service import FileService
from reliability_helpers import (
    REGION,
    http_agreement_problems,
    open_readonly,
    sql_problems,
)
from shape_check import install_response_checks

THREADS = 12
ITERATIONS = 20
HUBS = 4


def make_client(url: str) -> Any:
    """One client per thread (own session), no retries: any throttle or 5xx reaches the test."""
    session = boto3.session.Session()
    client = session.client(
        "sagemaker",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, read_timeout=60),
    )
    return install_response_checks(client)


@dataclass
class Ledger:
    """What one thread was told succeeded."""

    artifacts: list[str] = field(default_factory=list)
    deleted_artifacts: set[str] = field(default_factory=set)
    associations: list[tuple[str, str]] = field(default_factory=list)
    deleted_associations: set[tuple[str, str]] = field(default_factory=set)
    contexts: list[str] = field(default_factory=list)
    vertices_seen: set[str] = field(default_factory=set)
    writes: int = 0
    queries: int = 0
    failures: list[str] = field(default_factory=list)


def query_all(client: Any, start: str) -> tuple[list[str], list[tuple[str, str]]]:
    vertices: list[str] = []
    edges: list[tuple[str, str]] = []
    kwargs: dict[str, Any] = {
        "StartArns": [start],
        "Direction": "Both",
        "IncludeEdges": True,
        "MaxDepth": 2,
        "MaxResults": 50,
    }
    for _ in range(100):
        page = client.query_lineage(**kwargs)
        vertices += [v["Arn"] for v in page["Vertices"]]
        edges += [(e["SourceArn"], e["DestinationArn"]) for e in page["Edges"]]
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    return vertices, edges


def worker(index: int, client: Any, hubs: list[str], ledger: Ledger) -> None:
    try:
        name = f"thread-{index}"
        own = client.create_context(
            ContextName=name, ContextType="Endpoint", Source={"SourceUri": f"s3://c/{name}"}
        )["ContextArn"]
        ledger.contexts.append(own)
        ledger.writes += 1
        for i in range(ITERATIONS):
            arn = client.create_artifact(
                Source={"SourceUri": f"s3://conc/{index}/{i}"},
                ArtifactType="DataSet",
                Tags=[{"Key": "thread", "Value": str(index)}],
            )["ArtifactArn"]
            ledger.artifacts.append(arn)
            ledger.writes += 1
            client.add_association(SourceArn=arn, DestinationArn=own)
            ledger.associations.append((arn, own))
            ledger.writes += 1
            if i % 3 == 0:
                hub = hubs[(index + i) % len(hubs)]
                client.add_association(SourceArn=arn, DestinationArn=hub, AssociationType="SameAs")
                ledger.associations.append((arn, hub))
                ledger.writes += 1
            if i % 5 == 4:
                victim = ledger.artifacts[i - 3]
                client.delete_artifact(ArtifactArn=victim)
                ledger.deleted_artifacts.add(victim)
                ledger.writes += 1
            if i % 7 == 6:
                pair = (ledger.artifacts[i - 1], own)
                if pair[0] not in ledger.deleted_artifacts:
                    client.delete_association(SourceArn=pair[0], DestinationArn=pair[1])
                    ledger.deleted_associations.add(pair)
                    ledger.writes += 1
            client.update_artifact(ArtifactArn=arn, Properties={"step": str(i)})
            ledger.writes += 1
            for start in (own, hubs[i % len(hubs)]):
                vertices, edges = query_all(client, start)
                ledger.queries += 1
                ledger.vertices_seen.update(vertices)
                loose = [e for e in edges if e[0] not in vertices or e[1] not in vertices]
                if loose or len(vertices) != len(set(vertices)):
                    ledger.failures.append(f"half a write visible from {start}: {loose[:3]}")
            if i % 4 == 0:
                client.list_artifacts(MaxResults=20, SortOrder="Descending")
                client.list_associations(DestinationArn=own, MaxResults=50)
    except ClientError as err:
        ledger.failures.append(f"thread {index}: {err.response['Error']} ({err})")
    except Exception:
        ledger.failures.append(f"thread {index}: {traceback.format_exc()}")


def test_concurrent_writers_lose_nothing_duplicate_nothing_and_never_show_half_a_write(
    file_service: FileService,
) -> None:
    url = file_service.url
    setup = make_client(url)
    hubs = [
        setup.create_context(
            ContextName=f"hub-{h}", ContextType="Hub", Source={"SourceUri": f"s3://hub/{h}"}
        )["ContextArn"]
        for h in range(HUBS)
    ]
    clients = [make_client(url) for _ in range(THREADS)]
    ledgers = [Ledger() for _ in range(THREADS)]
    threads = [
        threading.Thread(target=worker, args=(i, clients[i], hubs, ledgers[i]), daemon=True)
        for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)  # hang guard only
    assert not any(t.is_alive() for t in threads), "a worker hung"

    failures = [f for ledger in ledgers for f in ledger.failures]
    assert not failures, "\n".join(failures)

    created = set(hubs)
    for ledger in ledgers:
        created.update(ledger.artifacts, ledger.contexts)
    live_artifacts = {a for ledger in ledgers for a in ledger.artifacts} - {
        a for ledger in ledgers for a in ledger.deleted_artifacts
    }
    dead = {a for ledger in ledgers for a in ledger.deleted_artifacts}
    live_pairs = {
        pair
        for ledger in ledgers
        for pair in ledger.associations
        if pair not in ledger.deleted_associations and pair[0] not in dead
    }
    conn = open_readonly(file_service.db_path)
    try:
        artifact_rows = _counts(conn, "SELECT arn, COUNT(*) FROM entities WHERE kind='Artifact'")
        pair_rows = {
            (s, d): n
            for s, d, n in conn.execute(
                "SELECT source_arn, destination_arn, COUNT(*) FROM associations"
                " GROUP BY source_arn, destination_arn"
            )
        }
        tag_rows = _counts(conn, "SELECT arn, COUNT(*) FROM tags")
    finally:
        conn.close()
    assert set(artifact_rows) == live_artifacts, "acknowledged artifacts lost or deleted ones kept"
    assert all(n == 1 for n in artifact_rows.values())
    assert set(pair_rows) == live_pairs, "acknowledged associations lost or deleted ones kept"
    assert all(n == 1 for n in pair_rows.values())
    assert set(tag_rows) == live_artifacts and all(n == 1 for n in tag_rows.values())
    never_created = set().union(*(ledger.vertices_seen for ledger in ledgers)) - created
    assert not never_created, f"QueryLineage showed vertices never created: {never_created}"
    stale = {}
    for start in hubs + [c for ledger in ledgers for c in ledger.contexts]:
        _, edges = query_all(setup, start)
        for edge in set(edges) - set(pair_rows):
            deleted_pair = any(edge in ledger.deleted_associations for ledger in ledgers)
            stale[edge] = "deleted association" if deleted_pair else "an end was deleted"
    assert not stale, f"QueryLineage still returns {len(stale)} removed edges: {stale}"
    problems = sql_problems(file_service.db_path) + http_agreement_problems(
        url, file_service.db_path
    )
    assert not problems, "\n".join(problems)
    writes = sum(ledger.writes for ledger in ledgers)
    queries = sum(ledger.queries for ledger in ledgers)
    print(
        f"\nconcurrency: {THREADS} threads, {writes} acknowledged writes, {queries} queries, 0 lost"
    )
    assert writes >= THREADS * ITERATIONS * 3


def _counts(conn: sqlite3.Connection, sql: str) -> dict[str, int]:
    return {arn: n for arn, n in conn.execute(sql + " GROUP BY arn")}


def test_query_lineage_forgets_an_association_deleted_after_a_sibling_entity_was_deleted(
    file_service: FileService,
) -> None:
    """Found by the test above, reproducible with one client: the in-memory adjacency index keeps
    returning an association that DeleteAssociation removed from the store."""
    client = make_client(file_service.url)
    context = client.create_context(
        ContextName="c", ContextType="Endpoint", Source={"SourceUri": "s3://c"}
    )["ContextArn"]
    artifacts = [
        client.create_artifact(Source={"SourceUri": f"s3://x/{i}"}, ArtifactType="DataSet")[
            "ArtifactArn"
        ]
        for i in range(2)
    ]
    for arn in artifacts:
        client.add_association(SourceArn=arn, DestinationArn=context)
    client.query_lineage(StartArns=[context])  # the index exists from here on
    client.delete_artifact(ArtifactArn=artifacts[0])
    client.delete_association(SourceArn=artifacts[1], DestinationArn=context)
    vertices, edges = query_all(client, context)
    assert edges == [] and vertices == [context], (vertices, edges)
