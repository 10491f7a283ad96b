"""The one SageMaker client module: factory, read-only guard, paging, Describe table, directions.

Each part is checked against botocore's SageMaker model and the real local service, and the
rest of the app is checked to use it rather than a copy of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from viz_app.api.server import LineageService, start_service
from viz_app.client import factory, read_only
from viz_app.client.describe import DESCRIBERS, describe, describer_for
from viz_app.client.directions import ASCENDANTS, BOTH, DESCENDANTS, DIRECTIONS
from viz_app.client.paging import Pages, items
from viz_app.client.read_only import ReadOnlyViolation, guard
from viz_app.core import lineage
from viz_app.core.demo import DemoSummary, build_demo
from viz_app.core.model import LINEAGE_TYPES, parse_arn
from viz_app.core.store import Store

MODEL = botocore.session.get_session().get_service_model("sagemaker")
VIZ_APP = Path(__file__).resolve().parents[2] / "viz_app"


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[LineageService, DemoSummary]]:
    store = Store()
    summary = build_demo(store)
    service = start_service(store)
    yield service, summary
    service.close()
    store.close()


def local(service: LineageService) -> Any:
    return factory.sagemaker_client(
        purpose="test", region="us-east-1", endpoint_url=service.url, local_credentials=True
    )


def sent_targets(client: Any) -> list[str]:
    sent: list[str] = []
    client.meta.events.register(
        "before-send", lambda request, **_: sent.append(request.headers["X-Amz-Target"].decode())
    )
    return sent


def test_a_factory_client_retries_adaptively_ten_times_after_the_first_and_says_who_it_is(
    demo: tuple[LineageService, DemoSummary],
) -> None:
    client = local(demo[0])
    retries = client.meta.config.retries
    assert retries == {"mode": "adaptive", "total_max_attempts": factory.MAX_RETRIES + 1}
    assert factory.MAX_RETRIES == 10
    assert "lineage-viz-test" in client.meta.config.user_agent_extra
    # A person waits on the explorer and the notebook: they say "throttled" sooner.
    assert factory.client_config("app").retries == {"mode": "adaptive", "max_attempts": 6}
    assert factory.client_config("notebook").retries["max_attempts"] == 6
    assert factory.client_config("evidence").retries["max_attempts"] == 10


def test_a_factory_client_is_guarded_from_birth(
    demo: tuple[LineageService, DemoSummary],
) -> None:
    service, _ = demo
    client = local(service)
    sent = sent_targets(client)
    before = service.store.count_entities()
    with pytest.raises(ReadOnlyViolation):
        client.create_artifact(Source={"SourceUri": "s3://never/x"}, ArtifactType="DataSet")
    assert sent == [] and service.store.count_entities() == before
    client.list_artifacts(MaxResults=1)
    assert sent == ["SageMaker.ListArtifacts"]


def test_guarding_a_client_twice_registers_its_checks_once(
    demo: tuple[LineageService, DemoSummary], monkeypatch: pytest.MonkeyPatch
) -> None:
    registered: list[str] = []
    real = read_only.refuse_by_name
    monkeypatch.setattr(
        read_only, "refuse_by_name", lambda c, allowed: (registered.append("x"), real(c, allowed))
    )
    client = botocore.session.get_session().create_client(
        "sagemaker",
        region_name="us-east-1",
        endpoint_url=demo[0].url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    assert guard(guard(client)) is client
    assert registered == ["x"]


def test_the_allow_list_lets_every_read_the_app_makes_through_and_no_write() -> None:
    reads = ("QueryLineage", "Search", "DescribeContext", "ListTags", "GetCallerIdentity")
    assert all(read_only.is_read_operation(op) for op in reads)
    writes = [op for op in MODEL.operation_names if op.startswith(("Create", "Delete", "Update"))]
    assert len(writes) > 100
    assert not any(read_only.is_read_operation(op) for op in [*writes, "AddTags", "PutRecord"])


def test_pages_follow_next_token_to_the_last_page(
    demo: tuple[LineageService, DemoSummary],
) -> None:
    service, _ = demo
    client = local(service)
    pages = Pages(client.list_artifacts, {"MaxResults": 7})
    listed = [a["ArtifactArn"] for page in pages for a in page["ArtifactSummaries"]]
    every = [a["ArtifactArn"] for a in client.list_artifacts(MaxResults=100)["ArtifactSummaries"]]
    assert pages.calls > 2 and not pages.cut_short
    assert len(listed) == len(set(listed)) and set(listed) == set(every)
    assert list(items(client.list_artifacts, "ArtifactSummaries", {"MaxResults": 7})) == [
        a
        for page in Pages(client.list_artifacts, {"MaxResults": 7})
        for a in page["ArtifactSummaries"]
    ]


def test_pages_stop_at_the_page_budget_and_say_so(
    demo: tuple[LineageService, DemoSummary],
) -> None:
    client = local(demo[0])
    pages = Pages(client.list_artifacts, {"MaxResults": 2}, max_pages=3)
    assert len(list(pages)) == 3
    assert pages.truncated and pages.cut_short and not pages.repeated_token


def test_pages_stop_when_a_service_repeats_a_token() -> None:
    asked: list[dict[str, Any]] = []

    def looping(**params: Any) -> dict[str, Any]:
        asked.append(params)
        return {"Items": [len(asked)], "NextToken": "same", "ResponseMetadata": {}}

    pages = Pages(looping, {"MaxResults": 1})
    got = list(pages)
    assert [p["Items"] for p in got] == [[1], [2]]
    assert all("ResponseMetadata" not in p for p in got)
    assert asked == [{"MaxResults": 1}, {"MaxResults": 1, "NextToken": "same"}]
    assert pages.repeated_token and not pages.truncated


def test_the_describe_table_matches_botocores_model_for_every_lineage_type() -> None:
    assert set(DESCRIBERS) == set(LINEAGE_TYPES)
    for kind, describer in DESCRIBERS.items():
        operation = MODEL.operation_model(
            "".join(part.capitalize() for part in describer.method.split("_"))
        )
        assert describer.kind == kind
        assert describer.member in operation.input_shape.required_members
        fields = operation.output_shape.members
        assert describer.arn_field in fields and describer.name_field in fields
        assert describer.type_field is None or describer.type_field in fields


def test_describe_answers_each_kind_by_name_and_by_arn(
    demo: tuple[LineageService, DemoSummary],
) -> None:
    service, summary = demo
    client = local(service)
    vertices = client.query_lineage(
        StartArns=[summary.endpoint_context_arns[0]], Direction=BOTH, MaxDepth=10
    )["Vertices"]
    one_of_each = {v["LineageType"]: v["Arn"] for v in vertices}
    assert set(one_of_each) == set(LINEAGE_TYPES)
    for kind, arn in one_of_each.items():
        describer = DESCRIBERS[kind]
        by_name = describe(client, arn)
        assert by_name is not None and by_name[describer.arn_field] == arn
        assert "ResponseMetadata" not in by_name
        assert describe(client, arn, kind, by_arn=True) == by_name
    assert describe(client, summary.endpoint_arns[0]) is None  # an endpoint is no lineage entity
    assert describer_for("not an arn") is None


def test_describe_names_an_entity_as_its_member_takes_it() -> None:
    context = "arn:aws:sagemaker:us-east-1:123456789012:context/churn-prod"
    artifact = "arn:aws:sagemaker:us-east-1:123456789012:artifact/0123abcd"
    assert describer_for(context).params(context) == {"ContextName": "churn-prod"}  # type: ignore[union-attr]
    assert describer_for(context).params(context, by_arn=True) == {"ContextName": context}  # type: ignore[union-attr]
    assert describer_for(artifact).params(artifact) == {"ArtifactArn": artifact}  # type: ignore[union-attr]
    assert parse_arn(context) is not None


def test_the_direction_names_are_botocores_and_the_service_uses_the_same_ones() -> None:
    shape = MODEL.operation_model("QueryLineage").input_shape.members["Direction"]
    assert set(DIRECTIONS) == set(shape.enum) == {ASCENDANTS, DESCENDANTS, BOTH}
    assert (lineage.ASCENDANTS, lineage.DESCENDANTS, lineage.BOTH) == (
        ASCENDANTS,
        DESCENDANTS,
        BOTH,
    )


# What belongs to viz_app/client alone, outside the service's own side (api, core).
_ONE_HOME = {
    "a boto3 client or session": re.compile(r"boto3\.(client|Session)\(|botocore\.config"),
    "a NextToken loop": re.compile(r"""\.get\(["']NextToken["']\)|\[["']NextToken["']\]"""),
    "a Describe call by kind": re.compile(
        r"describe_(artifact|context|action|trial_component)\b|\"Describe(Artifact|Context)\""
    ),
    "a direction name": re.compile(r"""["'](Ascendants|Descendants|Both)["']"""),
}


def test_no_module_outside_the_client_package_keeps_its_own_copy() -> None:
    copies = []
    for path in sorted(VIZ_APP.rglob("*.py")):
        part = path.relative_to(VIZ_APP).parts[0]
        if part in ("client", "api", "core"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for what, pattern in _ONE_HOME.items():
                if pattern.search(line):
                    copies.append(f"{path.relative_to(VIZ_APP)}:{number}: {what}")
    assert copies == []
