"""The demo's experiments, as SageMaker Pipelines make them: one experiment named after each
pipeline, one trial named after each execution id, holding the trial components of the jobs
that execution ran. The reference is the jobs' `sagemaker:pipeline-execution-arn` tags."""

from __future__ import annotations

from typing import Any

from api_helpers import collect_pages

PIPELINE_TAG = "sagemaker:pipeline-execution-arn"


def _execution_of(client: Any, component: dict[str, Any]) -> str | None:
    source = component.get("TrialComponentSource") or {}
    if not source.get("SourceArn"):
        return None
    tags = client.list_tags(ResourceArn=source["SourceArn"])["Tags"]
    return next((t["Value"] for t in tags if t["Key"] == PIPELINE_TAG), None)


def test_every_pipeline_execution_is_a_trial_of_its_pipelines_experiment(
    demo_client: Any, demo_summary: Any
) -> None:
    components, _ = collect_pages(demo_client.list_trial_components, "TrialComponentSummaries", 100)
    by_execution: dict[str, set[str]] = {}
    for component in components:
        execution = _execution_of(demo_client, component)
        if execution is not None:
            by_execution.setdefault(execution, set()).add(component["TrialComponentArn"])
    assert len(by_execution) == demo_summary.projects
    experiments, _ = collect_pages(demo_client.list_experiments, "ExperimentSummaries", 100)
    assert len(experiments) == demo_summary.projects
    for execution, members in by_execution.items():
        # arn:...:pipeline/<pipeline name, lowercased>/execution/<execution id>
        pipeline_lower, _, execution_id = execution.split(":pipeline/")[1].split("/")
        trial = demo_client.describe_trial(TrialName=execution_id)
        assert trial["ExperimentName"].lower() == pipeline_lower
        listed, _ = collect_pages(
            demo_client.list_trial_components,
            "TrialComponentSummaries",
            7,
            TrialName=execution_id,
        )
        assert {c["TrialComponentArn"] for c in listed} == members
        in_experiment, _ = collect_pages(
            demo_client.list_trial_components,
            "TrialComponentSummaries",
            100,
            ExperimentName=trial["ExperimentName"],
        )
        assert {c["TrialComponentArn"] for c in in_experiment} == members


def test_the_summary_names_the_first_pipelines_experiment_and_trial(
    demo_client: Any, demo_summary: Any
) -> None:
    trial = demo_client.describe_trial(TrialName=demo_summary.trial_name)
    assert trial["ExperimentName"] == demo_summary.experiment_name
    assert demo_summary.pipeline_execution_arn.endswith("/execution/" + demo_summary.trial_name)
    assert demo_summary.experiment_name.endswith("Pipeline")
