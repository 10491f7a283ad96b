"""The name book against the real local service over HTTP (boto3): names, calls, the cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from viz_app.api.server import start_service
from viz_app.core.demo import build_demo
from viz_app.core.store import Store
from viz_app.ui.backends import Backend
from viz_app.ui.elements_route import view_names
from viz_app.ui.names import NameBook
from viz_app.ui.query_state import QueryState
from viz_app.ui.view_build import new_cache
from viz_app.ui.view_cache import view_key


def _client(url: str) -> Any:
    return boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    store = Store(tmp_path_factory.mktemp("names") / "demo.db")
    build_demo(store)
    service = start_service(store)
    yield _client(service.url)
    service.close()
    store.close()


@pytest.fixture(scope="module")
def big_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The demo at scale 4: over 300 artifacts, three ListArtifacts pages of 100."""
    store = Store(tmp_path_factory.mktemp("names") / "big.db")
    build_demo(store, scale=4)
    service = start_service(store)
    yield _client(service.url)
    service.close()
    store.close()


def all_artifacts(client: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"MaxResults": 100}
    while True:
        page = client.list_artifacts(**kwargs)
        out += page["ArtifactSummaries"]
        if not page.get("NextToken"):
            return out
        kwargs["NextToken"] = page["NextToken"]


def test_a_few_artifacts_are_described_once_each_then_served_from_the_book(client: Any) -> None:
    artifacts = all_artifacts(client)[:5]
    book = NameBook(client)
    found = book.fill(a["ArtifactArn"] for a in artifacts)
    assert {arn: n.uri for arn, n in found.items()} == {
        a["ArtifactArn"]: a["Source"]["SourceUri"] for a in artifacts
    }
    assert book.stats["describes"] == 5 and book.stats["list_pages"] == 0
    book.fill(a["ArtifactArn"] for a in artifacts)
    assert book.stats["describes"] == 5, "no artifact is described twice"
    assert book.stats["hits"] == 5


def test_many_missing_artifacts_are_named_from_list_pages(client: Any) -> None:
    artifacts = all_artifacts(client)
    assert len(artifacts) > 40
    book = NameBook(client)
    book.fill(a["ArtifactArn"] for a in artifacts)
    assert book.unnamed(a["ArtifactArn"] for a in artifacts) == []
    assert book.stats["list_pages"] <= len(artifacts) // 100 + 3
    assert book.stats["describes"] == 0


def test_names_survive_a_restart_through_the_cache_file(client: Any, tmp_path: Path) -> None:
    path = tmp_path / "names.jsonl"
    arns = [a["ArtifactArn"] for a in all_artifacts(client)[:3]]
    NameBook(client, path).fill(arns)
    again = NameBook(client, path)
    assert set(again.known(arns)) == set(arns)
    again.fill(arns)
    assert again.stats["describes"] == 0 and again.stats["hits"] == 3


def test_a_torn_cache_line_costs_only_that_name(client: Any, tmp_path: Path) -> None:
    path = tmp_path / "names.jsonl"
    arns = [a["ArtifactArn"] for a in all_artifacts(client)[:2]]
    NameBook(client, path).fill(arns)
    path.write_text(path.read_text() + '{"arn": "half', encoding="utf-8")
    assert set(NameBook(client, path).known(arns)) == set(arns)


def test_entity_types_give_each_start_its_natural_direction(client: Any) -> None:
    from viz_app.ui.query_state import default_direction

    book = NameBook(client)
    endpoint = client.list_contexts(ContextType="Endpoint")["ContextSummaries"][0]["ContextArn"]
    dataset = client.list_artifacts(ArtifactType="DataSet")["ArtifactSummaries"][0]
    assert default_direction(book.entity_type(endpoint)) == "Ascendants"
    assert default_direction(book.entity_type(dataset["ArtifactArn"])) == "Descendants"
    assert default_direction(book.entity_type(endpoint.replace("context/", "action/x"))) == "Both"


def test_an_entity_that_cannot_be_described_is_not_asked_again_at_once(client: Any) -> None:
    book = NameBook(client)
    ghost = "arn:aws:sagemaker:us-east-1:123456789012:artifact/" + "0" * 32
    assert book.fill([ghost]) == {}
    assert book.stats["failures"] == 1
    assert book.unnamed([ghost]) == [], "the page is not sent to ask for it again"
    book.fill([ghost])
    assert book.stats["failures"] == 1, "no second Describe within the retry pause"


def test_listing_stops_when_pages_name_fewer_wanted_artifacts_than_they_cost(
    big_client: Any,
) -> None:
    """Wanted: 200 artifacts no page lists (the budget would allow 5 pages; the store has
    3): at most one page is spent before Describe takes over."""
    assert len(all_artifacts(big_client)) > 200  # three pages of 100 to list
    ghosts = [f"arn:aws:sagemaker:us-east-1:123456789012:artifact/{i:032x}" for i in range(200)]
    book = NameBook(big_client)
    book.fill(ghosts)
    assert book.stats["list_pages"] == 1


def test_listing_passes_over_a_first_page_the_book_knows_already(big_client: Any) -> None:
    """The newest 100 artifacts are named already (an earlier view's): the rest are named
    from the pages after them, not described one by one."""
    newest = big_client.list_artifacts(
        MaxResults=100, SortBy="CreationTime", SortOrder="Descending"
    )["ArtifactSummaries"]
    book = NameBook(big_client)
    for item in newest:
        book.learn(item["ArtifactArn"], item)
    rest = [a["ArtifactArn"] for a in all_artifacts(big_client)]
    rest = [a for a in rest if not book.known([a])]
    assert len(rest) > 100
    book.fill(rest)
    assert book.unnamed(rest) == []
    assert book.stats["describes"] == 0
    assert book.stats["list_pages"] <= len(rest) // 100 + 3


def test_the_books_version_grows_only_when_a_name_is_learned(client: Any) -> None:
    artifacts = [a["ArtifactArn"] for a in all_artifacts(client)[:3]]
    book = NameBook(client)
    before = book.version
    book.fill(artifacts)
    learned = book.version
    assert learned > before
    book.fill(artifacts)  # all known: nothing learned
    book.learn(artifacts[0], client.describe_artifact(ArtifactArn=artifacts[0]))
    assert book.version == learned


def test_a_views_names_are_made_once_per_state_of_the_book(client: Any) -> None:
    start = all_artifacts(client)[0]["ArtifactArn"]
    backend = Backend.for_endpoint(
        client.meta.endpoint_url, region="us-east-1", account_id="123456789012"
    )
    views = new_cache(backend)
    view = views.get(view_key(QueryState(arn=start, direction="Both", depth=2)))
    first = view_names(backend.names, view, views)
    assert view_names(backend.names, view, views) is first, "made once, then shared"
    unnamed = backend.names.unnamed(view.by_arn)
    assert unnamed, "a fresh book knows no artifact yet"
    backend.names.fill(unnamed)
    fresh = view_names(backend.names, view, views)
    assert fresh is not first
    assert all(fresh.labels[a] != first.labels[a] for a in unnamed), "hash labels replaced"
