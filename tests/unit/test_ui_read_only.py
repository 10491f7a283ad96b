"""The app's SageMaker client refuses every mutating operation before a request leaves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore import xform_name

from viz_app.api.server import LineageService, start_service
from viz_app.client.read_only import is_read_operation
from viz_app.core.demo import build_demo
from viz_app.core.store import Store
from viz_app.ui.backends import Backend
from viz_app.ui.messages import ReadOnlyViolation, explain

READ_PREFIXES = ("Describe", "List", "Get", "Query", "Search", "BatchDescribe", "BatchGet")
MODEL = botocore.session.get_session().get_service_model("sagemaker")
MUTATING = sorted(op for op in MODEL.operation_names if not op.startswith(READ_PREFIXES))


@pytest.fixture(scope="module")
def service() -> Iterator[LineageService]:
    store = Store()
    build_demo(store)
    svc = start_service(store)
    yield svc
    svc.close()
    store.close()


def counted(backend: Backend) -> list[str]:
    """Operation names of every request the client is about to send over the network."""
    sent: list[str] = []
    backend.client.meta.events.register(
        "before-send", lambda request, **_: sent.append(request.headers["X-Amz-Target"].decode())
    )
    return sent


def store_size(service: LineageService) -> tuple[int, int]:
    return service.store.count_entities(), service.store.count_associations()


def test_the_mutating_operations_list_is_derived_from_botocore_and_is_long() -> None:
    assert len(MUTATING) > 200
    assert {"CreateArtifact", "DeleteArtifact", "AddAssociation", "AddTags"} <= set(MUTATING)
    assert not any(is_read_operation(op) for op in MUTATING)


def test_every_mutating_operation_is_refused_before_a_request_leaves_the_process(
    service: LineageService,
) -> None:
    backend = Backend.for_endpoint(service.url)
    sent = counted(backend)
    before = store_size(service)
    refused = []
    for op in MUTATING:
        with pytest.raises(ReadOnlyViolation) as caught:
            getattr(backend.client, xform_name(op))()
        assert caught.value.operation == op
        refused.append(op)
    assert refused == MUTATING
    assert sent == []
    assert store_size(service) == before
    backend.client.list_artifacts(MaxResults=1)  # the counter does see real requests
    assert sent == ["SageMaker.ListArtifacts"]


def test_the_refusal_is_a_plain_sentence_naming_the_operation(service: LineageService) -> None:
    backend = Backend.for_endpoint(service.url)
    with pytest.raises(ReadOnlyViolation) as caught:
        backend.client.delete_artifact(ArtifactArn="arn:aws:sagemaker:us-east-1:1:artifact/x")
    assert explain(caught.value) == (
        "lineage-viz only reads: it refused to call DeleteArtifact. Nothing was sent to SageMaker."
    )


def test_the_aws_backend_guards_its_sagemaker_and_sts_clients(
    service: LineageService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEGUARDTEST000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-guard-test")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", service.url)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    backend = Backend.for_aws(profile=None, region="us-east-1", endpoint_url=service.url)
    sent = counted(backend)
    before = store_size(service)
    for op in ("CreateArtifact", "DeleteAssociation", "AddTags", "DeleteContext"):
        with pytest.raises(ReadOnlyViolation):
            getattr(backend.client, xform_name(op))()
    sts: Any = backend._sts
    with pytest.raises(ReadOnlyViolation):
        sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/x", RoleSessionName="x")
    assert sent == []
    assert store_size(service) == before
