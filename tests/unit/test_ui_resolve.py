"""Resolving what a person typed, and the read-only backend, against a real local service."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest

from viz_app.api.server import start_service
from viz_app.client.read_only import is_read_operation
from viz_app.core.demo import DemoSummary, build_demo
from viz_app.core.store import Store
from viz_app.ui.backends import Backend
from viz_app.ui.messages import ReadOnlyViolation


@pytest.fixture(scope="module")
def demo_backend() -> Iterator[tuple[Backend, DemoSummary]]:
    store = Store()
    demo = build_demo(store)
    service = start_service(store)
    yield Backend.for_endpoint(service.url, account_id=service.account_id), demo
    service.close()


def arns(result: Any) -> set[str]:
    return {c.arn for c in result.candidates}


def test_an_s3_uri_resolves_to_the_artifacts_with_that_source(
    demo_backend: tuple[Backend, DemoSummary],
) -> None:
    backend, demo = demo_backend
    result = backend.resolve(demo.training_dataset_uri)
    listed = backend.client.list_artifacts(SourceUri=demo.training_dataset_uri)
    assert result.error is None
    assert arns(result) == {a["ArtifactArn"] for a in listed["ArtifactSummaries"]}


def test_an_endpoint_arn_resolves_to_its_endpoint_context(
    demo_backend: tuple[Backend, DemoSummary],
) -> None:
    backend, demo = demo_backend
    assert arns(backend.resolve(demo.endpoint_arns[0])) == {demo.endpoint_context_arns[0]}


def test_an_endpoint_name_resolves_like_its_arn(demo_backend: tuple[Backend, DemoSummary]) -> None:
    backend, demo = demo_backend
    name = demo.endpoint_arns[0].rsplit("/", 1)[1]
    assert demo.endpoint_context_arns[0] in arns(backend.resolve(name))


def test_a_model_package_arn_resolves_to_its_artifact(
    demo_backend: tuple[Backend, DemoSummary],
) -> None:
    backend, demo = demo_backend
    assert demo.model_package_artifact_arn in arns(backend.resolve(demo.model_package_arn))


def test_a_training_job_name_and_arn_resolve_to_its_trial_component(
    demo_backend: tuple[Backend, DemoSummary],
) -> None:
    backend, demo = demo_backend
    by_arn = arns(backend.resolve(demo.training_job_arn))
    assert len(by_arn) == 1 and "experiment-trial-component" in next(iter(by_arn))
    assert by_arn <= arns(backend.resolve(demo.training_job_arn.rsplit("/", 1)[1]))


def test_a_lineage_arn_is_its_own_candidate_and_a_malformed_one_makes_no_call(
    demo_backend: tuple[Backend, DemoSummary],
) -> None:
    backend, demo = demo_backend
    assert arns(backend.resolve(demo.model_package_artifact_arn)) == {
        demo.model_package_artifact_arn
    }
    assert "not a SageMaker ARN" in (backend.resolve("arn:aws:s3:::bucket").error or "")


def test_unknown_text_says_what_was_searched(demo_backend: tuple[Backend, DemoSummary]) -> None:
    backend, _ = demo_backend
    assert "Nothing called no-such-thing" in (backend.resolve("no-such-thing").error or "")
    assert "No artifact has the source URI" in (backend.resolve("s3://nope/x").error or "")


def test_suggestions_start_with_the_demo_endpoints(
    demo_backend: tuple[Backend, DemoSummary],
) -> None:
    backend, demo = demo_backend
    found = [c.arn for c in backend.suggestions()]
    assert set(found) & set(demo.endpoint_context_arns)


def test_query_all_pages_follows_every_next_token(
    demo_backend: tuple[Backend, DemoSummary],
) -> None:
    backend, demo = demo_backend
    one_page = backend.client.query_lineage(
        StartArns=[demo.endpoint_context_arns[0]],
        Direction="Both",
        IncludeEdges=True,
        MaxDepth=10,
        MaxResults=5,
    )
    assert one_page.get("NextToken")
    result = backend.query_all_pages(demo.endpoint_context_arns[0], "Both", 10)
    assert result.calls == len(result.pages) >= 1
    assert len({v["Arn"] for v in result.vertices}) > 5


def test_the_guard_refuses_writes_before_they_leave_the_process(
    demo_backend: tuple[Backend, DemoSummary],
) -> None:
    backend, _ = demo_backend
    before = backend.client.list_artifacts(MaxResults=100)["ArtifactSummaries"]
    with pytest.raises(ReadOnlyViolation):
        backend.client.delete_artifact(ArtifactArn=before[0]["ArtifactArn"])
    assert backend.client.describe_artifact(ArtifactArn=before[0]["ArtifactArn"])
    assert is_read_operation("QueryLineage") and not is_read_operation("AddAssociation")


def test_describe_dispatches_on_the_arn_kind_and_adds_tags(
    demo_backend: tuple[Backend, DemoSummary],
) -> None:
    backend, demo = demo_backend
    context = backend.describe(demo.endpoint_context_arns[0])
    assert context["ContextArn"] == demo.endpoint_context_arns[0]
    assert isinstance(context["Tags"], list)
    artifact = backend.describe(demo.model_package_artifact_arn)
    assert artifact["Source"]["SourceUri"] == demo.model_package_arn


def test_suggestions_show_the_readable_name_first_and_tell_them_apart(
    demo_backend: tuple[Backend, DemoSummary],
) -> None:
    backend, _ = demo_backend
    found = {c.arn: c for c in backend.suggestions()}
    listed = backend.client.list_contexts(ContextType="Endpoint", MaxResults=50)
    for summary in listed["ContextSummaries"]:
        full = summary["ContextName"]  # e.g. churn-prod-1772462630-aws-endpoint
        name, epoch = full.rsplit("-aws-", 1)[0].rsplit("-", 1)
        cand = found[summary["ContextArn"]]
        when = dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        assert cand.label == name
        assert cand.detail == f"Endpoint · created {when}"
        assert cand.full == full
    labels = [c.label for c in found.values()]
    assert not any("…" in label or "-aws-" in label for label in labels)


def test_a_candidate_never_names_its_kind_twice(demo_backend: tuple[Backend, DemoSummary]) -> None:
    backend, demo = demo_backend
    name = demo.endpoint_arns[0].rsplit("/", 1)[1]
    for text in (name, demo.endpoint_arns[0], demo.model_package_arn, demo.training_job_arn):
        for cand in backend.resolve(text).candidates:
            line = f"{cand.label} {cand.detail}"
            assert not re.search(r"\b(\w+) of \1\b", line, re.IGNORECASE), line
    (endpoint,) = backend.resolve(name).candidates
    assert endpoint.label == name and endpoint.detail.startswith("Endpoint · created ")
