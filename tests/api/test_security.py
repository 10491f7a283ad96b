"""Security of the service over real HTTP: the Host allow-list (DNS rebinding), read-only mode,
forged page tokens, bounded validation answers and the cap on tags of unknown ARNs."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import ARN_PREFIX, make_client, raises_code, raw_post

from viz_app.api.paging import fingerprint
from viz_app.api.request import Limits
from viz_app.api.server import LineageService, start_service
from viz_app.core.store import Store

EVIL = "evil.example:4599"


# -- Host allow-list ---------------------------------------------------------------------------


@pytest.mark.parametrize("host", [EVIL, "evil.example", "127.0.0.1.evil.example", ""])
def test_a_request_for_another_host_name_is_refused_with_an_aws_error(
    demo_service: Any, demo_summary: Any, host: str
) -> None:
    """A page on http://evil.example:4599 whose name resolves to 127.0.0.1 sends its own Host."""
    endpoint = demo_summary.endpoint_context_arns[0]
    reply = raw_post(
        demo_service.url,
        {"ContextName": endpoint.rsplit("/", 1)[1]},
        target="SageMaker.DeleteContext",
        headers={"Host": host},
    )
    assert reply.status == 403
    assert reply.code == "AccessDeniedException"
    assert "--allowed-host" in reply.json()["message"]
    assert make_client(demo_service.url).describe_context(ContextName=endpoint.rsplit("/", 1)[1])
    ping = raw_post(demo_service.url, b"", method="GET", path="/ping", headers={"Host": host})
    assert ping.status == 403 and ping.code == "AccessDeniedException"


@pytest.mark.parametrize("host", ["127.0.0.1:1", "localhost:4599", "LOCALHOST", "[::1]:80"])
def test_loopback_names_with_any_port_are_served(demo_service: Any, host: str) -> None:
    reply = raw_post(demo_service.url, {}, headers={"Host": host})
    assert reply.status == 200, reply.body


def test_an_allowed_proxy_name_is_served_and_others_are_not() -> None:
    from viz_app.binding import allowed_hosts

    store = Store()
    service = start_service(store, hosts=allowed_hosts(["lineage.internal"], environ={}))
    try:
        ok = raw_post(service.url, {}, headers={"Host": "lineage.internal:443"})
        bad = raw_post(service.url, {}, headers={"Host": "lineage.internal.evil.example"})
        assert ok.status == 200 and bad.status == 403
    finally:
        service.close()
        store.close()


# -- read-only ---------------------------------------------------------------------------------


@pytest.fixture()
def read_only_service(demo_store: Any, demo_summary: Any) -> Iterator[LineageService]:
    service = start_service(demo_store, read_only=True)
    yield service
    service.close()


def test_a_read_only_service_refuses_every_write_and_serves_reads(
    read_only_service: LineageService, demo_summary: Any
) -> None:
    client = make_client(read_only_service.url)
    endpoint = demo_summary.endpoint_context_arns[0]
    before = demo_summary.entities
    with raises_code("AccessDeniedException") as caught:
        client.create_artifact(Source={"SourceUri": "s3://b/k"}, ArtifactType="DataSet")
    assert "read-only" in caught.value.response["Error"]["Message"]
    with raises_code("AccessDeniedException"):
        client.delete_context(ContextName=endpoint.rsplit("/", 1)[1])
    with raises_code("AccessDeniedException"):
        client.add_tags(ResourceArn=endpoint, Tags=[{"Key": "k", "Value": "v"}])
    assert read_only_service.store.count_entities() == before
    assert client.query_lineage(StartArns=[endpoint], Direction="Ascendants")["Vertices"]
    assert client.list_contexts()["ContextSummaries"]


# -- forged NextToken --------------------------------------------------------------------------

JOB = f"{ARN_PREFIX}:training-job/tagged-job"
BAD_POSITIONS = [[1, 2, 3], "abc", {"a": 1}, [], None, True, -1, [["x"], "arn"], 1.5]


def _forged(token: str, position: Any) -> str:
    payload = json.loads(base64.urlsafe_b64decode(token))
    payload["p"] = position
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


def _real_token(client: Any, operation: str, demo_summary: Any) -> tuple[str, dict[str, Any]]:
    """A NextToken the service gave for `operation`, and the request it continues."""
    if operation == "list_tags":
        # ListTags pages hold at least 50 of at most 50 tags: never a real second page, so
        # the token is made as the service makes it (it is only base64 JSON).
        raw = json.dumps({"p": "a", "f": fingerprint(["tags", JOB])}).encode()
        return base64.urlsafe_b64encode(raw).decode(), {"ResourceArn": JOB}
    kwargs: dict[str, Any] = {"MaxResults": 1}
    if operation == "query_lineage":
        kwargs = {"StartArns": [demo_summary.endpoint_context_arns[0]], "MaxResults": 1}
    if operation == "search":
        kwargs["Resource"] = "ExperimentTrialComponent"
    if operation == "list_trial_components_of_an_experiment":
        experiment = client.list_experiments()["ExperimentSummaries"][0]["ExperimentName"]
        kwargs["ExperimentName"] = experiment
        operation = "list_trial_components"
    page = getattr(client, operation)(**kwargs)
    assert page.get("NextToken"), operation
    return page["NextToken"], kwargs


LIST_OPERATIONS = [
    "list_artifacts",
    "list_contexts",
    "list_actions",
    "list_trial_components",
    "list_associations",
    "list_tags",
    "query_lineage",
    "list_experiments",
    "list_trials",
    "list_trial_components_of_an_experiment",
    "search",
]


@pytest.mark.parametrize("operation", LIST_OPERATIONS)
def test_a_forged_next_token_of_the_wrong_shape_is_a_validation_error(
    demo_client: Any, demo_service: Any, demo_summary: Any, operation: str
) -> None:
    token, kwargs = _real_token(demo_client, operation, demo_summary)
    # ListTags continues after a tag key: a string is its one right shape.
    bad = [p for p in BAD_POSITIONS if not (operation == "list_tags" and isinstance(p, str))]
    call = getattr(demo_client, operation.replace("_of_an_experiment", ""))
    for position in bad:
        with raises_code("ValidationException") as caught:
            call(**kwargs, NextToken=_forged(token, position))
        message = caught.value.response["Error"]["Message"]
        assert message == "Invalid pagination token: use the NextToken of the same request."
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# -- bounded validation ------------------------------------------------------------------------


def test_800_000_bad_start_arns_get_one_short_validation_error(demo_service: Any) -> None:
    body = json.dumps({"StartArns": ["bad"] * 800_000}, separators=(",", ":")).encode()
    assert len(body) < 5 * 1024 * 1024
    reply = raw_post(demo_service.url, body, target="SageMaker.QueryLineage")
    assert reply.status == 400 and reply.code == "ValidationException"
    assert len(reply.body) < 2_000, len(reply.body)
    message = reply.json()["message"]
    assert message.startswith("1 validation error detected: Value '['bad', 'bad',")
    assert "at 'startArns' failed to satisfy constraint: Member must have length less" in message


def test_bad_members_of_a_list_report_the_first_one_only(demo_service: Any) -> None:
    tags = [{"Key": "\x00bad", "Value": "v"}] * 40
    reply = raw_post(
        demo_service.url,
        {"ResourceArn": JOB, "Tags": tags},
        target="SageMaker.AddTags",
    )
    assert reply.status == 400 and reply.code == "ValidationException"
    message = reply.json()["message"]
    assert message.startswith("1 validation error detected: Value '\x00bad' at 'tags.1.member.key'")


def test_the_number_of_reported_errors_is_capped(demo_service: Any) -> None:
    """Many bad members of different fields: at most ten are reported, as AWS caps them."""
    filters = {
        "Types": ["x" * 100] * 20,
        "LineageTypes": ["Nope"],
        "Properties": {"k" * 300: "v"},
    }
    body = {
        "StartArns": ["x" * 3000],
        "Direction": "Sideways",
        "MaxDepth": 99,
        "MaxResults": 99,
        "NextToken": "n" * 9000,
        "Filters": filters,
    }
    reply = raw_post(demo_service.url, body, target="SageMaker.QueryLineage")
    assert reply.status == 400 and reply.code == "ValidationException"
    message = reply.json()["message"]
    count = int(message.split(" ", 1)[0])
    assert 5 <= count <= 10 and message.count("failed to satisfy constraint") == count


# -- tags on ARNs that are no lineage entity ---------------------------------------------------


def test_tags_on_made_up_arns_are_capped_with_an_aws_error() -> None:
    store = Store()
    service = LineageService(store, limits=Limits(tagged_other_resources=5))
    client = make_client(service.url)
    try:
        jobs = [f"{ARN_PREFIX}:training-job/made-up-{i}" for i in range(6)]
        for arn in jobs[:5]:
            client.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
        with raises_code("ResourceLimitExceeded") as caught:
            client.add_tags(ResourceArn=jobs[5], Tags=[{"Key": "k", "Value": "v"}])
        assert "at most 5 resources" in caught.value.response["Error"]["Message"]
        # Tagging one already tagged goes on; deleting its last tag frees its place.
        client.add_tags(ResourceArn=jobs[0], Tags=[{"Key": "k2", "Value": "v"}])
        client.delete_tags(ResourceArn=jobs[1], TagKeys=["k"])
        client.add_tags(ResourceArn=jobs[5], Tags=[{"Key": "k", "Value": "v"}])
        assert client.list_tags(ResourceArn=jobs[5])["Tags"] == [{"Key": "k", "Value": "v"}]
    finally:
        service.close()
        store.close()
