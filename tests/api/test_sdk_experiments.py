"""The SageMaker Python SDK's trial helpers against the service, with no stand-in for any call.

`Artifact.downstream_trials()`, `downstream_trials_v2()` and `upstream_trials()` find trial
components (ListAssociations or QueryLineage), then look them up with `Search` and read their
`Parents` (through the `sagemaker-experiments` package the SDK imports for it). The trial
components are made the way SDK users make them: `Experiment`, `_Trial`, `_TrialComponent`
and `Run` from `sagemaker.experiments`. The expected trials come from a reference: a walk over
ListAssociations and the memberships this test asked for.

As in the SDK's own integration tests, each artifact reaches one trial component: the SDK
splits several ARNs into batches in a way botocore refuses client-side (an empty filter list).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from api_helpers import REGION, collect_pages, make_client

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")

import sagemaker
from sagemaker.experiments.experiment import Experiment
from sagemaker.experiments.run import Run
from sagemaker.experiments.trial import _Trial
from sagemaker.experiments.trial_component import _TrialComponent
from sagemaker.lineage.artifact import Artifact
from sagemaker.lineage.association import Association


@dataclass
class Lab:
    client: Any
    session: sagemaker.Session
    trials_of: dict[str, set[str]] = field(default_factory=dict)  # TC ARN -> trial names
    artifacts: dict[str, Artifact] = field(default_factory=dict)


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    from viz_app.api.server import start_service
    from viz_app.core.store import Store

    store = Store()
    service = start_service(store)
    client = make_client(service.url)
    boto_session = boto3.Session(
        region_name=REGION, aws_access_key_id="local", aws_secret_access_key="local"
    )
    session = sagemaker.Session(
        boto_session=boto_session,
        sagemaker_client=client,
        sagemaker_config={"SchemaVersion": "1.0"},
    )
    lab = Lab(client, session)
    _build(lab)
    yield lab
    service.close()
    store.close()


def _artifact(lab: Lab, key: str, artifact_type: str) -> Artifact:
    made = Artifact.create(
        artifact_name=key,
        artifact_type=artifact_type,
        source_uri=f"s3://sdk-bucket/{key}",
        sagemaker_session=lab.session,
    )
    lab.artifacts[key] = made
    return made


def _link(lab: Lab, source: str, destination: str, kind: str) -> None:
    Association.create(
        source_arn=source,
        destination_arn=destination,
        association_type=kind,
        sagemaker_session=lab.session,
    )


def _join(lab: Lab, trial: _Trial, component: Any) -> None:
    trial.add_trial_component(component)
    lab.trials_of.setdefault(component.trial_component_arn, set()).add(trial.trial_name)


def _build(lab: Lab) -> None:
    """Three small graphs, each start reaching one trial component, plus distractors."""
    s = lab.session
    Experiment.create(experiment_name="sdk-churn", sagemaker_session=s)
    Experiment.create(experiment_name="sdk-fraud", description="other", sagemaker_session=s)
    churn_1 = _Trial.create(
        trial_name="churn-run-1", experiment_name="sdk-churn", sagemaker_session=s
    )
    churn_2 = _Trial.create(
        trial_name="churn-run-2", experiment_name="sdk-churn", sagemaker_session=s
    )
    fraud_1 = _Trial.create(
        trial_name="fraud-run-1", experiment_name="sdk-fraud", sagemaker_session=s
    )

    # 1. data -> train (in one trial) -> model, as the SDK's integration fixture builds it.
    train = _TrialComponent.create(trial_component_name="sdk-train", sagemaker_session=s)
    _join(lab, churn_1, train)
    data, model = _artifact(lab, "data", "DataSet"), _artifact(lab, "model", "Model")
    _link(lab, data.artifact_arn, train.trial_component_arn, "ContributedTo")
    _link(lab, train.trial_component_arn, model.artifact_arn, "Produced")

    # 2. a trial component in two trials of two experiments.
    shared = _TrialComponent.create(trial_component_name="sdk-shared", sagemaker_session=s)
    _join(lab, churn_2, shared)
    _join(lab, fraud_1, shared)
    features, report = _artifact(lab, "features", "DataSet"), _artifact(lab, "report", "Report")
    _link(lab, features.artifact_arn, shared.trial_component_arn, "ContributedTo")
    _link(lab, shared.trial_component_arn, report.artifact_arn, "Produced")

    # 3. a Run: its trial component joins the experiment's default run group.
    with Run(experiment_name="sdk-runs", run_name="tuning-1", sagemaker_session=s) as run:
        run.log_parameter("learning_rate", 0.1)
        run_tc = run._trial_component
    lab.trials_of.setdefault(run_tc.trial_component_arn, set()).add("Default-Run-Group-sdk-runs")
    run_in, run_out = _artifact(lab, "run-in", "DataSet"), _artifact(lab, "run-out", "Model")
    _link(lab, run_in.artifact_arn, run_tc.trial_component_arn, "ContributedTo")
    _link(lab, run_tc.trial_component_arn, run_out.artifact_arn, "Produced")

    # Distractors: a trial component in a trial but linked to nothing, a lone artifact.
    loose = _TrialComponent.create(trial_component_name="sdk-loose", sagemaker_session=s)
    _join(lab, churn_2, loose)
    _artifact(lab, "lonely", "DataSet")


def _reach(client: Any, start: str, forward: bool, depth: int | None) -> set[str]:
    """Entities reachable from `start` over ListAssociations (depth None: unlimited)."""
    seen, queue = {start: 0}, deque([start])
    near, far = ("SourceArn", "DestinationArn") if forward else ("DestinationArn", "SourceArn")
    while queue:
        arn = queue.popleft()
        if depth is not None and seen[arn] >= depth:
            continue
        items, _ = collect_pages(
            client.list_associations, "AssociationSummaries", 50, **{near: arn}
        )
        for item in items:
            if item[far] not in seen:
                seen[item[far]] = seen[arn] + 1
                queue.append(item[far])
    return set(seen) - {start}


def _expected(lab: Lab, start: str, forward: bool, depth: int | None) -> set[str]:
    reached = _reach(lab.client, start, forward, depth)
    components = {a for a in reached if ":experiment-trial-component/" in a}
    return {t for tc in components for t in lab.trials_of.get(tc, set())}


@pytest.mark.parametrize(
    ("key", "helper"),
    [
        ("data", "downstream_trials"),
        ("features", "downstream_trials"),
        ("run-in", "downstream_trials"),
        ("lonely", "downstream_trials"),
        ("data", "downstream_trials_v2"),
        ("features", "downstream_trials_v2"),
        ("run-in", "downstream_trials_v2"),
        ("lonely", "downstream_trials_v2"),
        ("model", "upstream_trials"),
        ("report", "upstream_trials"),
        ("run-out", "upstream_trials"),
        ("lonely", "upstream_trials"),
    ],
)
def test_sdk_trial_helpers_return_the_reference_trials(lab: Lab, key: str, helper: str) -> None:
    artifact = Artifact.load(lab.artifacts[key].artifact_arn, sagemaker_session=lab.session)
    if helper == "downstream_trials":
        got = artifact.downstream_trials(sagemaker_session=lab.session)
        want = _expected(lab, artifact.artifact_arn, forward=True, depth=1)
    elif helper == "downstream_trials_v2":
        got = artifact.downstream_trials_v2()
        want = _expected(lab, artifact.artifact_arn, forward=True, depth=None)
    else:
        got = artifact.upstream_trials()
        want = _expected(lab, artifact.artifact_arn, forward=False, depth=None)
    assert sorted(got) == sorted(want)
    assert len(got) == len(set(got))
    if key != "lonely":
        assert want, "the reference found no trial: the graph was not built as meant"


def test_sdk_experiment_classes_read_back_what_they_made(lab: Lab) -> None:
    loaded = Experiment.load(experiment_name="sdk-fraud", sagemaker_session=lab.session)
    assert loaded.description == "other"
    trials = sorted(t.trial_name for t in loaded.list_trials())
    assert trials == ["fraud-run-1"]
    run_group = _Trial.load(trial_name="Default-Run-Group-sdk-runs", sagemaker_session=lab.session)
    components = list(run_group.list_trial_components())
    assert [c.trial_component_name for c in components] == ["sdk-runs-tuning-1"]
    described = lab.client.describe_trial_component(TrialComponentName="sdk-runs-tuning-1")
    assert described["Parameters"]["learning_rate"] == {"NumberValue": 0.1}
    assert described["Status"]["PrimaryStatus"] == "Completed"


def test_sdk_delete_all_removes_an_experiment_with_its_trials_and_components(lab: Lab) -> None:
    """Experiment._delete_all disassociates and deletes components, then trials, then the
    experiment: the order the service's delete rules require."""
    s = lab.session
    experiment = Experiment.create(experiment_name="sdk-doomed", sagemaker_session=s)
    trial = _Trial.create(
        trial_name="doomed-run", experiment_name="sdk-doomed", sagemaker_session=s
    )
    component = _TrialComponent.create(trial_component_name="doomed-tc", sagemaker_session=s)
    trial.add_trial_component(component)
    other = _Trial.create(
        trial_name="survivor-run", experiment_name="sdk-churn", sagemaker_session=s
    )
    other.add_trial_component(component)  # force_disassociate takes it out of this one too
    experiment._delete_all(action="--force")
    for call, kwargs in (
        (lab.client.describe_experiment, {"ExperimentName": "sdk-doomed"}),
        (lab.client.describe_trial, {"TrialName": "doomed-run"}),
        (lab.client.describe_trial_component, {"TrialComponentName": "doomed-tc"}),
    ):
        with pytest.raises(lab.client.exceptions.ResourceNotFound):
            call(**kwargs)
    survivor = lab.client.list_trial_components(TrialName="survivor-run")
    assert survivor["TrialComponentSummaries"] == []
    other.delete()
