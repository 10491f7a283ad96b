"""URL <-> query state: round trips and validation sentences."""

from __future__ import annotations

import datetime as dt

from viz_app.ui.query_state import QueryState, from_search, validate

ARN = "arn:aws:sagemaker:us-east-1:123456789012:context/churn-prod-aws-endpoint"


def test_a_full_view_survives_a_round_trip_through_its_url() -> None:
    state = QueryState(
        arn=ARN,
        direction="Ascendants",
        depth=7,
        lineage_types=("Artifact",),
        types=("DataSet", "Model"),
        created_after="2024-01-01",
        modified_before="2024-12-31",
        prop=("framework", "xgboost"),
    )
    assert from_search(state.to_search()) == state
    assert from_search(state.to_search()).errors == ()


def test_an_empty_url_is_the_default_view_without_a_start() -> None:
    state = from_search("")
    assert state.arn is None and state.direction == "Both" and state.errors == ()


def test_filters_become_the_query_lineage_filters_member() -> None:
    state = validate(
        ARN, "Both", 3, ["Artifact"], ["DataSet"], {"created_after": "2024-05-01"}, "k=v"
    )
    assert state.filters() == {
        "Types": ["DataSet"],
        "LineageTypes": ["Artifact"],
        "CreatedAfter": dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
        "Properties": {"k": "v"},
    }


def test_a_re_root_keeps_direction_depth_and_filters() -> None:
    state = validate(ARN, "Descendants", 2, ["Artifact"], [], {}, None)
    other = "arn:aws:sagemaker:us-east-1:123456789012:artifact/0123456789abcdef0123456789abcdef"
    moved = state.with_start(other)
    assert (moved.arn, moved.direction, moved.depth, moved.lineage_types) == (
        other,
        "Descendants",
        2,
        ("Artifact",),
    )


def test_invalid_deep_link_values_are_explained_and_replaced_by_defaults() -> None:
    state = from_search(
        "?arn=nope&direction=Up&depth=12&lineage_types=Thing"
        "&created_after=yesterday&property=novalue"
    )
    text = " ".join(state.errors)
    assert state.arn is None and state.direction == "Both" and state.depth == 10
    for fragment in (
        "not a SageMaker ARN",
        "Direction must be",
        "Depth must be",
        "Unknown lineage type",
        "not a date",
        "key=value",
    ):
        assert fragment in text


def test_a_non_lineage_arn_is_sent_to_the_start_box() -> None:
    state = from_search("?arn=arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-prod")
    assert state.arn is None
    assert "endpoint ARN, not a lineage entity" in state.errors[0]


def test_more_than_five_types_is_refused() -> None:
    state = validate(ARN, "Both", 3, [], ["A", "B", "C", "D", "E", "F"], {}, None)
    assert len(state.types) == 5 and "At most 5" in state.errors[0]


def test_a_url_is_parsed_once_however_many_callbacks_ask() -> None:
    search = "?arn=arn:aws:sagemaker:us-east-1:123456789012:artifact/" + "b" * 32 + "&depth=3"
    first = from_search(search)
    assert from_search(search) is first  # the same state, not a second parse
    assert from_search(search + "&direction=Both") is not first
