"""CreateTrialComponent, DescribeTrialComponent, ListTrialComponents, UpdateTrialComponent and
DeleteTrialComponent over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from api_helpers import (
    ARN_PREFIX,
    assert_unique,
    associate,
    collect_pages,
    create_artifact,
    create_trial_component,
    raises_code,
)

from viz_app.core.model import TRIAL_COMPONENT, EntityRecord


def _put_jobs(service: Any, jobs: list[tuple[str, str, float]]) -> list[str]:
    """Insert auto-created-style trial components: (job name, job kind, creation time)."""
    records = []
    for job, kind, created in jobs:
        resource = {"Training": "training-job", "Processing": "processing-job"}[kind]
        job_arn = f"{ARN_PREFIX}:{resource}/{job}"
        name = f"{job}-aws-{resource}"
        source_type = f"SageMaker{kind}Job"
        doc = {
            "DisplayName": name,
            "Source": {"SourceArn": job_arn, "SourceType": source_type},
            "Status": {"PrimaryStatus": "Completed"},
        }
        arn = f"{ARN_PREFIX}:experiment-trial-component/{name}"
        records.append(
            EntityRecord(arn, TRIAL_COMPONENT, name, source_type, job_arn, created, created, doc)
        )
    service.store.bulk_insert(records)
    return [r.arn for r in records]


def test_create_trial_component_returns_a_name_based_arn(client: Any) -> None:
    arn = create_trial_component(client, "my-tc-1")
    assert arn == f"{ARN_PREFIX}:experiment-trial-component/my-tc-1"


def test_describe_trial_component_returns_what_was_created(client: Any) -> None:
    start = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    arn = create_trial_component(
        client,
        "full-tc",
        DisplayName="Full-TC",
        Status={"PrimaryStatus": "Completed", "Message": "done"},
        StartTime=start,
        EndTime=start + dt.timedelta(hours=1),
        Parameters={"lr": {"NumberValue": 0.1}, "algo": {"StringValue": "xgb"}},
        InputArtifacts={"train": {"Value": "s3://bucket/train.csv", "MediaType": "text/csv"}},
        OutputArtifacts={"model": {"Value": "s3://bucket/model.tar.gz"}},
        MetadataProperties={"GeneratedBy": "me"},
        Tags=[{"Key": "k", "Value": "v"}],
    )
    for name in ("full-tc", arn, "FULL-TC"):
        got = client.describe_trial_component(TrialComponentName=name)
        assert got["TrialComponentArn"] == arn
        assert got["TrialComponentName"] == "full-tc"
        assert got["DisplayName"] == "Full-TC"
        assert got["Status"] == {"PrimaryStatus": "Completed", "Message": "done"}
        assert got["StartTime"] == start
        assert got["EndTime"] == start + dt.timedelta(hours=1)
        assert got["Parameters"]["lr"] == {"NumberValue": 0.1}
        assert got["Parameters"]["algo"] == {"StringValue": "xgb"}
        assert got["InputArtifacts"]["train"]["Value"] == "s3://bucket/train.csv"
        assert got["OutputArtifacts"]["model"] == {"Value": "s3://bucket/model.tar.gz"}
        assert got["MetadataProperties"] == {"GeneratedBy": "me"}
        assert "Source" not in got  # created by hand: no job behind it
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]


def test_describe_auto_created_trial_component_has_its_job_source(
    service: Any, client: Any
) -> None:
    (arn,) = _put_jobs(service, [("train-1", "Training", 100.0)])
    got = client.describe_trial_component(TrialComponentName="train-1-aws-training-job")
    assert got["TrialComponentArn"] == arn
    assert got["Source"] == {
        "SourceArn": f"{ARN_PREFIX}:training-job/train-1",
        "SourceType": "SageMakerTrainingJob",
    }


def test_duplicate_trial_component_name_is_a_validation_error(client: Any) -> None:
    create_trial_component(client, "Twice")
    with raises_code("ValidationException"):
        create_trial_component(client, "twice")


def test_describe_unknown_trial_component_is_resource_not_found(client: Any) -> None:
    with raises_code("ResourceNotFound"):
        client.describe_trial_component(TrialComponentName="ghost")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"TrialComponentName": "t" * 121}, "trialComponentName"),
        ({"TrialComponentName": "under_score"}, "trialComponentName"),
        ({"DisplayName": "d" * 121}, "displayName"),
        ({"Status": {"PrimaryStatus": "Sleeping"}}, "status.primaryStatus"),
        ({"Status": {"Message": "m" * 1025}}, "status.message"),
        ({"Parameters": {f"p{i}": {"StringValue": "v"} for i in range(301)}}, "parameters"),
        ({"Parameters": {"p": {"StringValue": "v" * 2501}}}, "parameters"),
        ({"InputArtifacts": {f"i{i}": {"Value": "v"} for i in range(61)}}, "inputArtifacts"),
        ({"OutputArtifacts": {"o": {"Value": "v" * 2049}}}, "outputArtifacts"),
        ({"InputArtifacts": {"i": {"Value": "v", "MediaType": "not a type"}}}, "inputArtifacts"),
        ({"Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)]}, "tags"),
    ],
)
def test_create_trial_component_rejects_values_outside_the_model(
    client: Any, kwargs: dict[str, Any], field: str
) -> None:
    args: dict[str, Any] = {"TrialComponentName": "valid-tc"}
    args.update(kwargs)
    with raises_code("ValidationException", field):
        client.create_trial_component(**args)


def test_list_trial_components_pages_newest_first(service: Any, client: Any) -> None:
    arns = _put_jobs(service, [(f"job-{i:02d}", "Training", 100.0 + i) for i in range(13)])
    first = client.list_trial_components()
    assert [s["TrialComponentArn"] for s in first["TrialComponentSummaries"]] == arns[::-1][:10]
    items, _ = collect_pages(client.list_trial_components, "TrialComponentSummaries", 5)
    listed = [s["TrialComponentArn"] for s in items]
    assert_unique(listed)
    assert listed == arns[::-1]


def test_list_trial_components_summaries_carry_the_job_source(service: Any, client: Any) -> None:
    _put_jobs(service, [("proc-1", "Processing", 5.0)])
    (summary,) = client.list_trial_components()["TrialComponentSummaries"]
    assert summary["TrialComponentName"] == "proc-1-aws-processing-job"
    assert summary["TrialComponentSource"] == {
        "SourceArn": f"{ARN_PREFIX}:processing-job/proc-1",
        "SourceType": "SageMakerProcessingJob",
    }
    assert summary["Status"]["PrimaryStatus"] == "Completed"


def test_list_trial_components_filters_by_source_arn(service: Any, client: Any) -> None:
    arns = _put_jobs(service, [("a", "Training", 1.0), ("b", "Training", 2.0)])
    got = client.list_trial_components(SourceArn=f"{ARN_PREFIX}:training-job/b")
    assert [s["TrialComponentArn"] for s in got["TrialComponentSummaries"]] == [arns[1]]


def test_list_trial_components_sorts_by_name_and_bounds_creation_inclusively(
    service: Any, client: Any
) -> None:
    arns = _put_jobs(
        service, [("c", "Training", 1000.0), ("a", "Training", 2000.0), ("b", "Training", 3000.0)]
    )
    by_name = client.list_trial_components(SortBy="Name", SortOrder="Ascending")
    assert [s["TrialComponentArn"] for s in by_name["TrialComponentSummaries"]] == [
        arns[1],
        arns[2],
        arns[0],
    ]
    bounded = client.list_trial_components(
        CreatedAfter=dt.datetime.fromtimestamp(1000, dt.UTC),
        CreatedBefore=dt.datetime.fromtimestamp(2000, dt.UTC),
        SortOrder="Ascending",
    )
    assert [s["TrialComponentArn"] for s in bounded["TrialComponentSummaries"]] == arns[:2]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"MaxResults": 101}, "maxResults"),
        ({"SortBy": "Type"}, "sortBy"),
        ({"SortOrder": "Up"}, "sortOrder"),
        ({"SourceArn": "s" * 257}, "sourceArn"),
        ({"ExperimentName": "bad_name"}, "experimentName"),
    ],
)
def test_list_trial_components_rejects_out_of_model_arguments(
    client: Any, kwargs: dict[str, Any], field: str
) -> None:
    with raises_code("ValidationException", field):
        client.list_trial_components(**kwargs)


def test_update_trial_component_merges_and_removes_parameters(client: Any) -> None:
    arn = create_trial_component(
        client, "upd-tc", Parameters={"a": {"StringValue": "1"}, "b": {"NumberValue": 2.0}}
    )
    before = client.describe_trial_component(TrialComponentName="upd-tc")
    response = client.update_trial_component(
        TrialComponentName="upd-tc",
        DisplayName="Renamed",
        Status={"PrimaryStatus": "Failed"},
        Parameters={"c": {"StringValue": "3"}},
        ParametersToRemove=["a"],
        OutputArtifacts={"out": {"Value": "s3://bucket/out"}},
    )
    assert response["TrialComponentArn"] == arn
    got = client.describe_trial_component(TrialComponentName="upd-tc")
    assert set(got["Parameters"]) == {"b", "c"}
    assert got["DisplayName"] == "Renamed"
    assert got["Status"]["PrimaryStatus"] == "Failed"
    assert got["OutputArtifacts"] == {"out": {"Value": "s3://bucket/out"}}
    assert got["LastModifiedTime"] >= before["LastModifiedTime"]


def test_update_unknown_trial_component_is_resource_not_found(client: Any) -> None:
    with raises_code("ResourceNotFound"):
        client.update_trial_component(TrialComponentName="ghost", DisplayName="x")


def test_delete_trial_component_returns_its_arn_and_cascades_associations(client: Any) -> None:
    arn = create_trial_component(client, "gone-tc")
    model = create_artifact(client, "s3://bucket/tc-model", "Model")
    associate(client, arn, model, "Produced")
    assert client.delete_trial_component(TrialComponentName="gone-tc")["TrialComponentArn"] == arn
    with raises_code("ResourceNotFound"):
        client.describe_trial_component(TrialComponentName="gone-tc")
    assert client.list_associations(DestinationArn=model)["AssociationSummaries"] == []
    with raises_code("ResourceNotFound"):
        client.delete_trial_component(TrialComponentName="gone-tc")
