"""AddTags, ListTags and DeleteTags on lineage entities and on any other SageMaker ARN."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import ARN_PREFIX, assert_unique, collect_pages, create_artifact, raises_code

TRAINING_JOB = f"{ARN_PREFIX}:training-job/some-job"


def test_add_tags_echoes_the_tags_and_list_tags_returns_them(client: Any) -> None:
    arn = create_artifact(client, "s3://bucket/tagged")
    tags = [{"Key": "team", "Value": "ml"}, {"Key": "env", "Value": ""}]
    assert client.add_tags(ResourceArn=arn, Tags=tags)["Tags"] == tags
    listed = client.list_tags(ResourceArn=arn)
    assert sorted(listed["Tags"], key=lambda t: t["Key"]) == sorted(tags, key=lambda t: t["Key"])
    assert "NextToken" not in listed


def test_add_tags_overwrites_an_existing_key(client: Any) -> None:
    arn = create_artifact(client, "s3://bucket/retag")
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "old"}])
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "new"}])
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "new"}]


def test_tags_work_on_a_training_job_arn_that_is_not_a_lineage_entity(client: Any) -> None:
    execution = f"{ARN_PREFIX}:pipeline/p/execution/abc123"
    client.add_tags(
        ResourceArn=TRAINING_JOB,
        Tags=[{"Key": "sagemaker:pipeline-execution-arn", "Value": execution}],
    )
    assert client.list_tags(ResourceArn=TRAINING_JOB)["Tags"] == [
        {"Key": "sagemaker:pipeline-execution-arn", "Value": execution}
    ]


def test_list_tags_of_an_untagged_arn_is_empty(client: Any) -> None:
    response = client.list_tags(ResourceArn=f"{ARN_PREFIX}:endpoint/never-tagged")
    assert response["Tags"] == []
    assert "NextToken" not in response


def test_delete_tags_removes_only_the_given_keys(client: Any) -> None:
    client.add_tags(
        ResourceArn=TRAINING_JOB,
        Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}, {"Key": "c", "Value": "3"}],
    )
    client.delete_tags(ResourceArn=TRAINING_JOB, TagKeys=["a", "c", "not-there"])
    assert client.list_tags(ResourceArn=TRAINING_JOB)["Tags"] == [{"Key": "b", "Value": "2"}]


def test_list_tags_returns_fifty_tags_on_one_page_and_refuses_a_fifty_first(client: Any) -> None:
    client.add_tags(
        ResourceArn=TRAINING_JOB,
        Tags=[{"Key": f"key-{i:02d}", "Value": str(i)} for i in range(50)],
    )
    items, pages = collect_pages(client.list_tags, "Tags", 50, ResourceArn=TRAINING_JOB)
    keys = [t["Key"] for t in items]
    assert_unique(keys)
    assert len(keys) == 50
    assert len(pages) == 1
    with raises_code("ValidationException"):
        client.add_tags(ResourceArn=TRAINING_JOB, Tags=[{"Key": "one-more", "Value": "x"}])
    client.add_tags(ResourceArn=TRAINING_JOB, Tags=[{"Key": "key-00", "Value": "replaced"}])


def test_deleting_an_entity_deletes_its_tags(client: Any) -> None:
    arn = create_artifact(client, "s3://bucket/tag-then-delete")
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    client.delete_artifact(ArtifactArn=arn)
    assert create_artifact(client, "s3://bucket/tag-then-delete") == arn
    assert client.list_tags(ResourceArn=arn)["Tags"] == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ResourceArn": "not-an-arn"}, "resourceArn"),
        ({"ResourceArn": f"{ARN_PREFIX}:training-job/" + "j" * 240}, "resourceArn"),
        ({"Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)]}, "tags"),
        ({"Tags": [{"Key": "k" * 129, "Value": "v"}]}, "tags"),
        ({"Tags": [{"Key": "k", "Value": "v" * 257}]}, "tags"),
        ({"Tags": [{"Key": "k", "Value": "bad|value"}]}, "tags"),
    ],
)
def test_add_tags_rejects_values_outside_the_model(
    client: Any, kwargs: dict[str, Any], field: str
) -> None:
    args: dict[str, Any] = {"ResourceArn": TRAINING_JOB, "Tags": [{"Key": "k", "Value": "v"}]}
    args.update(kwargs)
    with raises_code("ValidationException") as excinfo:
        client.add_tags(**args)
    assert f"at '{field}" in excinfo.value.response["Error"]["Message"]


def test_delete_tags_rejects_more_than_fifty_keys(client: Any) -> None:
    with raises_code("ValidationException") as excinfo:
        client.delete_tags(ResourceArn=TRAINING_JOB, TagKeys=[f"k{i}" for i in range(51)])
    assert "at 'tagKeys'" in excinfo.value.response["Error"]["Message"]


def test_list_tags_rejects_a_bad_arn(client: Any) -> None:
    with raises_code("ValidationException", "resourceArn"):
        client.list_tags(ResourceArn="arn:aws:s3:::bucket")
