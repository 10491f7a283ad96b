"""Experiments and trials over HTTP: Create/Describe/List/Update/Delete, Associate and
Disassociate, ListTrialComponents by ExperimentName and TrialName. Every response is checked
against botocore's output shape by the client (shape_check)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest
from api_helpers import ARN_PREFIX, collect_pages, create_trial_component, make_client, raises_code


def _experiment(client: Any, name: str, **extra: Any) -> str:
    return str(client.create_experiment(ExperimentName=name, **extra)["ExperimentArn"])


def _trial(client: Any, name: str, experiment: str, **extra: Any) -> str:
    return str(client.create_trial(TrialName=name, ExperimentName=experiment, **extra)["TrialArn"])


# -- experiments -------------------------------------------------------------------------------


def test_create_and_describe_experiment(client: Any) -> None:
    arn = _experiment(
        client,
        "churn-exp",
        DisplayName="churn-display",
        Description="Churn models",
        Tags=[{"Key": "team", "Value": "ml"}],
    )
    assert arn == f"{ARN_PREFIX}:experiment/churn-exp"
    got = client.describe_experiment(ExperimentName="churn-exp")
    assert got["ExperimentName"] == "churn-exp"
    assert got["ExperimentArn"] == arn
    assert got["DisplayName"] == "churn-display"
    assert got["Description"] == "Churn models"
    assert got["CreationTime"] == got["LastModifiedTime"]
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]


def test_experiment_display_name_defaults_to_its_name(client: Any) -> None:
    _experiment(client, "plain-exp")
    assert client.describe_experiment(ExperimentName="plain-exp")["DisplayName"] == "plain-exp"


def test_duplicate_experiment_is_a_validation_error_saying_already_exists(client: Any) -> None:
    _experiment(client, "dup-exp")
    with raises_code("ValidationException") as excinfo:
        _experiment(client, "DUP-exp")
    # The SDK's _load_or_create looks for exactly this code and phrase.
    assert "already exists" in excinfo.value.response["Error"]["Message"]


def test_unknown_experiment_is_resource_not_found_in_aws_words(client: Any) -> None:
    for call in (
        lambda: client.describe_experiment(ExperimentName="ghost-exp"),
        lambda: client.update_experiment(ExperimentName="ghost-exp", Description="x"),
        lambda: client.delete_experiment(ExperimentName="ghost-exp"),
        lambda: client.create_trial(TrialName="t", ExperimentName="ghost-exp"),
        lambda: client.list_trials(ExperimentName="ghost-exp"),
        lambda: client.list_trial_components(ExperimentName="ghost-exp"),
    ):
        with raises_code("ResourceNotFound") as excinfo:
            call()
        assert excinfo.value.response["Error"]["Message"].endswith("does not exist.")


def test_update_experiment_changes_description_and_display_name(client: Any) -> None:
    arn = _experiment(client, "upd-exp", Description="old")
    before = client.describe_experiment(ExperimentName="upd-exp")
    out = client.update_experiment(ExperimentName="upd-exp", Description="new", DisplayName="n-2")
    assert out["ExperimentArn"] == arn
    got = client.describe_experiment(ExperimentName="upd-exp")
    assert (got["Description"], got["DisplayName"]) == ("new", "n-2")
    assert got["LastModifiedTime"] >= before["LastModifiedTime"]


def test_delete_experiment_needs_its_trials_deleted_first(client: Any) -> None:
    arn = _experiment(client, "del-exp")
    _trial(client, "del-trial", "del-exp")
    with raises_code("ValidationException"):
        client.delete_experiment(ExperimentName="del-exp")
    client.delete_trial(TrialName="del-trial")
    assert client.delete_experiment(ExperimentName="del-exp")["ExperimentArn"] == arn
    with raises_code("ResourceNotFound"):
        client.describe_experiment(ExperimentName="del-exp")


def test_list_experiments_pages_by_name_and_time(client: Any) -> None:
    names = [f"list-exp-{i:02d}" for i in range(7)]
    for name in names:
        _experiment(client, name)
    items, pages = collect_pages(client.list_experiments, "ExperimentSummaries", 3)
    assert len(pages) == 3
    assert [s["ExperimentName"] for s in items] == names[::-1]  # newest first by default
    by_name, _ = collect_pages(
        client.list_experiments,
        "ExperimentSummaries",
        2,
        SortBy="Name",
        SortOrder="Ascending",
    )
    assert [s["ExperimentName"] for s in by_name] == sorted(names)


def test_list_experiments_created_bounds_are_inclusive(service: Any, client: Any) -> None:
    from viz_app.core.experiments import EXPERIMENT, Experiments, Tracked

    Experiments(service.store).bulk_load(
        Tracked(EXPERIMENT, f"{ARN_PREFIX}:experiment/at-{t}", f"at-{t}", float(t), float(t))
        for t in (1000, 2000, 3000, 4000)
    )
    window = client.list_experiments(
        CreatedAfter=dt.datetime.fromtimestamp(2000, dt.UTC),
        CreatedBefore=dt.datetime.fromtimestamp(3000, dt.UTC),
        SortOrder="Ascending",
    )["ExperimentSummaries"]
    assert [s["ExperimentName"] for s in window] == ["at-2000", "at-3000"]


def test_list_experiments_rejects_a_token_of_another_query(client: Any) -> None:
    for i in range(3):
        _experiment(client, f"tok-exp-{i}")
    token = client.list_experiments(MaxResults=1)["NextToken"]
    with raises_code("ValidationException"):
        client.list_experiments(MaxResults=1, SortBy="Name", NextToken=token)


# -- trials ------------------------------------------------------------------------------------


def test_create_describe_update_trial(client: Any) -> None:
    _experiment(client, "trial-exp")
    arn = _trial(
        client,
        "trial-a",
        "trial-exp",
        DisplayName="trial-a-display",
        MetadataProperties={"GeneratedBy": "unit"},
    )
    assert arn == f"{ARN_PREFIX}:experiment-trial/trial-a"
    got = client.describe_trial(TrialName="trial-a")
    assert got["ExperimentName"] == "trial-exp"
    assert got["DisplayName"] == "trial-a-display"
    assert got["MetadataProperties"] == {"GeneratedBy": "unit"}
    assert client.update_trial(TrialName="trial-a", DisplayName="renamed")["TrialArn"] == arn
    assert client.describe_trial(TrialName="trial-a")["DisplayName"] == "renamed"
    with raises_code("ValidationException"):
        _trial(client, "TRIAL-A", "trial-exp")
    with raises_code("ResourceNotFound"):
        client.describe_trial(TrialName="ghost-trial")


def test_list_trials_by_experiment_and_by_trial_component(client: Any) -> None:
    _experiment(client, "lt-exp-1")
    _experiment(client, "lt-exp-2")
    first = [_trial(client, f"lt-one-{i}", "lt-exp-1") for i in range(4)]
    _trial(client, "lt-two-0", "lt-exp-2")
    create_trial_component(client, "lt-tc")
    client.associate_trial_component(TrialComponentName="lt-tc", TrialName="lt-one-1")
    client.associate_trial_component(TrialComponentName="lt-tc", TrialName="lt-two-0")
    items, _ = collect_pages(client.list_trials, "TrialSummaries", 3, ExperimentName="lt-exp-1")
    assert [s["TrialArn"] for s in items] == first[::-1]
    held, _ = collect_pages(
        client.list_trials, "TrialSummaries", 1, TrialComponentName="lt-tc", SortBy="Name"
    )
    assert [s["TrialName"] for s in held] == ["lt-two-0", "lt-one-1"]  # Descending by default
    everything, _ = collect_pages(client.list_trials, "TrialSummaries", 100)
    assert len(everything) == 5
    with raises_code("ResourceNotFound"):
        client.list_trials(TrialComponentName="ghost-tc")


# -- membership --------------------------------------------------------------------------------


def test_associate_and_disassociate_trial_component(client: Any) -> None:
    _experiment(client, "as-exp")
    trial = _trial(client, "as-trial", "as-exp")
    tc = create_trial_component(client, "as-tc")
    out = client.associate_trial_component(TrialComponentName="as-tc", TrialName="as-trial")
    assert (out["TrialComponentArn"], out["TrialArn"]) == (tc, trial)
    listed = client.list_trial_components(TrialName="as-trial")["TrialComponentSummaries"]
    assert [s["TrialComponentArn"] for s in listed] == [tc]
    with raises_code("ValidationException"):  # already associated
        client.associate_trial_component(TrialComponentName="as-tc", TrialName="as-trial")
    with raises_code("ValidationException"):  # a held trial component can't be deleted
        client.delete_trial_component(TrialComponentName="as-tc")
    out = client.disassociate_trial_component(TrialComponentName="as-tc", TrialName="as-trial")
    assert (out["TrialComponentArn"], out["TrialArn"]) == (tc, trial)
    assert client.list_trial_components(TrialName="as-trial")["TrialComponentSummaries"] == []
    with raises_code("ResourceNotFound"):
        client.disassociate_trial_component(TrialComponentName="as-tc", TrialName="as-trial")
    client.delete_trial_component(TrialComponentName="as-tc")


def test_membership_errors_name_the_missing_side(client: Any) -> None:
    _experiment(client, "me-exp")
    _trial(client, "me-trial", "me-exp")
    create_trial_component(client, "me-tc")
    with raises_code("ResourceNotFound") as excinfo:
        client.associate_trial_component(TrialComponentName="ghost-tc", TrialName="me-trial")
    assert "ghost-tc does not exist" in excinfo.value.response["Error"]["Message"]
    with raises_code("ResourceNotFound") as excinfo:
        client.associate_trial_component(TrialComponentName="me-tc", TrialName="ghost-trial")
    assert "ghost-trial does not exist" in excinfo.value.response["Error"]["Message"]


def test_list_trial_components_by_experiment_spans_its_trials_once(client: Any) -> None:
    _experiment(client, "ltc-exp")
    _experiment(client, "ltc-other")
    _trial(client, "ltc-t1", "ltc-exp")
    _trial(client, "ltc-t2", "ltc-exp")
    _trial(client, "ltc-t3", "ltc-other")
    arns = [create_trial_component(client, f"ltc-tc-{i}") for i in range(5)]
    for i, arn in enumerate(arns):
        name = arn.rsplit("/", 1)[1]
        client.associate_trial_component(TrialComponentName=name, TrialName=f"ltc-t{1 + i % 2}")
    # tc-0 also sits in the other experiment's trial and in the second trial: listed once.
    client.associate_trial_component(TrialComponentName="ltc-tc-0", TrialName="ltc-t2")
    client.associate_trial_component(TrialComponentName="ltc-tc-0", TrialName="ltc-t3")
    create_trial_component(client, "ltc-loose")
    items, _ = collect_pages(
        client.list_trial_components, "TrialComponentSummaries", 2, ExperimentName="ltc-exp"
    )
    assert [s["TrialComponentArn"] for s in items] == arns[::-1]
    in_t1, _ = collect_pages(
        client.list_trial_components,
        "TrialComponentSummaries",
        2,
        TrialName="ltc-t1",
        SortBy="Name",
        SortOrder="Ascending",
    )
    assert [s["TrialComponentName"] for s in in_t1] == ["ltc-tc-0", "ltc-tc-2", "ltc-tc-4"]
    in_other = client.list_trial_components(ExperimentName="ltc-other")["TrialComponentSummaries"]
    assert [s["TrialComponentName"] for s in in_other] == ["ltc-tc-0"]
    with raises_code("ValidationException"):
        client.list_trial_components(ExperimentName="ltc-exp", TrialName="ltc-t1")


def test_delete_trial_needs_its_components_disassociated(client: Any) -> None:
    _experiment(client, "dt-exp")
    arn = _trial(client, "dt-trial", "dt-exp")
    create_trial_component(client, "dt-tc")
    client.associate_trial_component(TrialComponentName="dt-tc", TrialName="dt-trial")
    with raises_code("ValidationException"):
        client.delete_trial(TrialName="dt-trial")
    client.disassociate_trial_component(TrialComponentName="dt-tc", TrialName="dt-trial")
    assert client.delete_trial(TrialName="dt-trial")["TrialArn"] == arn


@pytest.mark.parametrize(
    ("call", "kwargs", "field"),
    [
        ("create_experiment", {"ExperimentName": "bad_name"}, "experimentName"),
        ("create_experiment", {"ExperimentName": "x" * 121}, "experimentName"),
        ("create_experiment", {"ExperimentName": "ok", "Description": "d" * 3073}, "description"),
        ("list_experiments", {"MaxResults": 101}, "maxResults"),
        ("list_trials", {"SortBy": "TrialName"}, "sortBy"),
        ("create_trial", {"TrialName": "a b", "ExperimentName": "e"}, "trialName"),
    ],
)
def test_out_of_model_arguments_are_validation_errors(
    client: Any, call: str, kwargs: dict[str, Any], field: str
) -> None:
    with raises_code("ValidationException", field):
        getattr(client, call)(**kwargs)


def test_experiments_are_regional(service: Any) -> None:
    east, west = make_client(service.url), make_client(service.url, region="us-west-2")
    _experiment(east, "regional-exp")
    with raises_code("ResourceNotFound"):
        west.describe_experiment(ExperimentName="regional-exp")
    assert west.list_experiments()["ExperimentSummaries"] == []


# -- an old store file -------------------------------------------------------------------------

_OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entities (arn TEXT PRIMARY KEY, kind TEXT NOT NULL, region TEXT NOT NULL, name TEXT,
    name_key TEXT, type TEXT, source_uri TEXT, created REAL NOT NULL, modified REAL NOT NULL,
    doc TEXT NOT NULL, manual INTEGER NOT NULL DEFAULT 0);
CREATE TABLE associations (source_arn TEXT NOT NULL, destination_arn TEXT NOT NULL, type TEXT,
    created REAL NOT NULL, created_by TEXT, manual INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_arn, destination_arn)) WITHOUT ROWID;
CREATE TABLE tags (arn TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (arn, key));
INSERT INTO meta VALUES ('schema_version', '1');
"""


def test_a_store_file_from_before_experiments_opens_keeps_its_data_and_gains_them(
    tmp_path: Any,
) -> None:
    from viz_app.api.server import start_service
    from viz_app.core.store import Store

    path = tmp_path / "old.db"
    tc_arn = f"{ARN_PREFIX}:experiment-trial-component/old-tc"
    with sqlite3.connect(path) as conn:
        conn.executescript(_OLD_SCHEMA)
        conn.execute(
            "INSERT INTO entities VALUES (?, 'TrialComponent', 'us-east-1', 'old-tc', 'old-tc',"
            ' NULL, NULL, 1000.0, 1000.0, \'{"DisplayName":"old-tc"}\', 0)',
            (tc_arn,),
        )
        conn.execute("INSERT INTO tags VALUES (?, 'k', 'v')", (tc_arn,))
    store = Store(path)
    service = start_service(store)
    try:
        client = make_client(service.url)
        got = client.describe_trial_component(TrialComponentName="old-tc")
        assert got["CreationTime"] == dt.datetime.fromtimestamp(1000, dt.UTC)
        assert client.list_tags(ResourceArn=tc_arn)["Tags"] == [{"Key": "k", "Value": "v"}]
        _experiment(client, "new-exp")
        _trial(client, "new-trial", "new-exp")
        client.associate_trial_component(TrialComponentName="old-tc", TrialName="new-trial")
        listed = client.list_trial_components(ExperimentName="new-exp")["TrialComponentSummaries"]
        assert [s["TrialComponentArn"] for s in listed] == [tc_arn]
    finally:
        service.close()
        store.close()
    reopened = Store(path)  # a second open migrates nothing twice and keeps everything
    try:
        assert reopened.get_meta("schema_version") == "1"
        assert reopened.get_meta("experiments_schema") == "1"
        assert reopened.count_entities() == 1
    finally:
        reopened.close()


def test_a_side_deleted_meanwhile_is_not_found_and_leaves_no_membership(
    service: Any, client: Any
) -> None:
    """The existence checks run inside the write: a trial or trial component found by a request
    and deleted by another before the write is ResourceNotFound, never a dangling member."""
    from viz_app.core.errors import ResourceNotFound
    from viz_app.core.experiments import EXPERIMENT, TRIAL, Experiments

    exp = Experiments(service.store)
    _experiment(client, "race-exp")
    _trial(client, "race-trial", "race-exp")
    create_trial_component(client, "race-tc")
    trial = exp.find(TRIAL, "us-east-1", "race-trial")
    component = service.store.find_by_name("TrialComponent", "us-east-1", "race-tc")
    experiment = exp.find(EXPERIMENT, "us-east-1", "race-exp")
    assert trial is not None and component is not None and experiment is not None
    client.delete_trial(TrialName="race-trial")
    with pytest.raises(ResourceNotFound):
        exp.associate(trial, component, 1.0)
    client.delete_experiment(ExperimentName="race-exp")
    with pytest.raises(ResourceNotFound):
        exp.insert(trial)  # its experiment is gone too
    assert exp.parents([component.arn]) == {}
    assert client.list_trials()["TrialSummaries"] == []
