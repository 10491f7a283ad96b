"""Fixtures for the evidence tests: a demo source service and a snapshot taken from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from evidence_helpers import HOSTILE, Source, plain_client


def _add_extras(url: str, summary: Any) -> str:
    client = plain_client(url)
    arn: str = client.create_artifact(
        ArtifactName="hand-made-evidence",
        Source={"SourceUri": "s3://bucket/hand/made.csv"},
        ArtifactType="DataSet",
        Properties={"note": HOSTILE, "owner": "audit"},
        Tags=[{"Key": "team", "Value": "audit"}],
    )["ArtifactArn"]
    client.add_association(
        SourceArn=arn,
        DestinationArn=summary.model_package_artifact_arn,
        AssociationType="ContributedTo",
    )
    return arn


@pytest.fixture(scope="session")
def source() -> Iterator[Source]:
    from viz_app.api.server import start_service
    from viz_app.core.demo import build_demo
    from viz_app.core.store import Store

    store = Store()
    summary = build_demo(store)
    service = start_service(store)
    extra = _add_extras(service.url, summary)
    yield Source(service, store, summary, extra)
    failures = service.internal_failures
    service.close()
    store.close()
    assert failures == 0, "the source service hit InternalFailure"


def component_roots(store: Any, covered_by: list[str]) -> list[str]:
    """One ARN in every connected component not reachable from `covered_by`."""
    from viz_app.evidence.diff import reachable

    with store.read() as conn:
        remaining = {str(r[0]) for r in conn.execute("SELECT arn FROM entities")}
    for arn in covered_by:
        remaining -= reachable(store, arn)
    roots: list[str] = []
    while remaining:
        root = min(remaining)
        roots.append(root)
        remaining -= reachable(store, root)
    return roots


@pytest.fixture(scope="session")
def snapshot_db(source: Source, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole-graph snapshot (`--depth 0`) of the source, taken through --endpoint-url."""
    from viz_app.cli import main

    path = tmp_path_factory.mktemp("snap") / "snap.db"
    roots = [*source.summary.endpoint_context_arns, source.extra_artifact]
    roots += component_roots(source.store, roots)
    argv = ["snapshot", "--endpoint-url", source.service.url, "--depth", "0", "--db", str(path)]
    for root in roots:
        argv += ["--arn", root]
    assert main([*argv, "--quiet"]) == 0
    return path


@pytest.fixture(scope="session")
def snapshot_service(snapshot_db: Path) -> Iterator[Any]:
    from viz_app.api.server import start_service
    from viz_app.core.store import Store

    store = Store(snapshot_db)
    service = start_service(store)
    yield service
    failures = service.internal_failures
    service.close()
    store.close()
    assert failures == 0, "the snapshot service hit InternalFailure"
