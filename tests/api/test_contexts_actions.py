"""Create/Describe/List/Update/Delete for contexts and actions over HTTP."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import (
    ARN_PREFIX,
    assert_unique,
    collect_pages,
    create_action,
    create_artifact,
    create_context,
    make_client,
    raises_code,
)

from viz_app.core.model import ACTION, CONTEXT, EntityRecord


@dataclass(frozen=True)
class Kind:
    """How one entity kind is spelt on the wire."""

    name: str  # Context | Action
    resource: str  # ARN resource segment
    name_key: str  # ContextName | ActionName
    type_key: str  # ContextType | ActionType

    @property
    def arn_key(self) -> str:
        return f"{self.name}Arn"

    @property
    def summaries(self) -> str:
        return f"{self.name}Summaries"

    def op(self, client: Any, verb: str) -> Any:
        return getattr(client, f"{verb}_{self.name.lower()}")

    def list(self, client: Any) -> Any:
        return getattr(client, f"list_{self.name.lower()}s")

    def create(self, client: Any, name: str, entity_type: str = "T", **extra: Any) -> str:
        source = extra.pop("Source", {"SourceUri": f"{ARN_PREFIX}:endpoint/{name.lower()}"})
        response = self.op(client, "create")(
            **{self.name_key: name, self.type_key: entity_type, "Source": source}, **extra
        )
        return str(response[self.arn_key])


CONTEXTS = Kind("Context", "context", "ContextName", "ContextType")
ACTIONS = Kind("Action", "action", "ActionName", "ActionType")
KINDS = pytest.mark.parametrize("kind", [CONTEXTS, ACTIONS], ids=["context", "action"])


def _put(service: Any, kind: Kind, names_times: list[tuple[str, float]]) -> list[str]:
    records = []
    for name, created in names_times:
        uri = f"{ARN_PREFIX}:endpoint/{name.lower()}"
        doc: dict[str, Any] = {"Source": {"SourceUri": uri}, "Properties": {}}
        arn = f"{ARN_PREFIX}:{kind.resource}/{name}"
        lineage_type = CONTEXT if kind is CONTEXTS else ACTION
        records.append(EntityRecord(arn, lineage_type, name, "T", uri, created, created, doc))
    service.store.bulk_insert(records)
    return [r.arn for r in records]


@KINDS
def test_create_returns_a_name_based_arn(client: Any, kind: Kind) -> None:
    arn = kind.create(client, "My-Thing-1")
    assert arn == f"{ARN_PREFIX}:{kind.resource}/My-Thing-1"


def test_create_context_then_describe_by_name_and_by_arn(client: Any) -> None:
    arn = create_context(
        client,
        "ep-ctx_1",
        "Endpoint",
        Source={"SourceUri": f"{ARN_PREFIX}:endpoint/ep", "SourceType": "ARN", "SourceId": "id1"},
        Description="an endpoint",
        Properties={"a": "1"},
        Tags=[{"Key": "k", "Value": "v"}],
    )
    for name in ("ep-ctx_1", arn, "EP-CTX_1"):
        got = client.describe_context(ContextName=name)
        assert got["ContextArn"] == arn
        assert got["ContextName"] == "ep-ctx_1"
        assert got["ContextType"] == "Endpoint"
        assert got["Source"] == {
            "SourceUri": f"{ARN_PREFIX}:endpoint/ep",
            "SourceType": "ARN",
            "SourceId": "id1",
        }
        assert got["Description"] == "an endpoint"
        assert got["Properties"] == {"a": "1"}
        assert isinstance(got["CreationTime"], dt.datetime)
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]


def test_create_action_then_describe_by_name_and_by_arn(client: Any) -> None:
    arn = create_action(
        client,
        "deploy-1",
        "ModelDeployment",
        Description="deploys",
        Status="InProgress",
        Properties={"p": "q"},
        MetadataProperties={"ProjectId": "proj"},
    )
    for name in ("deploy-1", arn, "DEPLOY-1"):
        got = client.describe_action(ActionName=name)
        assert got["ActionArn"] == arn
        assert got["ActionName"] == "deploy-1"
        assert got["ActionType"] == "ModelDeployment"
        assert got["Status"] == "InProgress"
        assert got["Description"] == "deploys"
        assert got["Properties"] == {"p": "q"}
        assert got["MetadataProperties"] == {"ProjectId": "proj"}


@KINDS
def test_describe_unknown_name_is_resource_not_found(client: Any, kind: Kind) -> None:
    with raises_code("ResourceNotFound"):
        kind.op(client, "describe")(**{kind.name_key: "nothing-here"})


@KINDS
def test_names_are_unique_case_insensitively(client: Any, kind: Kind) -> None:
    kind.create(client, "Unique-Name")
    with raises_code("ValidationException"):
        kind.create(client, "unique-name")


@KINDS
def test_the_same_name_is_free_in_another_region(service: Any, client: Any, kind: Kind) -> None:
    kind.create(client, "regional")
    other = make_client(service.url, region="eu-west-1")
    arn = kind.create(other, "regional")
    assert ":eu-west-1:" in arn


@pytest.mark.parametrize(
    ("kind", "kwargs", "field"),
    [
        (CONTEXTS, {"ContextName": "c" * 121}, "contextName"),
        (CONTEXTS, {"ContextName": "bad name"}, "contextName"),
        (CONTEXTS, {"ContextType": "t" * 257}, "contextType"),
        (CONTEXTS, {"Source": {"SourceUri": "u" * 2049}}, "source.sourceUri"),
        (CONTEXTS, {"Source": {"SourceUri": "u", "SourceType": "t" * 257}}, "source.sourceType"),
        (CONTEXTS, {"Source": {"SourceUri": "u", "SourceId": "t" * 257}}, "source.sourceId"),
        (CONTEXTS, {"Description": "d" * 3073}, "description"),
        (CONTEXTS, {"Properties": {f"k{i}": "v" for i in range(31)}}, "properties"),
        (CONTEXTS, {"Properties": {"k": "v" * 2501}}, "properties"),
        (ACTIONS, {"ActionName": "under_score"}, "actionName"),
        (ACTIONS, {"ActionName": "a" * 121}, "actionName"),
        (ACTIONS, {"ActionType": "t" * 257}, "actionType"),
        (ACTIONS, {"Status": "Sleeping"}, "status"),
        (ACTIONS, {"Description": "d" * 3073}, "description"),
        (ACTIONS, {"Properties": {"k": "v" * 2501}}, "properties"),
        (
            ACTIONS,
            {"MetadataProperties": {"Repository": "r" * 1025}},
            "metadataProperties.repository",
        ),
    ],
)
def test_create_rejects_values_outside_the_model(
    client: Any, kind: Kind, kwargs: dict[str, Any], field: str
) -> None:
    args: dict[str, Any] = {
        kind.name_key: "valid-name",
        kind.type_key: "T",
        "Source": {"SourceUri": "s3://x"},
    }
    args.update(kwargs)
    with raises_code("ValidationException", field):
        kind.op(client, "create")(**args)


def test_context_names_allow_underscores_but_action_names_do_not(client: Any) -> None:
    assert create_context(client, "with_underscore")
    with raises_code("ValidationException", "actionName"):
        create_action(client, "with_underscore")


@KINDS
def test_list_sorts_newest_first_and_pages_completely(
    service: Any, client: Any, kind: Kind
) -> None:
    arns = _put(service, kind, [(f"item-{i:02d}", 1000.0 + i) for i in range(25)])
    first = kind.list(client)()
    assert [s[kind.arn_key] for s in first[kind.summaries]] == arns[::-1][:10]
    items, _ = collect_pages(kind.list(client), kind.summaries, 6)
    listed = [s[kind.arn_key] for s in items]
    assert_unique(listed)
    assert listed == arns[::-1]


@KINDS
def test_list_sorts_by_name_both_ways(service: Any, client: Any, kind: Kind) -> None:
    _put(service, kind, [("bravo", 1.0), ("alpha", 3.0), ("charlie", 2.0)])
    ascending = kind.list(client)(SortBy="Name", SortOrder="Ascending")[kind.summaries]
    assert [s[kind.name_key] for s in ascending] == ["alpha", "bravo", "charlie"]
    descending = kind.list(client)(SortBy="Name", SortOrder="Descending")[kind.summaries]
    assert [s[kind.name_key] for s in descending] == ["charlie", "bravo", "alpha"]
    items, _ = collect_pages(kind.list(client), kind.summaries, 2, SortBy="Name")
    assert [s[kind.name_key] for s in items] == ["charlie", "bravo", "alpha"]


@KINDS
def test_list_created_bounds_are_inclusive(service: Any, client: Any, kind: Kind) -> None:
    arns = _put(service, kind, [("t1", 1000.0), ("t2", 2000.0), ("t3", 3000.0), ("t4", 4000.0)])
    got = kind.list(client)(
        CreatedAfter=dt.datetime.fromtimestamp(2000, dt.UTC),
        CreatedBefore=dt.datetime.fromtimestamp(3000, dt.UTC),
        SortOrder="Ascending",
    )[kind.summaries]
    assert [s[kind.arn_key] for s in got] == arns[1:3]


@KINDS
def test_list_filters_by_source_uri_and_type(client: Any, kind: Kind) -> None:
    wanted = kind.create(client, "one", "Endpoint", Source={"SourceUri": "arn:x:1"})
    kind.create(client, "two", "ModelGroup", Source={"SourceUri": "arn:x:2"})
    kind.create(client, "three", "Endpoint", Source={"SourceUri": "arn:x:3"})
    by_uri = kind.list(client)(SourceUri="arn:x:1")[kind.summaries]
    assert [s[kind.arn_key] for s in by_uri] == [wanted]
    type_arg = {kind.type_key: "Endpoint"}
    by_type = kind.list(client)(**type_arg)[kind.summaries]
    assert len(by_type) == 2
    (summary,) = kind.list(client)(SourceUri="arn:x:1", **type_arg)[kind.summaries]
    assert summary[kind.name_key] == "one"
    assert summary[kind.type_key] == "Endpoint"
    assert summary["Source"]["SourceUri"] == "arn:x:1"


def test_list_actions_summaries_carry_status(client: Any) -> None:
    create_action(client, "with-status", Status="Completed")
    (summary,) = client.list_actions()["ActionSummaries"]
    assert summary["Status"] == "Completed"


@KINDS
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"MaxResults": 101}, "maxResults"),
        ({"SortBy": "Type"}, "sortBy"),
        ({"SortOrder": "Random"}, "sortOrder"),
        ({"NextToken": "n" * 8193}, "nextToken"),
        ({"SourceUri": "s" * 2049}, "sourceUri"),
    ],
)
def test_list_rejects_out_of_model_arguments(
    client: Any, kind: Kind, kwargs: dict[str, Any], field: str
) -> None:
    with raises_code("ValidationException", field):
        kind.list(client)(**kwargs)


@KINDS
def test_update_merges_properties_removes_keys_and_sets_description(
    service: Any, client: Any, kind: Kind
) -> None:
    (arn,) = _put(service, kind, [("upd", 1000.0)])
    kind.op(client, "update")(**{kind.name_key: "upd"}, Properties={"a": "1", "b": "2"})
    response = kind.op(client, "update")(
        **{kind.name_key: "upd"},
        Description="new words",
        Properties={"c": "3", "b": "20"},
        PropertiesToRemove=["a"],
    )
    assert response[kind.arn_key] == arn
    got = kind.op(client, "describe")(**{kind.name_key: "upd"})
    assert got["Properties"] == {"b": "20", "c": "3"}
    assert got["Description"] == "new words"
    assert got["CreationTime"] == dt.datetime.fromtimestamp(1000, dt.UTC)
    assert got["LastModifiedTime"] > got["CreationTime"]


def test_update_action_sets_status(client: Any) -> None:
    create_action(client, "st", Status="InProgress")
    client.update_action(ActionName="st", Status="Completed")
    assert client.describe_action(ActionName="st")["Status"] == "Completed"


def test_update_action_rejects_an_unknown_status(client: Any) -> None:
    create_action(client, "st2")
    with raises_code("ValidationException", "status"):
        client.update_action(ActionName="st2", Status="Done")


@KINDS
def test_update_unknown_is_resource_not_found(client: Any, kind: Kind) -> None:
    with raises_code("ResourceNotFound"):
        kind.op(client, "update")(**{kind.name_key: "ghost"}, Description="x")


@KINDS
def test_update_rejects_too_many_properties(client: Any, kind: Kind) -> None:
    kind.create(client, "many")
    with raises_code("ValidationException", "properties"):
        kind.op(client, "update")(
            **{kind.name_key: "many"}, Properties={f"k{i}": "v" for i in range(31)}
        )


@KINDS
def test_delete_returns_the_arn_and_cascades_associations(client: Any, kind: Kind) -> None:
    arn = kind.create(client, "doomed")
    data = create_artifact(client, "s3://bucket/for-delete.csv")
    client.add_association(SourceArn=data, DestinationArn=arn)
    assert kind.op(client, "delete")(**{kind.name_key: "doomed"})[kind.arn_key] == arn
    with raises_code("ResourceNotFound"):
        kind.op(client, "describe")(**{kind.name_key: "doomed"})
    assert client.list_associations(SourceArn=data)["AssociationSummaries"] == []
    kind.create(client, "doomed")  # the name is free again


@KINDS
def test_delete_unknown_is_resource_not_found(client: Any, kind: Kind) -> None:
    with raises_code("ResourceNotFound"):
        kind.op(client, "delete")(**{kind.name_key: "ghost"})
