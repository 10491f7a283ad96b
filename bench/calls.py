"""Benchmark 3: QueryLineage and Describe calls for a first view, ours vs the SageMaker SDK way."""

from __future__ import annotations

import math
import os
from collections import Counter
from pathlib import Path
from typing import Any

import boto3

from bench.common import table
from viz_app.api.server import start_service
from viz_app.core.store import Store
from viz_app.ui.backends import Backend
from viz_app.ui.query_state import DEFAULT_DEPTH, DEFAULT_DIRECTION


def _count_calls(client: Any) -> Counter[str]:
    calls: Counter[str] = Counter()

    def hook(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    client.meta.events.register("before-call", hook)
    return calls


def _starts(store: Store) -> dict[str, str]:
    conn = store._conn()
    picks = {}
    for label, etype in (
        ("endpoint context", "Endpoint"),
        ("model", "Model"),
        ("dataset", "DataSet"),
    ):
        picks[label] = conn.execute(
            "SELECT arn FROM entities WHERE type = ? ORDER BY arn LIMIT 1", (etype,)
        ).fetchone()[0]
    return picks


def _sdk_view(url: str, start: str, calls_client: Any) -> int:
    os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
    import sagemaker
    from sagemaker.lineage.query import LineageQuery, LineageQueryDirectionEnum

    session = sagemaker.Session(
        boto_session=boto3.Session(
            region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
        ),
        sagemaker_client=calls_client,
        sagemaker_config={"SchemaVersion": "1.0"},
    )
    result = LineageQuery(session).query(
        start_arns=[start],
        direction=LineageQueryDirectionEnum(DEFAULT_DIRECTION),
        include_edges=True,
        max_depth=DEFAULT_DEPTH,
    )
    for vertex in result.vertices:
        vertex.to_lineage_object()
    return len(result.vertices)


def run(db: Path) -> dict[str, Any]:
    store = Store(db)
    service = start_service(store)
    rows: list[list[Any]] = []
    out: dict[str, Any] = {}
    try:
        for label, start in _starts(store).items():
            backend = Backend.for_endpoint(service.url)
            ours = _count_calls(backend.client)
            view = backend.query_all_pages(start, DEFAULT_DIRECTION, DEFAULT_DEPTH)
            vertices = len({v["Arn"] for v in view.vertices})
            sdk_client = boto3.client(
                "sagemaker",
                endpoint_url=service.url,
                region_name="us-east-1",
                aws_access_key_id="x",
                aws_secret_access_key="y",
            )
            theirs = _count_calls(sdk_client)
            seen = _sdk_view(service.url, start, sdk_client)
            describes = sum(n for op, n in theirs.items() if op.startswith("Describe"))
            ours_describe = sum(n for op, n in ours.items() if op.startswith("Describe"))
            out[label] = {
                "vertices": vertices,
                "ours": {"QueryLineage": ours["QueryLineage"], "Describe": ours_describe},
                "expected_query_lineage": math.ceil(vertices / 50),
                "sdk": {
                    "QueryLineage": theirs["QueryLineage"],
                    "Describe": describes,
                    "other": sum(theirs.values()) - theirs["QueryLineage"] - describes,
                    "vertices_seen": seen,
                },
            }
            rows.append(
                [label, vertices, ours["QueryLineage"], math.ceil(vertices / 50), ours_describe,
                 theirs["QueryLineage"], describes, seen]
            )  # fmt: skip
    finally:
        service.close()
        store.close()
    headers = ["start", "V", "ours QL", "ceil(V/50)", "ours Describe", "SDK QL", "SDK Describe",
               "SDK V seen"]  # fmt: skip
    print(
        table(
            f"Calls for a first view ({DEFAULT_DIRECTION}, depth {DEFAULT_DEPTH}, edges): our"
            " backend vs LineageQuery + to_lineage_object() per vertex",
            headers,
            rows,
        )
    )
    print()
    return out
