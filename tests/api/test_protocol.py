"""The wire: raw HTTP the way botocore speaks it, malformed requests, regions and accounts."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import urllib.parse
from typing import Any

import pytest
from api_helpers import (
    JSON_CONTENT_TYPE,
    RawResponse,
    create_artifact,
    create_context,
    make_client,
    raises_code,
    raw_post,
)
from botocore.exceptions import ClientError
from shape_check import error_problems


def assert_aws_error(response: RawResponse, *codes: str) -> dict[str, Any]:
    """A 4xx with a JSON `{"__type", "message"}` body and no traceback."""
    problems = error_problems(response.status, response.headers, response.body)
    assert not problems, problems
    assert b"Traceback" not in response.body
    body = response.json()
    if codes:
        assert body["__type"] in codes, body
    return dict(body)


def test_a_signed_raw_request_gets_json_with_a_request_id(service: Any) -> None:
    response = raw_post(service.url, {}, target="SageMaker.ListArtifacts")
    assert response.status == 200
    assert response.headers["content-type"] == JSON_CONTENT_TYPE
    assert response.headers.get("x-amzn-requestid")
    assert response.json() == {"ArtifactSummaries": []}


def test_timestamps_on_the_wire_are_epoch_seconds(service: Any, client: Any) -> None:
    create_artifact(client, "s3://bucket/wire")
    body = raw_post(service.url, {}, target="SageMaker.ListArtifacts").json()
    (summary,) = body["ArtifactSummaries"]
    assert isinstance(summary["CreationTime"], int | float)
    assert not isinstance(summary["CreationTime"], bool)


def test_bad_json_is_a_4xx_aws_error(service: Any) -> None:
    assert_aws_error(raw_post(service.url, b"{not json", target="SageMaker.ListArtifacts"))


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"42", b"null"])
def test_a_body_that_is_not_an_object_is_a_4xx_aws_error(service: Any, body: bytes) -> None:
    assert_aws_error(raw_post(service.url, body, target="SageMaker.ListArtifacts"))


def test_invalid_utf8_is_a_4xx_aws_error(service: Any) -> None:
    assert_aws_error(raw_post(service.url, b'{"SourceUri": "\xff\xfe"}'))


@pytest.mark.parametrize(
    "target",
    [
        "SageMaker.NoSuchOperation",
        "SageMaker.CreateTrainingJob",
        "Other.ListArtifacts",
        "",
        "SageMaker.",
    ],
)
def test_an_unknown_target_is_a_4xx_aws_error(service: Any, target: str) -> None:
    assert_aws_error(raw_post(service.url, {}, target=target))


def test_a_missing_target_is_a_4xx_aws_error(service: Any) -> None:
    assert_aws_error(raw_post(service.url, {}, target=None, sign=False))


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "application/x-www-form-urlencoded"]
)
def test_a_wrong_content_type_is_a_4xx_aws_error(service: Any, content_type: str) -> None:
    response = raw_post(service.url, {}, headers={"Content-Type": content_type})
    assert_aws_error(response)


def test_a_body_over_five_megabytes_is_refused_before_it_is_read(service: Any) -> None:
    parsed = urllib.parse.urlsplit(service.url)
    head = (
        "POST / HTTP/1.1\r\n"
        f"Host: {parsed.netloc}\r\n"
        "X-Amz-Target: SageMaker.ListArtifacts\r\n"
        f"Content-Type: {JSON_CONTENT_TYPE}\r\n"
        f"Content-Length: {5 * 1024 * 1024 + 1}\r\n\r\n"
    )
    with socket.create_connection((parsed.hostname, parsed.port), timeout=30) as sock:
        sock.sendall(head.encode())
        reply = http.client.HTTPResponse(sock)
        reply.begin()
        response = RawResponse(
            reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
        )
    assert_aws_error(response)
    assert raw_post(service.url, {}, target="SageMaker.ListArtifacts").status == 200


def test_a_client_sending_a_body_over_the_limit_reads_the_refusal(service: Any) -> None:
    """The whole 6 MB is sent, as clients do: it must read a 413, not a broken pipe."""
    parsed = urllib.parse.urlsplit(service.url)
    body = b'{"Items": [' + b'"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",' * 180_000 + b'""]}'
    assert len(body) > 5 * 1024 * 1024
    head = (
        "POST / HTTP/1.1\r\n"
        f"Host: {parsed.netloc}\r\n"
        "X-Amz-Target: SageMaker.ListArtifacts\r\n"
        f"Content-Type: {JSON_CONTENT_TYPE}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection((parsed.hostname, parsed.port), timeout=30) as sock:
        sock.sendall(head.encode() + body)
        reply = http.client.HTTPResponse(sock)
        reply.begin()
        response = RawResponse(
            reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
        )
    assert response.status == 413
    assert_aws_error(response)


def test_boto3_sees_an_aws_error_for_a_body_over_five_megabytes(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_artifact(
            Source={"SourceUri": "s3://b/" + "x" * (5 * 1024 * 1024)}, ArtifactType="DataSet"
        )
    assert 400 <= excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] < 500
    assert client.list_artifacts()["ArtifactSummaries"] == []


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_methods_other_than_post_are_a_4xx_aws_error(service: Any, method: str) -> None:
    assert_aws_error(raw_post(service.url, b"", method=method, sign=False))


def test_a_missing_required_member_is_a_validation_error(service: Any) -> None:
    body = assert_aws_error(
        raw_post(service.url, {"ArtifactType": "DataSet"}, target="SageMaker.CreateArtifact"),
        "ValidationException",
    )
    assert "'source'" in body["message"]


ARN_X = "arn:aws:sagemaker:us-east-1:123456789012:x/y"


@pytest.mark.parametrize(
    ("target", "payload", "field"),
    [
        ("SageMaker.ListArtifacts", {"MaxResults": "ten"}, "maxResults"),
        ("SageMaker.ListArtifacts", {"MaxResults": True}, "maxResults"),
        ("SageMaker.ListArtifacts", {"CreatedAfter": "yesterday"}, "createdAfter"),
        ("SageMaker.QueryLineage", {"StartArns": "arn"}, "startArns"),
        ("SageMaker.QueryLineage", {"IncludeEdges": "yes"}, "includeEdges"),
        ("SageMaker.QueryLineage", {"Filters": ["DataSet"]}, "filters"),
        ("SageMaker.CreateArtifact", {"ArtifactType": "x", "Source": {"SourceUri": 5}}, "source"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_a_4xx_naming_the_field(
    service: Any, target: str, payload: dict[str, Any], field: str
) -> None:
    body = assert_aws_error(
        raw_post(service.url, payload, target=target),
        "ValidationException",
        "SerializationException",
    )
    assert f"'{field}" in body["message"], body


@pytest.mark.parametrize(
    ("target", "payload", "field"),
    [
        ("SageMaker.ListArtifacts", {"MaxResults": 0}, "maxResults"),
        ("SageMaker.CreateArtifact", {"ArtifactType": "x", "Source": {"SourceUri": ""}}, "source"),
        (
            "SageMaker.CreateContext",
            {"ContextName": "", "ContextType": "t", "Source": {"SourceUri": "u"}},
            "contextName",
        ),
        ("SageMaker.AddTags", {"ResourceArn": ARN_X, "Tags": [{"Value": "v"}]}, "tags"),
        ("SageMaker.DeleteTags", {"ResourceArn": ARN_X, "TagKeys": []}, "tagKeys"),
    ],
)
def test_what_botocore_would_refuse_is_a_validation_error_from_the_server(
    service: Any, target: str, payload: dict[str, Any], field: str
) -> None:
    body = assert_aws_error(raw_post(service.url, payload, target=target), "ValidationException")
    assert f"'{field}" in body["message"], body


def test_unsigned_requests_are_accepted(service: Any) -> None:
    response = raw_post(service.url, {}, target="SageMaker.ListContexts", sign=False)
    assert response.status == 200


def test_the_region_comes_from_the_signature_scope(service: Any, client: Any) -> None:
    europe = make_client(service.url, region="eu-west-1")
    us_arn = create_context(client, "same-name")
    eu_arn = create_context(europe, "same-name")
    assert ":us-east-1:" in us_arn
    assert eu_arn.startswith("arn:aws:sagemaker:eu-west-1:123456789012:context/")
    eu_data = create_artifact(europe, "s3://bucket/eu.csv")
    assert ":eu-west-1:" in eu_data
    assert [c["ContextArn"] for c in europe.list_contexts()["ContextSummaries"]] == [eu_arn]
    assert [c["ContextArn"] for c in client.list_contexts()["ContextSummaries"]] == [us_arn]
    assert client.list_artifacts()["ArtifactSummaries"] == []
    with raises_code("ResourceNotFound"):
        client.describe_artifact(ArtifactArn=eu_data)


def test_the_same_source_may_exist_once_per_region(service: Any, client: Any) -> None:
    europe = make_client(service.url, region="eu-west-1")
    us = create_artifact(client, "s3://bucket/both.csv")
    eu = create_artifact(europe, "s3://bucket/both.csv")
    assert us.rsplit("/", 1)[1] == eu.rsplit("/", 1)[1]
    assert us != eu


def test_the_account_in_arns_is_the_servers_setting() -> None:
    from viz_app.api.server import start_service

    service = start_service(account_id="111122223333")
    try:
        client = make_client(service.url)
        arn = create_context(client, "acct")
        assert arn == "arn:aws:sagemaker:us-east-1:111122223333:context/acct"
        assert service.account_id == "111122223333"
    finally:
        service.close()


def test_the_service_url_is_on_loopback_with_a_real_port(service: Any) -> None:
    assert service.url.startswith("http://127.0.0.1:")
    assert not service.url.endswith(":0")


def test_core_and_api_never_import_dash() -> None:
    code = (
        "import sys\n"
        "import viz_app.core, viz_app.core.store, viz_app.core.model, viz_app.core.lineage\n"
        "import viz_app.core.demo, viz_app.api, viz_app.api.server\n"
        "bad = sorted(m for m in sys.modules if m == 'dash' or m.startswith(('dash.', 'dash_')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "", f"dash imported by core/api: {result.stdout}"
