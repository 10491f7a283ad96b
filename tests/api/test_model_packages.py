"""DescribeModelPackage for the demo's registered model packages, checked against what the
lineage graph says about them (ListArtifacts by source and ListAssociations into them)."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
from api_helpers import ACCOUNT, REGION, raises_code

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")

import sagemaker
from sagemaker.lineage.action import Action, ModelPackageApprovalAction


def _reference(client: Any, package_arn: str) -> dict[str, Any]:
    """The package's Model artifact and the image and S3 model associated into it."""
    artifacts = client.list_artifacts(SourceUri=package_arn)["ArtifactSummaries"]
    assert len(artifacts) == 1
    artifact = client.describe_artifact(ArtifactArn=artifacts[0]["ArtifactArn"])
    inputs = client.list_associations(DestinationArn=artifact["ArtifactArn"], MaxResults=100)
    uris: dict[str, str] = {}
    for item in inputs["AssociationSummaries"]:
        if item.get("SourceType") in ("Image", "Model"):
            source = client.describe_artifact(ArtifactArn=item["SourceArn"])["Source"]
            uris[item["SourceType"]] = source["SourceUri"]
    return {"artifact": artifact, "uris": uris}


def _package_arns(client: Any) -> list[str]:
    items = client.list_artifacts(ArtifactType="Model", MaxResults=100)["ArtifactSummaries"]
    return [
        a["Source"]["SourceUri"] for a in items if ":model-package/" in a["Source"]["SourceUri"]
    ]


def test_describe_model_package_answers_for_every_demo_package(demo_client: Any) -> None:
    arns = _package_arns(demo_client)
    assert len(arns) >= 3
    for arn in arns:
        got = demo_client.describe_model_package(ModelPackageName=arn)
        ref = _reference(demo_client, arn)
        group, version = arn.split(":model-package/")[1].split("/")
        props = ref["artifact"]["Properties"]
        assert got["ModelPackageArn"] == arn
        assert got["ModelPackageGroupName"] == props["ModelPackageGroupName"]
        assert got["ModelPackageGroupName"].lower() == group
        assert got["ModelPackageVersion"] == int(version)
        assert got["ModelApprovalStatus"] == props["ModelApprovalStatus"]
        assert got["ModelPackageStatus"] == "Completed"
        assert got["CreationTime"] == ref["artifact"]["CreationTime"]
        container = got["InferenceSpecification"]["Containers"][0]
        assert container["Image"] == ref["uris"]["Image"]
        assert container["ModelDataUrl"] == ref["uris"]["Model"]


@pytest.mark.parametrize(
    "name",
    [
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/nopackagegroup/1",
        f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:model-package/churnpackagegroup/1",
        "churnpackagegroup",  # a group's name names none of its versions
        "no-such-package",
    ],
)
def test_unknown_model_package_is_a_validation_error(demo_client: Any, name: str) -> None:
    with raises_code("ValidationException") as excinfo:
        demo_client.describe_model_package(ModelPackageName=name)
    assert excinfo.value.response["Error"]["Message"] == f"ModelPackage {name} does not exist."


def test_sdk_approval_action_model_package_passes_the_group_name(
    demo_client: Any, demo_summary: Any
) -> None:
    """ModelPackageApprovalAction.model_package() sends the ARN's second path segment (the
    group name for a versioned package): the answer is a clear error, not a wrong package."""
    session = sagemaker.Session(
        boto_session=boto3.Session(
            region_name=REGION, aws_access_key_id="local", aws_secret_access_key="local"
        ),
        sagemaker_client=demo_client,
        sagemaker_config={"SchemaVersion": "1.0"},
    )
    action = next(
        iter(
            Action.list(
                source_uri=demo_summary.model_package_arn,
                action_type="Approval",
                sagemaker_session=session,
            )
        )
    )
    approval = ModelPackageApprovalAction.load(action.action_name, sagemaker_session=session)
    with raises_code("ValidationException") as excinfo:
        approval.model_package()
    group = demo_summary.model_package_arn.split("/")[1]
    assert group in excinfo.value.response["Error"]["Message"]
