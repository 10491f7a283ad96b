"""Every paged operation pages alike (one `Pager` each): any page size walks the same items once,
the last page omits NextToken, and a token is good only for the request that made it."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import collect_pages, raises_code
from botocore.exceptions import ClientError

from viz_app.api.paging import BAD_TOKEN

# (operation, members, result key, the member(s) naming an item)
LISTINGS: list[tuple[str, dict[str, Any], str, tuple[str, ...]]] = [
    ("list_artifacts", {}, "ArtifactSummaries", ("ArtifactArn",)),
    ("list_artifacts", {"SortBy": "CreationTime", "SortOrder": "Ascending"}, "ArtifactSummaries",
     ("ArtifactArn",)),
    ("list_contexts", {"SortBy": "Name"}, "ContextSummaries", ("ContextArn",)),
    ("list_actions", {}, "ActionSummaries", ("ActionArn",)),
    ("list_trial_components", {}, "TrialComponentSummaries", ("TrialComponentArn",)),
    ("list_associations", {"SortBy": "SourceType"}, "AssociationSummaries",
     ("SourceArn", "DestinationArn")),
    ("list_experiments", {}, "ExperimentSummaries", ("ExperimentArn",)),
    ("list_trials", {"SortBy": "Name"}, "TrialSummaries", ("TrialArn",)),
]  # fmt: skip


def _names(items: list[dict[str, Any]], members: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [tuple(item[m] for m in members) for item in items]


@pytest.mark.parametrize(("operation", "members", "key", "naming"), LISTINGS)
def test_small_and_large_pages_list_the_same_items_once_in_the_same_order(
    demo_client: Any, operation: str, members: dict[str, Any], key: str, naming: tuple[str, ...]
) -> None:
    call = getattr(demo_client, operation)
    small, pages = collect_pages(call, key, 3, **members)
    large, _ = collect_pages(call, key, 100, **members)
    assert len(small) > 3 and len(pages) > 1  # the demo has enough to page
    assert _names(small, naming) == _names(large, naming)
    assert len(set(_names(small, naming))) == len(small)


def test_query_lineage_pages_hold_every_vertex_once_and_every_edge_once(demo_client: Any) -> None:
    endpoint = demo_client.list_contexts(ContextType="Endpoint")["ContextSummaries"][0]
    ask = {"StartArns": [endpoint["ContextArn"]], "Direction": "Both", "IncludeEdges": True}
    small, pages = collect_pages(demo_client.query_lineage, "Vertices", 4, **ask)
    whole = demo_client.query_lineage(**ask, MaxResults=50)
    assert len(pages) > 2 and "NextToken" not in whole
    assert [v["Arn"] for v in small] == [v["Arn"] for v in whole["Vertices"]]
    edges = [(e["SourceArn"], e["DestinationArn"]) for p in pages for e in p["Edges"]]
    assert sorted(edges) == sorted((e["SourceArn"], e["DestinationArn"]) for e in whole["Edges"])
    assert len(set(edges)) == len(edges)


def _token(client: Any, operation: str, **members: Any) -> str:
    token: str = getattr(client, operation)(**members, MaxResults=1)["NextToken"]
    return token


@pytest.mark.parametrize(
    ("operation", "members"),
    [
        ("list_artifacts", {}),
        ("list_artifacts", {"SortOrder": "Ascending"}),
        ("list_contexts", {}),
        ("list_associations", {}),
        ("list_experiments", {}),
        ("list_trials", {}),
        ("search", {"Resource": "ExperimentTrialComponent"}),
    ],
)
def test_a_token_from_another_request_is_refused_with_the_one_message(
    demo_client: Any, operation: str, members: dict[str, Any]
) -> None:
    # A ListArtifacts token (newest first) continues no other listing, nor its own reversed.
    foreign = _token(demo_client, "list_artifacts", SortOrder="Descending")
    if operation == "list_artifacts" and not members:
        foreign = _token(demo_client, "list_actions")
    with raises_code("ValidationException") as excinfo:
        getattr(demo_client, operation)(**members, NextToken=foreign)
    error: ClientError = excinfo.value
    assert error.response["Error"]["Message"] == BAD_TOKEN
