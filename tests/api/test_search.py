"""Search over ExperimentTrialComponent, Experiment and ExperimentTrial, against a reference the
test computes itself from what it created (plain Python predicates, not the service's code).

Each case is paged (MaxResults 2) and compared in full: the matches, and their order under
the sort asked for.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from api_helpers import collect_pages, make_client, raises_code

T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@dataclass
class Component:
    name: str
    arn: str
    display: str
    status: str
    start: dt.datetime
    lr: float
    algo: str
    train: str
    tags: dict[str, str]
    parents: set[tuple[str, str]] = field(default_factory=set)  # (trial, experiment)

    def trials(self) -> set[str]:
        return {t for t, _ in self.parents}

    def experiments(self) -> set[str]:
        return {e for _, e in self.parents}


@dataclass
class World:
    client: Any
    components: dict[str, Component]
    trials: dict[str, str]  # trial -> experiment
    experiments: dict[str, dict[str, str]]  # experiment -> tags
    descriptions: dict[str, str]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    from viz_app.api.server import start_service
    from viz_app.core.store import Store

    store = Store()
    service = start_service(store)
    client = make_client(service.url)
    rng = random.Random(7)
    experiments = {"exp-a": {"team": "blue"}, "exp-b": {"team": "red"}, "exp-c": {}}
    descriptions = {"exp-a": "churn models", "exp-b": "fraud models", "exp-c": "churn baseline"}
    for name, tags in experiments.items():
        client.create_experiment(
            ExperimentName=name,
            Description=descriptions[name],
            Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        )
    trials = {f"trial-{i}": ["exp-a", "exp-b", "exp-c"][i % 3] for i in range(6)}
    for trial, experiment in trials.items():
        client.create_trial(TrialName=trial, ExperimentName=experiment)
    components: dict[str, Component] = {}
    for i in range(14):
        name = f"tc-{i:02d}"
        comp = Component(
            name=name,
            arn="",
            display=f"{rng.choice(['train', 'prep', 'eval'])}-step-{i}",
            status=rng.choice(["Completed", "Failed", "InProgress"]),
            start=T0 + dt.timedelta(hours=i),
            lr=round(rng.uniform(0, 1), 3),
            algo=rng.choice(["xgb", "linear"]),
            train=f"s3://bucket/{rng.choice(['a', 'b'])}/train.csv",
            tags={"team": rng.choice(["blue", "red"])} if i % 4 else {},
        )
        comp.arn = client.create_trial_component(
            TrialComponentName=name,
            DisplayName=comp.display,
            Status={"PrimaryStatus": comp.status},
            StartTime=comp.start,
            Parameters={"lr": {"NumberValue": comp.lr}, "algo": {"StringValue": comp.algo}},
            InputArtifacts={"train": {"Value": comp.train}},
            Tags=[{"Key": k, "Value": v} for k, v in comp.tags.items()],
        )["TrialComponentArn"]
        for trial in rng.sample(sorted(trials), rng.choice([0, 1, 1, 2])):
            client.associate_trial_component(TrialComponentName=name, TrialName=trial)
            comp.parents.add((trial, trials[trial]))
        components[name] = comp
    yield World(client, components, trials, experiments, descriptions)
    service.close()
    store.close()


def _names(world: World, test: Callable[[Component], bool]) -> list[str]:
    return sorted(c.name for c in world.components.values() if test(c))


def _arns(world: World, *names: str) -> list[str]:
    return [world.components[n].arn for n in names]


def _search(client: Any, resource: str, member: str, key: str, **kwargs: Any) -> list[Any]:
    items, _ = collect_pages(client.search, "Results", 2, Resource=resource, **kwargs)
    return [item[member][key] for item in items]


def _joined(world: World, *names: str) -> str:
    return ",".join(_arns(world, *names))


F = dict[str, Any]


def _f(name: str, operator: str | None, value: str | None = None) -> F:
    out: F = {"Name": name}
    if operator is not None:
        out["Operator"] = operator
    if value is not None:
        out["Value"] = value
    return out


CASES: list[tuple[str, Callable[[World], F], Callable[[World, Component], bool]]] = [
    (
        "parent trial",
        lambda w: {"Filters": [_f("Parents.TrialName", "Equals", "trial-1")]},
        lambda w, c: "trial-1" in c.trials(),
    ),
    (
        "parent experiment (no operator means Equals)",
        lambda w: {"Filters": [_f("Parents.ExperimentName", None, "exp-a")]},
        lambda w, c: "exp-a" in c.experiments(),
    ),
    (
        "nested parents: one parent must satisfy both",
        lambda w: {
            "NestedFilters": [
                {
                    "NestedPropertyName": "Parents",
                    "Filters": [
                        _f("Parents.TrialName", "Equals", "trial-1"),
                        _f("Parents.ExperimentName", "Equals", "exp-b"),
                    ],
                }
            ]
        },
        lambda w, c: ("trial-1", "exp-b") in c.parents,
    ),
    (
        "nested parents that no single parent satisfies",
        lambda w: {
            "NestedFilters": [
                {
                    "NestedPropertyName": "Parents",
                    "Filters": [
                        _f("Parents.TrialName", "Equals", "trial-1"),
                        _f("Parents.ExperimentName", "Equals", "exp-a"),
                    ],
                }
            ]
        },
        lambda w, c: False,
    ),
    (
        "ARNs in an Or, as the SDK's trial helpers send them",
        lambda w: {
            "Filters": [
                _f("TrialComponentArn", "Equals", a) for a in _arns(w, "tc-01", "tc-05", "tc-09")
            ],
            "Operator": "Or",
        },
        lambda w, c: c.name in ("tc-01", "tc-05", "tc-09"),
    ),
    (
        "Equals is exact: comma-joined ARNs match nothing",
        lambda w: {"Filters": [_f("TrialComponentArn", "Equals", _joined(w, "tc-01", "tc-02"))]},
        lambda w, c: False,
    ),
    (
        "In takes comma-delimited names",
        lambda w: {"Filters": [_f("TrialComponentName", "In", "tc-03,tc-04,nope")]},
        lambda w, c: c.name in ("tc-03", "tc-04"),
    ),
    (
        "parent trials In, and a status not in progress",
        lambda w: {
            "Filters": [
                _f("Parents.TrialName", "In", "trial-1,trial-2,trial-4"),
                _f("Status.PrimaryStatus", "NotEquals", "InProgress"),
            ]
        },
        lambda w, c: bool(c.trials() & {"trial-1", "trial-2", "trial-4"})
        and c.status != "InProgress",
    ),
    (
        "an Or of a name and a tag",
        lambda w: {
            "Filters": [
                _f("TrialComponentName", "Equals", "tc-01"),
                _f("Tags.team", "Equals", "red"),
            ],
            "Operator": "Or",
        },
        lambda w, c: c.name == "tc-01" or c.tags.get("team") == "red",
    ),
    (
        "a parent experiment named in another case matches nothing",
        lambda w: {"Filters": [_f("Parents.ExperimentName", "Equals", "EXP-A")]},
        lambda w, c: False,
    ),
    (
        "DisplayName contains",
        lambda w: {"Filters": [_f("DisplayName", "Contains", "train")]},
        lambda w, c: "train" in c.display,
    ),
    (
        "tag",
        lambda w: {"Filters": [_f("Tags.team", "Equals", "blue")]},
        lambda w, c: c.tags.get("team") == "blue",
    ),
    (
        "numeric hyperparameter",
        lambda w: {"Filters": [_f("Parameters.lr", "GreaterThan", "0.5")]},
        lambda w, c: c.lr > 0.5,
    ),
    (
        "text hyperparameter",
        lambda w: {"Filters": [_f("Parameters.algo", "Equals", "xgb")]},
        lambda w, c: c.algo == "xgb",
    ),
    (
        "status not equal",
        lambda w: {"Filters": [_f("Status.PrimaryStatus", "NotEquals", "Completed")]},
        lambda w, c: c.status != "Completed",
    ),
    (
        "no parent",
        lambda w: {"Filters": [_f("Parents.TrialName", "NotExists")]},
        lambda w, c: not c.parents,
    ),
    (
        "has a tag",
        lambda w: {"Filters": [_f("Tags.team", "Exists")]},
        lambda w, c: "team" in c.tags,
    ),
    (
        "start time bound (ISO 8601)",
        lambda w: {"Filters": [_f("StartTime", "GreaterThanOrEqualTo", "2025-01-01T09:00:00Z")]},
        lambda w, c: c.start >= T0 + dt.timedelta(hours=9),
    ),
    (
        "input artifact",
        lambda w: {"Filters": [_f("InputArtifacts.train.Value", "Equals", "s3://bucket/a/train.csv")]},
        lambda w, c: c.train == "s3://bucket/a/train.csv",
    ),
    (
        "sub-expressions: (blue or xgb) and in exp-b",
        lambda w: {
            "SubExpressions": [
                {
                    "Filters": [
                        _f("Tags.team", "Equals", "blue"),
                        _f("Parameters.algo", "Equals", "xgb"),
                    ],
                    "Operator": "Or",
                }
            ],
            "Filters": [_f("Parents.ExperimentName", "Equals", "exp-b")],
            "Operator": "And",
        },
        lambda w, c: (c.tags.get("team") == "blue" or c.algo == "xgb")
        and "exp-b" in c.experiments(),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("label", "expression", "expected"), CASES, ids=[c[0] for c in CASES])
def test_trial_component_search_matches_the_reference(
    world: World,
    label: str,
    expression: Callable[[World], F],
    expected: Callable[[World, Component], bool],
) -> None:
    want = _names(world, lambda c: expected(world, c))
    got = _search(
        world.client,
        "ExperimentTrialComponent",
        "TrialComponent",
        "TrialComponentName",
        SearchExpression=expression(world),
        SortBy="TrialComponentName",
        SortOrder="Ascending",
    )
    assert got == want, label


def test_search_records_carry_parents_tags_and_the_source_of_truth(world: World) -> None:
    items, _ = collect_pages(world.client.search, "Results", 5, Resource="ExperimentTrialComponent")
    assert len(items) == len(world.components)
    for item in items:
        record = item["TrialComponent"]
        comp = world.components[record["TrialComponentName"]]
        assert record["TrialComponentArn"] == comp.arn
        assert {(p["TrialName"], p["ExperimentName"]) for p in record["Parents"]} == comp.parents
        assert {t["Key"]: t["Value"] for t in record["Tags"]} == comp.tags
        assert record["Parameters"]["lr"] == {"NumberValue": comp.lr}
    # Default order: LastModifiedTime, Descending.
    modified = [i["TrialComponent"]["LastModifiedTime"] for i in items]
    assert modified == sorted(modified, reverse=True)


def test_search_sorts_by_start_time_both_ways(world: World) -> None:
    by_start = sorted(world.components.values(), key=lambda c: c.start)
    for order, want in (("Ascending", by_start), ("Descending", by_start[::-1])):
        got = _search(
            world.client,
            "ExperimentTrialComponent",
            "TrialComponent",
            "TrialComponentName",
            SortBy="StartTime",
            SortOrder=order,
        )
        assert got == [c.name for c in want]


def test_experiment_search_matches_the_reference(world: World) -> None:
    got = _search(
        world.client,
        "Experiment",
        "Experiment",
        "ExperimentName",
        SearchExpression={"Filters": [_f("Description", "Contains", "churn")]},
        SortBy="ExperimentName",
        SortOrder="Descending",
    )
    assert got == sorted((e for e, d in world.descriptions.items() if "churn" in d), reverse=True)
    tagged = _search(
        world.client,
        "Experiment",
        "Experiment",
        "ExperimentName",
        SearchExpression={"Filters": [_f("Tags.team", "Equals", "red")]},
    )
    assert tagged == [e for e, tags in world.experiments.items() if tags.get("team") == "red"]


def test_trial_search_matches_the_reference(world: World) -> None:
    got = _search(
        world.client,
        "ExperimentTrial",
        "Trial",
        "TrialName",
        SearchExpression={"Filters": [_f("ExperimentName", "Equals", "exp-c")]},
        SortBy="TrialName",
        SortOrder="Ascending",
    )
    assert got == sorted(t for t, e in world.trials.items() if e == "exp-c")
    holding = _search(
        world.client,
        "ExperimentTrial",
        "Trial",
        "TrialName",
        SearchExpression={
            "NestedFilters": [
                {
                    "NestedPropertyName": "TrialComponentSummaries",
                    "Filters": [
                        _f("TrialComponentSummaries.TrialComponentName", "Equals", "tc-03")
                    ],
                }
            ]
        },
        SortBy="TrialName",
        SortOrder="Ascending",
    )
    assert holding == sorted(world.components["tc-03"].trials())
    records, _ = collect_pages(world.client.search, "Results", 4, Resource="ExperimentTrial")
    for item in records:
        trial = item["Trial"]
        members = {s["TrialComponentName"] for s in trial["TrialComponentSummaries"]}
        want = {c.name for c in world.components.values() if trial["TrialName"] in c.trials()}
        assert members == want


def test_search_token_belongs_to_its_query(world: World) -> None:
    first = world.client.search(Resource="ExperimentTrialComponent", MaxResults=1)
    with raises_code("ValidationException"):
        world.client.search(
            Resource="ExperimentTrialComponent",
            MaxResults=1,
            SortOrder="Ascending",
            NextToken=first["NextToken"],
        )


@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"Resource": "TrainingJob"}, "not supported"),
        ({"Resource": "Experiment", "SortBy": "Parents.TrialName"}, "Parents.TrialName"),
        (
            {"SearchExpression": {"Filters": [_f("Bogus", "Equals", "x")]}},
            "can't filter or sort on Bogus",
        ),
        (
            {"SearchExpression": {"Filters": [_f("DisplayName", "GreaterThan", "x")]}},
            "not supported for the text property DisplayName",
        ),
        (
            {"SearchExpression": {"Filters": [_f("StartTime", "GreaterThan", "soon")]}},
            "not a timestamp",
        ),
        ({"SearchExpression": {"Filters": [_f("DisplayName", None)]}}, "needs a Value"),
        ({"SearchExpression": {"Filters": [_f("DisplayName", "Equals")]}}, "needs a Value"),
        ({"SearchExpression": {"Operator": "And"}}, "at least one"),
        (
            {
                "SearchExpression": {
                    "Filters": [
                        _f("Parents.TrialName", "Contains", "a"),
                        _f("Status.PrimaryStatus", "Contains", "b"),
                    ]
                }
            },
            "'CONTAINS' operator usage limit of 1 exceeded.",
        ),
        (
            {
                "SearchExpression": {
                    "NestedFilters": [
                        {"NestedPropertyName": "Tags", "Filters": [_f("Tags.a", "Equals", "b")]}
                    ]
                }
            },
            "NestedPropertyName Tags",
        ),
        (
            {
                "SearchExpression": {
                    "NestedFilters": [
                        {
                            "NestedPropertyName": "Parents",
                            "Filters": [_f("DisplayName", "Equals", "b")],
                        }
                    ]
                }
            },
            "Nested filter on Parents",
        ),
        ({"VisibilityConditions": [{"Key": "k", "Value": "v"}]}, "VisibilityConditions"),
        ({"NextToken": "not-a-token"}, "pagination token"),
    ],
)
def test_unsupported_searches_are_clear_validation_errors(
    world: World, kwargs: dict[str, Any], phrase: str
) -> None:
    kwargs = {"Resource": "ExperimentTrialComponent", **kwargs}
    with raises_code("ValidationException") as excinfo:
        world.client.search(**kwargs)
    assert phrase in excinfo.value.response["Error"]["Message"]


def test_contains_may_repeat_on_the_names_the_docs_allow(world: World) -> None:
    got = _search(
        world.client,
        "ExperimentTrialComponent",
        "TrialComponent",
        "TrialComponentName",
        SearchExpression={
            "Filters": [_f("DisplayName", "Contains", "step"), _f("DisplayName", "Contains", "1")]
        },
        SortBy="TrialComponentName",
        SortOrder="Ascending",
    )
    assert got == _names(world, lambda c: "step" in c.display and "1" in c.display)


def test_search_is_regional(world: World) -> None:
    west = make_client(world.client.meta.endpoint_url, region="us-west-2")
    assert west.search(Resource="ExperimentTrialComponent")["Results"] == []


@pytest.mark.parametrize(("depth", "code"), [(10, None), (300, "ValidationException")])
def test_deeply_nested_expressions_are_refused_not_a_crash(
    world: World, depth: int, code: str | None
) -> None:
    """The model lets sub-expressions nest without bound: past a fixed depth the request is a
    ValidationException (a RecursionError used to make it an InternalFailure)."""
    from api_helpers import raw_post

    leaf = '{"Filters":[{"Name":"TrialComponentName","Operator":"Equals","Value":"tc-01"}]}'
    expression = '{"SubExpressions":[' * depth + leaf + "]}" * depth
    body = '{"Resource":"ExperimentTrialComponent","SearchExpression":' + expression + "}"
    reply = raw_post(world.client.meta.endpoint_url, body, target="SageMaker.Search")
    if code is None:
        assert reply.status == 200
        assert [r["TrialComponent"]["TrialComponentName"] for r in reply.json()["Results"]] == [
            "tc-01"
        ]
    else:
        assert (reply.status, reply.code) == (400, code)
        assert "nested more than" in reply.json()["message"]
