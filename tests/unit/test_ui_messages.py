"""Every error people meet becomes one plain sentence saying what to do."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
)

from viz_app.ui.messages import ReadOnlyViolation, empty_result, explain, region_unavailable
from viz_app.ui.query_state import QueryState


def client_error(code: str, operation: str = "QueryLineage", message: str = "") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


@pytest.mark.parametrize(
    ("exc", "fragment"),
    [
        (client_error("ResourceNotFound"), "was not found"),
        (client_error("AccessDeniedException"), "sagemaker:QueryLineage permission"),
        (client_error("AccessDeniedException", "DescribeArtifact"), "sagemaker:DescribeArtifact"),
        (client_error("ExpiredTokenException"), "credentials have expired"),
        (client_error("UnrecognizedClientException"), "did not accept your credentials"),
        (client_error("ThrottlingException"), "throttling"),
        (client_error("ValidationException", message="bad depth"), "invalid: bad depth"),
        (NoCredentialsError(), "No AWS credentials"),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), "could not be reached"),
        (ReadOnlyViolation("DeleteArtifact"), "refused to call DeleteArtifact"),
        (RuntimeError("boom"), "Something went wrong"),
    ],
)
def test_each_error_is_explained_in_one_sentence(exc: BaseException, fragment: str) -> None:
    text = explain(exc)
    assert fragment in text
    assert "Traceback" not in text and "\n" not in text


@pytest.mark.parametrize(
    "region",
    ["af-south-1", "ap-southeast-3", "ap-northeast-3", "eu-south-1", "eu-south-2", "il-central-1"],
)
def test_regions_without_lineage_queries_are_named_before_any_call(region: str) -> None:
    text = region_unavailable(region)
    assert text is not None and region in text


def test_a_region_with_lineage_queries_has_no_warning() -> None:
    assert region_unavailable("us-east-1") is None


def test_an_empty_result_suggests_both_and_a_larger_depth() -> None:
    text = empty_result(QueryState(direction="Ascendants", depth=3))
    assert "not its own ascendant" in text and "Both" in text and "larger depth" in text
