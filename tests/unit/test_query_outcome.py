"""What a new URL makes of the page (summary, sentence, trail), against the real local service."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from viz_app.api.server import start_service
from viz_app.core.demo import DemoSummary, build_demo
from viz_app.core.store import Store
from viz_app.ui.backends import Backend
from viz_app.ui.query_outcome import TRAIL_STEPS, extend_trail, outcome_of
from viz_app.ui.query_state import from_search
from viz_app.ui.view_build import new_cache

ART = "arn:aws:sagemaker:us-east-1:123456789012:artifact/"


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[Backend, DemoSummary]]:
    store = Store()
    summary = build_demo(store)
    service = start_service(store)
    yield Backend.for_endpoint(service.url), summary
    service.close()
    store.close()


def test_a_bad_link_says_what_to_fix_and_draws_nothing(demo: tuple[Backend, DemoSummary]) -> None:
    backend, _ = demo
    found = outcome_of(backend, new_cache(backend), "?arn=churn&depth=99", None)
    assert found.summary is None and found.trail is None
    assert "'churn' is not a SageMaker ARN" in found.error
    assert "Depth must be from 1 to 10" in found.error
    assert outcome_of(backend, new_cache(backend), "", [{"arn": "x"}]).trail is None


def test_a_missing_start_says_so_and_how_to_look_it_up(demo: tuple[Backend, DemoSummary]) -> None:
    backend, _ = demo
    found = outcome_of(backend, new_cache(backend), "?" + urlencode({"arn": ART + "0" * 32}), None)
    assert found.summary is None and found.trail is None
    assert found.error.startswith("That entity was not found in this account and region.")


def test_a_view_extends_the_trail_by_its_start_named(demo: tuple[Backend, DemoSummary]) -> None:
    backend, summary = demo
    views = new_cache(backend)
    endpoint, package = summary.endpoint_context_arns[0], summary.model_package_artifact_arn
    first = outcome_of(backend, views, "?" + urlencode({"arn": endpoint}), None)
    assert first.summary is not None and first.error == ""
    assert first.trail is not None and [s["arn"] for s in first.trail] == [endpoint]
    assert first.trail[0]["label"] == "churn-prod"  # its name, not a hash
    second = outcome_of(backend, views, "?" + urlencode({"arn": package}), first.trail)
    assert second.trail is not None and [s["arn"] for s in second.trail] == [endpoint, package]
    assert "·" not in second.trail[1]["label"]  # an artifact named from its source
    # Back to the first start: the trail is cut back to it, with the link it was opened by.
    again = outcome_of(backend, views, "?" + urlencode({"arn": endpoint, "depth": 6}), second.trail)
    assert again.trail is not None and [s["arn"] for s in again.trail] == [endpoint]
    assert "depth=6" in again.trail[0]["search"]


def test_the_trail_keeps_its_last_steps() -> None:
    trail = None
    for i in range(TRAIL_STEPS + 3):
        trail = extend_trail(trail, from_search(f"?arn={ART}{i:032d}"), "DataSet", "Artifact")
    assert trail is not None and len(trail) == TRAIL_STEPS
    assert trail[-1]["arn"] == f"{ART}{TRAIL_STEPS + 2:032d}"
    assert trail[0]["arn"] == f"{ART}{3:032d}"


def test_a_view_arranged_by_run_names_its_start_in_the_trail(
    demo: tuple[Backend, DemoSummary],
) -> None:
    shared, summary = demo
    backend = Backend(shared.client, region=shared.region)  # a name book that knows nothing
    image = backend.client.list_artifacts(SourceUri=summary.shared_image_uri)
    arn = image["ArtifactSummaries"][0]["ArtifactArn"]
    found = outcome_of(
        backend,
        new_cache(backend),
        "?" + urlencode({"arn": arn, "direction": "Both", "arrange": "runs"}),
        None,
    )
    assert found.trail is not None
    assert found.trail[0]["label"] == "sagemaker-xgboost:1.7-1"
