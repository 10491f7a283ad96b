"""AddAssociation, DeleteAssociation and ListAssociations over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from api_helpers import (
    ARN_PREFIX,
    assert_unique,
    associate,
    collect_pages,
    create_action,
    create_artifact,
    create_context,
    create_trial_component,
    raises_code,
)
from botocore.exceptions import ClientError

from viz_app.core.model import (
    ARTIFACT,
    TRIAL_COMPONENT,
    AssociationRecord,
    EntityRecord,
    artifact_id,
)


def _small_graph(client: Any) -> dict[str, str]:
    """data -> tc (training job) -> model -> deploy -> endpoint; named and unnamed artifacts."""
    arns = {
        "data": create_artifact(client, "s3://bucket/train.csv", "DataSet"),
        "model": create_artifact(client, "s3://bucket/model.tar.gz", "Model", name="the-model"),
        "deploy": create_action(client, "deploy", "ModelDeployment"),
        "endpoint": create_context(client, "endpoint", "Endpoint"),
    }
    associate(client, arns["data"], arns["model"], "ContributedTo")
    associate(client, arns["model"], arns["deploy"], "ContributedTo")
    associate(client, arns["deploy"], arns["endpoint"], "AssociatedWith")
    return arns


def test_add_association_echoes_both_arns(client: Any) -> None:
    data = create_artifact(client, "s3://bucket/a")
    ctx = create_context(client, "ctx")
    response = client.add_association(
        SourceArn=data, DestinationArn=ctx, AssociationType="AssociatedWith"
    )
    assert response["SourceArn"] == data
    assert response["DestinationArn"] == ctx


def test_list_associations_describes_both_ends(client: Any) -> None:
    arns = _small_graph(client)
    (summary,) = client.list_associations(SourceArn=arns["data"])["AssociationSummaries"]
    assert summary["SourceArn"] == arns["data"]
    assert summary["DestinationArn"] == arns["model"]
    assert summary["SourceType"] == "DataSet"
    assert summary["DestinationType"] == "Model"
    assert summary["AssociationType"] == "ContributedTo"
    assert "SourceName" not in summary  # an unnamed artifact has no name
    assert summary["DestinationName"] == "the-model"
    assert isinstance(summary["CreationTime"], dt.datetime)
    assert "CreatedBy" not in summary


def test_list_associations_names_contexts_and_actions(client: Any) -> None:
    arns = _small_graph(client)
    (summary,) = client.list_associations(SourceArn=arns["deploy"])["AssociationSummaries"]
    assert summary["SourceName"] == "deploy"
    assert summary["DestinationName"] == "endpoint"
    assert summary["SourceType"] == "ModelDeployment"
    assert summary["DestinationType"] == "Endpoint"


def test_association_without_a_type_has_no_association_type(client: Any) -> None:
    data = create_artifact(client, "s3://bucket/untyped")
    ctx = create_context(client, "untyped")
    associate(client, data, ctx)
    (summary,) = client.list_associations(SourceArn=data)["AssociationSummaries"]
    assert "AssociationType" not in summary
    response = client.query_lineage(StartArns=[data], IncludeEdges=True)
    assert response["Edges"] == [{"SourceArn": data, "DestinationArn": ctx}]


def test_duplicate_association_is_a_validation_error(client: Any) -> None:
    data = create_artifact(client, "s3://bucket/dup")
    ctx = create_context(client, "dup")
    associate(client, data, ctx, "ContributedTo")
    with raises_code("ValidationException"):
        associate(client, data, ctx, "AssociatedWith")


@pytest.mark.parametrize("missing_end", ["source", "destination"])
def test_association_with_a_missing_end_is_resource_not_found(
    client: Any, missing_end: str
) -> None:
    data = create_artifact(client, "s3://bucket/lonely")
    ghost = f"{ARN_PREFIX}:context/ghost"
    source, destination = (ghost, data) if missing_end == "source" else (data, ghost)
    with raises_code("ResourceNotFound"):
        associate(client, source, destination)


def test_association_between_two_trial_components_is_a_validation_error(client: Any) -> None:
    first = create_trial_component(client, "tc-one")
    second = create_trial_component(client, "tc-two")
    with raises_code("ValidationException"):
        associate(client, first, second)


def test_association_between_an_experiment_and_a_trial_component_is_a_validation_error(
    client: Any,
) -> None:
    tc = create_trial_component(client, "tc-exp")
    experiment = f"{ARN_PREFIX}:experiment/some-experiment"
    with pytest.raises(ClientError) as excinfo:
        associate(client, experiment, tc)
    code = excinfo.value.response["Error"]["Code"]
    assert code in {"ValidationException", "ResourceNotFound"}


def test_trial_component_to_artifact_association_is_allowed(client: Any) -> None:
    tc = create_trial_component(client, "tc-ok")
    model = create_artifact(client, "s3://bucket/out.tar.gz", "Model")
    associate(client, tc, model, "Produced")
    (summary,) = client.list_associations(SourceArn=tc)["AssociationSummaries"]
    assert summary["DestinationArn"] == model
    assert summary["SourceName"] == "tc-ok"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"SourceArn": "not-an-arn"}, "sourceArn"),
        ({"DestinationArn": f"{ARN_PREFIX}:endpoint/not-lineage"}, "destinationArn"),
        ({"SourceArn": f"{ARN_PREFIX}:artifact/" + "a" * 250}, "sourceArn"),
        ({"AssociationType": "Begat"}, "associationType"),
    ],
)
def test_add_association_rejects_values_outside_the_model(
    client: Any, kwargs: dict[str, Any], field: str
) -> None:
    data = create_artifact(client, "s3://bucket/val")
    ctx = create_context(client, "val")
    args: dict[str, Any] = {"SourceArn": data, "DestinationArn": ctx}
    args.update(kwargs)
    with raises_code("ValidationException", field):
        client.add_association(**args)


def test_delete_association_removes_only_that_pair(client: Any) -> None:
    arns = _small_graph(client)
    response = client.delete_association(SourceArn=arns["data"], DestinationArn=arns["model"])
    assert response == {
        "SourceArn": arns["data"],
        "DestinationArn": arns["model"],
        "ResponseMetadata": response["ResponseMetadata"],
    }
    assert client.list_associations(SourceArn=arns["data"])["AssociationSummaries"] == []
    assert len(client.list_associations()["AssociationSummaries"]) == 2
    associate(client, arns["data"], arns["model"])  # re-adding is allowed after delete


def test_delete_missing_association_is_resource_not_found(client: Any) -> None:
    arns = _small_graph(client)
    with raises_code("ResourceNotFound"):
        client.delete_association(SourceArn=arns["endpoint"], DestinationArn=arns["data"])


def test_list_associations_filters_by_each_end_and_type(client: Any) -> None:
    arns = _small_graph(client)

    def pairs(**kwargs: Any) -> set[tuple[str, str]]:
        summaries = client.list_associations(**kwargs)["AssociationSummaries"]
        return {(s["SourceArn"], s["DestinationArn"]) for s in summaries}

    assert pairs(DestinationArn=arns["endpoint"]) == {(arns["deploy"], arns["endpoint"])}
    assert pairs(SourceType="Model") == {(arns["model"], arns["deploy"])}
    assert pairs(DestinationType="ModelDeployment") == {(arns["model"], arns["deploy"])}
    assert pairs(AssociationType="ContributedTo") == {
        (arns["data"], arns["model"]),
        (arns["model"], arns["deploy"]),
    }
    assert pairs(AssociationType="ContributedTo", SourceType="DataSet") == {
        (arns["data"], arns["model"])
    }
    assert pairs(SourceArn=arns["data"], DestinationArn=arns["endpoint"]) == set()


def test_list_associations_source_type_of_a_trial_component_is_its_source_type(
    service: Any, client: Any
) -> None:
    uri = "s3://bucket/tc-in.csv"
    data = f"{ARN_PREFIX}:artifact/{artifact_id(uri, None)}"
    job = f"{ARN_PREFIX}:training-job/job-1"
    tc = f"{ARN_PREFIX}:experiment-trial-component/job-1-aws-training-job"
    service.store.bulk_insert(
        [
            EntityRecord(
                data, ARTIFACT, None, "DataSet", uri, 10.0, 10.0, {"Source": {"SourceUri": uri}}
            ),
            EntityRecord(
                tc,
                TRIAL_COMPONENT,
                "job-1-aws-training-job",
                "SageMakerTrainingJob",
                job,
                20.0,
                20.0,
                {"Source": {"SourceArn": job, "SourceType": "SageMakerTrainingJob"}},
            ),
        ],
        [AssociationRecord(data, tc, "ContributedTo", 30.0)],
    )
    (summary,) = client.list_associations(DestinationType="SageMakerTrainingJob")[
        "AssociationSummaries"
    ]
    assert summary["DestinationArn"] == tc
    assert summary["DestinationType"] == "SageMakerTrainingJob"
    assert summary["DestinationName"] == "job-1-aws-training-job"


def _seed_chain(service: Any, count: int) -> list[tuple[str, str]]:
    """`count` artifacts in a chain, the i-th association created at time 1000 + i."""
    uris = [f"s3://bucket/chain/{i}" for i in range(count + 1)]
    arns = [f"{ARN_PREFIX}:artifact/{artifact_id(u, None)}" for u in uris]
    entities = [
        EntityRecord(a, ARTIFACT, None, "DataSet", u, 1.0, 1.0, {"Source": {"SourceUri": u}})
        for a, u in zip(arns, uris, strict=True)
    ]
    edges = [
        AssociationRecord(arns[i], arns[i + 1], "DerivedFrom", 1000.0 + i) for i in range(count)
    ]
    service.store.bulk_insert(entities, edges)
    return [(e.source_arn, e.destination_arn) for e in edges]


def test_list_associations_pages_newest_first_ten_at_a_time(service: Any, client: Any) -> None:
    pairs = _seed_chain(service, 27)
    first = client.list_associations()
    assert len(first["AssociationSummaries"]) == 10
    items, pages = collect_pages(client.list_associations, "AssociationSummaries", 8)
    got = [(s["SourceArn"], s["DestinationArn"]) for s in items]
    assert_unique(got)
    assert got == pairs[::-1]
    assert len(pages) == 4


def test_list_associations_sorts_by_each_key(service: Any, client: Any) -> None:
    pairs = _seed_chain(service, 6)
    ascending = client.list_associations(SortBy="CreationTime", SortOrder="Ascending")
    assert [(s["SourceArn"], s["DestinationArn"]) for s in ascending["AssociationSummaries"]] == (
        pairs
    )
    for key in ("SourceArn", "DestinationArn"):
        for order, reverse in (("Ascending", False), ("Descending", True)):
            items, _ = collect_pages(
                client.list_associations, "AssociationSummaries", 4, SortBy=key, SortOrder=order
            )
            values = [s[key] for s in items]
            assert values == sorted(values, reverse=reverse)
            assert len(items) == 6


def test_list_associations_created_bounds_are_inclusive(service: Any, client: Any) -> None:
    pairs = _seed_chain(service, 5)
    got = client.list_associations(
        CreatedAfter=dt.datetime.fromtimestamp(1001, dt.UTC),
        CreatedBefore=dt.datetime.fromtimestamp(1003, dt.UTC),
        SortOrder="Ascending",
    )["AssociationSummaries"]
    assert [(s["SourceArn"], s["DestinationArn"]) for s in got] == pairs[1:4]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"MaxResults": 101}, "maxResults"),
        ({"SortBy": "Name"}, "sortBy"),
        ({"SortOrder": "Up"}, "sortOrder"),
        ({"AssociationType": "Likes"}, "associationType"),
        ({"SourceArn": "arn:nope"}, "sourceArn"),
        ({"DestinationArn": "x" * 257}, "destinationArn"),
        ({"SourceType": "t" * 257}, "sourceType"),
        ({"DestinationType": "t" * 257}, "destinationType"),
        ({"NextToken": "n" * 8193}, "nextToken"),
    ],
)
def test_list_associations_rejects_out_of_model_arguments(
    client: Any, kwargs: dict[str, Any], field: str
) -> None:
    with raises_code("ValidationException", field):
        client.list_associations(**kwargs)
