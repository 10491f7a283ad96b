"""The notebook window's wire check fires: with every name check off, a write is still refused
on its `X-Amz-Target` before it is sent, and the caller's own client is left alone."""

from __future__ import annotations

from typing import Any

import pytest
from notebook_helpers import Demo, make_client

from viz_app.client import read_only
from viz_app.client.read_only import ReadOnlyViolation
from viz_app.notebook import window
from viz_app.notebook.data import to_input
from viz_app.notebook.live import LiveBackend


def _listed(client: Any, uri: str) -> list[Any]:
    return list(client.list_artifacts(SourceUri=uri)["ArtifactSummaries"])


def test_the_wire_check_refuses_a_write_the_name_checks_let_through(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    caller = make_client(demo.url)
    start = demo.summary.endpoint_context_arns[0]
    response = caller.query_lineage(StartArns=[start], Direction="Ascendants", IncludeEdges=True)
    # Both checks by operation name off: the window's and the guard's before-parameter-build.
    monkeypatch.setattr(window, "is_read_operation", lambda operation: True)
    monkeypatch.setattr(read_only, "refuse_by_name", lambda client, is_allowed: None, raising=False)
    backend = LiveBackend(to_input(response), caller, start=start, direction="Ascendants", depth=10)
    uri = "s3://wire-check/never.csv"
    with pytest.raises(ReadOnlyViolation) as caught:
        backend.client.create_artifact(Source={"SourceUri": uri}, ArtifactType="DataSet")
    assert caught.value.operation == "CreateArtifact"
    assert _listed(caller, uri) == []
    # Reads through the window go out; the caller's client is still theirs, and writable.
    assert backend.client.describe_context(ContextName=start.rsplit("/", 1)[1])["ContextArn"]
    caller.create_artifact(Source={"SourceUri": uri}, ArtifactType="DataSet")
    assert len(_listed(caller, uri)) == 1
