"""Small helpers shared by the API tests: paging, error assertions, direct store seeding."""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from shape_check import install_response_checks

REGION = "us-east-1"
ACCOUNT = "123456789012"
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
ARN_PREFIX = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"
ARTIFACT_ARN_RE = re.compile(rf"^{ARN_PREFIX}:artifact/[0-9a-f]{{32}}$")


def make_client(url: str, region: str = REGION) -> Any:
    """A boto3 SageMaker client for the local service; no retries; every response shape-checked."""
    client = boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )
    return install_response_checks(client)


@contextmanager
def raises_code(code: str, field: str | None = None) -> Any:
    """Expect a ClientError with `code`; for ValidationException, an AWS-style message naming
    `field` (camelCase path such as `source.sourceUri`) when given."""
    with pytest.raises(ClientError) as excinfo:
        yield excinfo
    error = excinfo.value.response["Error"]
    assert error["Code"] == code, error
    assert error.get("Message"), error
    if field is not None:
        message = error["Message"]
        assert re.match(r"^\d+ validation errors? detected: ", message), message
        # The named member may be nested further (`properties.value`), never elsewhere.
        assert re.search(rf"at '{re.escape(field)}('|\.)", message), message
        assert "failed to satisfy constraint" in message, message


def collect_pages(
    call: Callable[..., dict[str, Any]], key: str, page_size: int, **kwargs: Any
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Follow NextToken to the end; return all items and the raw pages.

    Checks no page is larger than asked and the last page omits NextToken.
    """
    items: list[Any] = []
    pages: list[dict[str, Any]] = []
    token: str | None = None
    for _ in range(10_000):
        args = dict(kwargs, MaxResults=page_size)
        if token is not None:
            args["NextToken"] = token
        page = call(**args)
        pages.append(page)
        batch = page[key]
        assert len(batch) <= page_size
        items.extend(batch)
        token = page.get("NextToken")
        if not token:
            assert "NextToken" not in page, "the last page must omit NextToken"
            break
    else:
        pytest.fail("paging did not end")
    return items, pages


def assert_unique(values: Iterable[Any]) -> None:
    seen: list[Any] = []
    for value in values:
        assert value not in seen, f"{value!r} appears twice"
        seen.append(value)


def artifact_source(uri: str, *types: tuple[str, str]) -> dict[str, Any]:
    source: dict[str, Any] = {"SourceUri": uri}
    if types:
        source["SourceTypes"] = [{"SourceIdType": t, "Value": v} for t, v in types]
    return source


def create_artifact(
    client: Any, uri: str, artifact_type: str = "DataSet", name: str | None = None, **extra: Any
) -> str:
    kwargs: dict[str, Any] = dict(Source=artifact_source(uri), ArtifactType=artifact_type, **extra)
    if name is not None:
        kwargs["ArtifactName"] = name
    return str(client.create_artifact(**kwargs)["ArtifactArn"])


def create_context(client: Any, name: str, context_type: str = "Endpoint", **extra: Any) -> str:
    source = extra.pop("Source", {"SourceUri": f"{ARN_PREFIX}:endpoint/{name.lower()}"})
    return str(
        client.create_context(ContextName=name, Source=source, ContextType=context_type, **extra)[
            "ContextArn"
        ]
    )


def create_action(
    client: Any, name: str, action_type: str = "ModelDeployment", **extra: Any
) -> str:
    source = extra.pop("Source", {"SourceUri": f"{ARN_PREFIX}:endpoint-config/{name.lower()}"})
    return str(
        client.create_action(ActionName=name, Source=source, ActionType=action_type, **extra)[
            "ActionArn"
        ]
    )


def create_trial_component(client: Any, name: str, **extra: Any) -> str:
    return str(client.create_trial_component(TrialComponentName=name, **extra)["TrialComponentArn"])


def associate(client: Any, source: str, destination: str, kind: str | None = None) -> None:
    kwargs: dict[str, Any] = {"SourceArn": source, "DestinationArn": destination}
    if kind is not None:
        kwargs["AssociationType"] = kind
    client.add_association(**kwargs)


def query(client: Any, start: str, **kwargs: Any) -> dict[str, Any]:
    return dict(client.query_lineage(StartArns=[start], **kwargs))


def vertex_arns(response: dict[str, Any]) -> set[str]:
    return {v["Arn"] for v in response["Vertices"]}


def edge_pairs(response: dict[str, Any]) -> set[tuple[str, str]]:
    return {(e["SourceArn"], e["DestinationArn"]) for e in response["Edges"]}


# -- raw HTTP --------------------------------------------------------------------------------


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def code(self) -> str | None:
        try:
            body = self.json()
        except ValueError:
            return None
        return body.get("__type") if isinstance(body, dict) else None


def signed_headers(
    url: str, body: bytes, target: str, region: str = REGION, content_type: str = JSON_CONTENT_TYPE
) -> dict[str, str]:
    """Headers botocore would send: target, content type and a SigV4 signature for `region`."""
    request = AWSRequest(
        method="POST",
        url=url + "/",
        data=body,
        headers={"X-Amz-Target": target, "Content-Type": content_type},
    )
    SigV4Auth(Credentials("local", "local"), "sagemaker", region).add_auth(request)
    return dict(request.headers.items())


def raw_post(
    url: str,
    body: bytes | str | dict[str, Any],
    *,
    target: str | None = "SageMaker.ListArtifacts",
    headers: dict[str, str] | None = None,
    sign: bool = True,
    method: str = "POST",
    path: str = "/",
) -> RawResponse:
    """Send one HTTP request as-is (for what boto3 would refuse to send) and return the reply."""
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    all_headers: dict[str, str] = {}
    if sign:
        all_headers.update(signed_headers(url, body, target or ""))
    else:
        all_headers["Content-Type"] = JSON_CONTENT_TYPE
        if target is not None:
            all_headers["X-Amz-Target"] = target
    if target is None:
        all_headers.pop("X-Amz-Target", None)
    all_headers.update(headers or {})
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return RawResponse(
            status=response.status,
            headers={k.lower(): v for k, v in response.getheaders()},
            body=response.read(),
        )
    finally:
        conn.close()
