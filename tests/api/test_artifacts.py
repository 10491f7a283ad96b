"""CreateArtifact, DescribeArtifact, ListArtifacts, UpdateArtifact, DeleteArtifact over HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from api_helpers import (
    ARN_PREFIX,
    ARTIFACT_ARN_RE,
    artifact_source,
    assert_unique,
    collect_pages,
    create_artifact,
    raises_code,
)

from viz_app.core.model import ARTIFACT, EntityRecord, artifact_id


def _put_artifacts(service: Any, times: list[float], artifact_type: str = "DataSet") -> list[str]:
    """Insert artifacts with exact creation times straight into the store."""
    records = []
    for index, created in enumerate(times):
        uri = f"s3://bucket/seeded/{index}.csv"
        arn = f"{ARN_PREFIX}:artifact/{artifact_id(uri, None)}"
        doc = {"Source": {"SourceUri": uri}, "Properties": {}}
        records.append(EntityRecord(arn, ARTIFACT, None, artifact_type, uri, created, created, doc))
    service.store.bulk_insert(records)
    return [r.arn for r in records]


def test_create_artifact_returns_a_content_derived_arn(client: Any) -> None:
    arn = create_artifact(client, "s3://bucket/train.csv")
    assert ARTIFACT_ARN_RE.match(arn), arn
    client.delete_artifact(ArtifactArn=arn)
    assert create_artifact(client, "s3://bucket/train.csv") == arn


def test_create_artifact_arn_is_the_md5_of_its_source(client: Any) -> None:
    arn = create_artifact(client, "s3://bucket/a.csv")
    other = create_artifact(client, "s3://bucket/b.csv")
    assert arn != other
    digest = arn.rsplit("/", 1)[1]
    assert digest == artifact_id("s3://bucket/a.csv", None)
    assert len(digest) == len(hashlib.md5(b"").hexdigest())


def test_describe_artifact_returns_everything_created(client: Any) -> None:
    arn = client.create_artifact(
        ArtifactName="my-data",
        Source=artifact_source("s3://bucket/d.csv", ("S3ETag", "abc"), ("Custom", "x")),
        ArtifactType="DataSet",
        Properties={"k1": "v1", "k2": "v2"},
        MetadataProperties={
            "CommitId": "c1",
            "Repository": "r",
            "GeneratedBy": "g",
            "ProjectId": "p",
        },
        Tags=[{"Key": "team", "Value": "ml"}],
    )["ArtifactArn"]
    got = client.describe_artifact(ArtifactArn=arn)
    assert got["ArtifactArn"] == arn
    assert got["ArtifactName"] == "my-data"
    assert got["Source"]["SourceUri"] == "s3://bucket/d.csv"
    assert sorted((t["SourceIdType"], t["Value"]) for t in got["Source"]["SourceTypes"]) == [
        ("Custom", "x"),
        ("S3ETag", "abc"),
    ]
    assert got["ArtifactType"] == "DataSet"
    assert got["Properties"] == {"k1": "v1", "k2": "v2"}
    assert got["MetadataProperties"]["CommitId"] == "c1"
    assert isinstance(got["CreationTime"], dt.datetime)
    assert got["LastModifiedTime"] >= got["CreationTime"]
    tags = client.list_tags(ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "team", "Value": "ml"}]


def test_describe_artifact_without_a_name_omits_artifact_name(client: Any) -> None:
    arn = create_artifact(client, "s3://bucket/unnamed.csv")
    assert "ArtifactName" not in client.describe_artifact(ArtifactArn=arn)


def test_describe_unknown_artifact_is_resource_not_found(client: Any) -> None:
    with raises_code("ResourceNotFound"):
        client.describe_artifact(ArtifactArn=f"{ARN_PREFIX}:artifact/{'0' * 32}")


def test_create_artifact_with_an_existing_source_is_a_validation_error(client: Any) -> None:
    create_artifact(client, "s3://bucket/dup.csv")
    with raises_code("ValidationException"):
        create_artifact(client, "s3://bucket/dup.csv")


def test_same_source_uri_with_different_source_types_makes_two_artifacts(client: Any) -> None:
    first = client.create_artifact(
        Source=artifact_source("s3://bucket/v.csv", ("S3Version", "1")), ArtifactType="DataSet"
    )["ArtifactArn"]
    second = client.create_artifact(
        Source=artifact_source("s3://bucket/v.csv", ("S3Version", "2")), ArtifactType="DataSet"
    )["ArtifactArn"]
    assert first != second
    listed = client.list_artifacts(SourceUri="s3://bucket/v.csv")["ArtifactSummaries"]
    assert {a["ArtifactArn"] for a in listed} == {first, second}


def test_artifact_names_need_not_be_unique(client: Any) -> None:
    a = create_artifact(client, "s3://bucket/n1", name="foo")
    b = create_artifact(client, "s3://bucket/n2", name="foo")
    assert a != b


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ArtifactName": "a" * 121}, "artifactName"),
        ({"ArtifactName": "bad_name"}, "artifactName"),
        ({"ArtifactName": "-leading"}, "artifactName"),
        ({"ArtifactType": "t" * 257}, "artifactType"),
        ({"Source": {"SourceUri": "s3://" + "x" * 2044}}, "source.sourceUri"),
        (
            {
                "Source": {
                    "SourceUri": "s3://b/k",
                    "SourceTypes": [{"SourceIdType": "Sha1", "Value": "v"}],
                }
            },
            "source.sourceTypes.1.member.sourceIdType",
        ),
        (
            {
                "Source": {
                    "SourceUri": "s3://b/k",
                    "SourceTypes": [{"SourceIdType": "Custom", "Value": "v" * 257}],
                }
            },
            "source.sourceTypes.1.member.value",
        ),
        ({"Properties": {f"k{i}": "v" for i in range(31)}}, "properties"),
        ({"Properties": {"k": "v" * 4097}}, "properties"),
        ({"Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)]}, "tags"),
        ({"Tags": [{"Key": "k" * 129, "Value": "v"}]}, "tags.1.member.key"),
        ({"Tags": [{"Key": "k", "Value": "v" * 257}]}, "tags.1.member.value"),
        ({"Tags": [{"Key": "bad#key", "Value": "v"}]}, "tags.1.member.key"),
        ({"MetadataProperties": {"CommitId": "c" * 1025}}, "metadataProperties.commitId"),
    ],
)
def test_create_artifact_rejects_values_outside_the_model(
    client: Any, kwargs: dict[str, Any], field: str
) -> None:
    args: dict[str, Any] = {"Source": {"SourceUri": "s3://bucket/ok"}, "ArtifactType": "DataSet"}
    args.update(kwargs)
    with raises_code("ValidationException") as excinfo:
        client.create_artifact(**args)
    message = excinfo.value.response["Error"]["Message"]
    assert message.startswith("1 validation error detected: Value "), message
    # List members are named AWS-style (`tags.1.member.key`); only their prefix is pinned here.
    named = field.split(".member")[0].rsplit(".", 1)[0] if ".member" in field else field
    assert f"at '{named}" in message, message


def test_list_artifacts_sorts_newest_first_and_pages_ten_by_default(client: Any) -> None:
    arns = [create_artifact(client, f"s3://bucket/list/{i}") for i in range(23)]
    first = client.list_artifacts()
    assert len(first["ArtifactSummaries"]) == 10
    assert first.get("NextToken")
    items, pages = collect_pages(client.list_artifacts, "ArtifactSummaries", 7)
    listed = [a["ArtifactArn"] for a in items]
    assert_unique(listed)
    assert set(listed) == set(arns)
    times = [a["CreationTime"] for a in items]
    assert times == sorted(times, reverse=True)
    assert len(pages) == 4


def test_list_artifacts_orders_by_creation_time_both_ways(service: Any, client: Any) -> None:
    arns = _put_artifacts(service, [1000.0, 3000.0, 2000.0])
    ascending = client.list_artifacts(SortBy="CreationTime", SortOrder="Ascending")
    assert [a["ArtifactArn"] for a in ascending["ArtifactSummaries"]] == [arns[0], arns[2], arns[1]]
    descending = client.list_artifacts(SortOrder="Descending")
    assert [a["ArtifactArn"] for a in descending["ArtifactSummaries"]] == [
        arns[1],
        arns[2],
        arns[0],
    ]


def test_list_artifacts_created_bounds_are_inclusive(service: Any, client: Any) -> None:
    arns = _put_artifacts(service, [1000.0, 2000.0, 3000.0, 4000.0])
    got = client.list_artifacts(
        CreatedAfter=dt.datetime.fromtimestamp(2000, dt.UTC),
        CreatedBefore=dt.datetime.fromtimestamp(3000, dt.UTC),
    )["ArtifactSummaries"]
    assert {a["ArtifactArn"] for a in got} == {arns[1], arns[2]}


def test_list_artifacts_filters_by_source_uri_and_type(client: Any) -> None:
    data = create_artifact(client, "s3://bucket/f/data.csv", "DataSet")
    model = create_artifact(client, "s3://bucket/f/model.tar.gz", "Model")
    create_artifact(client, "s3://bucket/f/other.csv", "DataSet")
    by_uri = client.list_artifacts(SourceUri="s3://bucket/f/data.csv")["ArtifactSummaries"]
    assert [a["ArtifactArn"] for a in by_uri] == [data]
    by_type = client.list_artifacts(ArtifactType="Model")["ArtifactSummaries"]
    assert [a["ArtifactArn"] for a in by_type] == [model]
    both = client.list_artifacts(SourceUri="s3://bucket/f/data.csv", ArtifactType="Model")
    assert both["ArtifactSummaries"] == []
    assert "NextToken" not in both


def test_list_artifacts_summaries_carry_source_type_and_times(client: Any) -> None:
    arn = create_artifact(client, "s3://bucket/s.csv", "DataSet", name="named")
    (summary,) = client.list_artifacts()["ArtifactSummaries"]
    assert summary["ArtifactArn"] == arn
    assert summary["ArtifactName"] == "named"
    assert summary["Source"]["SourceUri"] == "s3://bucket/s.csv"
    assert summary["ArtifactType"] == "DataSet"
    assert "CreationTime" in summary and "LastModifiedTime" in summary


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"MaxResults": 101}, "maxResults"),
        ({"SortBy": "Name"}, "sortBy"),
        ({"SortOrder": "Sideways"}, "sortOrder"),
        ({"SourceUri": "s" * 2049}, "sourceUri"),
        ({"ArtifactType": "t" * 257}, "artifactType"),
        ({"NextToken": "n" * 8193}, "nextToken"),
    ],
)
def test_list_artifacts_rejects_out_of_model_arguments(
    client: Any, kwargs: dict[str, Any], field: str
) -> None:
    with raises_code("ValidationException", field):
        client.list_artifacts(**kwargs)


def test_list_artifacts_max_results_error_message_is_aws_style(client: Any) -> None:
    with raises_code("ValidationException") as excinfo:
        client.list_artifacts(MaxResults=200)
    assert excinfo.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '200' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100"
    )


def test_list_artifacts_with_a_forged_next_token_is_a_validation_error(client: Any) -> None:
    create_artifact(client, "s3://bucket/tok")
    with raises_code("ValidationException"):
        client.list_artifacts(NextToken="not-a-token-we-issued")


def test_update_artifact_merges_properties_then_removes_and_bumps_modified_time(
    service: Any, client: Any
) -> None:
    (arn,) = _put_artifacts(service, [1000.0])
    client.update_artifact(ArtifactArn=arn, Properties={"k1": "v1", "k2": "v2"})
    response = client.update_artifact(
        ArtifactArn=arn,
        ArtifactName="renamed",
        Properties={"k3": "v3", "k2": "new"},
        PropertiesToRemove=["k1"],
    )
    assert response["ArtifactArn"] == arn
    got = client.describe_artifact(ArtifactArn=arn)
    assert got["Properties"] == {"k2": "new", "k3": "v3"}
    assert got["ArtifactName"] == "renamed"
    assert got["CreationTime"] == dt.datetime.fromtimestamp(1000, dt.UTC)
    assert got["LastModifiedTime"] > got["CreationTime"]


def test_update_unknown_artifact_is_resource_not_found(client: Any) -> None:
    with raises_code("ResourceNotFound"):
        client.update_artifact(ArtifactArn=f"{ARN_PREFIX}:artifact/{'1' * 32}", Properties={})


def test_update_artifact_rejects_too_many_properties(client: Any) -> None:
    arn = create_artifact(client, "s3://bucket/up")
    with raises_code("ValidationException", "properties"):
        client.update_artifact(ArtifactArn=arn, Properties={f"k{i}": "v" for i in range(31)})


def test_delete_artifact_by_arn_returns_it_and_then_it_is_gone(client: Any) -> None:
    arn = create_artifact(client, "s3://bucket/del")
    assert client.delete_artifact(ArtifactArn=arn)["ArtifactArn"] == arn
    with raises_code("ResourceNotFound"):
        client.describe_artifact(ArtifactArn=arn)
    with raises_code("ResourceNotFound"):
        client.delete_artifact(ArtifactArn=arn)


def test_delete_artifact_by_source_finds_it(client: Any) -> None:
    arn = create_artifact(client, "s3://bucket/del-src")
    response = client.delete_artifact(Source={"SourceUri": "s3://bucket/del-src"})
    assert response["ArtifactArn"] == arn
    assert client.list_artifacts()["ArtifactSummaries"] == []


def test_delete_artifact_without_arn_or_source_is_a_validation_error(client: Any) -> None:
    with raises_code("ValidationException"):
        client.delete_artifact()


def test_delete_artifact_cascades_its_associations(client: Any) -> None:
    data = create_artifact(client, "s3://bucket/c.csv")
    model = create_artifact(client, "s3://bucket/c.tar.gz", "Model")
    client.add_association(SourceArn=data, DestinationArn=model)
    client.delete_artifact(ArtifactArn=data)
    assert client.list_associations(DestinationArn=model)["AssociationSummaries"] == []
