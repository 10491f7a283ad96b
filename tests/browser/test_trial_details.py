"""A trial component's details name the run it belongs to: its trial and experiment, as the
service's ListTrials and DescribeTrial answer (real clicks in Chromium on the demo)."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import App, node_ids, node_point
from test_explorer import wait_for_start

pytestmark = pytest.mark.browser


def _details_row(page: Any, header: str) -> str:
    cell = page.locator("#details table.kv tr", has=page.locator(f"th:text-is('{header}')"))
    cell.first.wait_for()
    return str(cell.first.locator("td").inner_text())


def test_clicking_a_jobs_trial_component_names_its_trial_and_experiment(
    page: Any, app: App, sagemaker: Any
) -> None:
    job = app.demo.training_job_arn
    tc = sagemaker.list_trial_components(SourceArn=job)["TrialComponentSummaries"][0]
    tc_arn = tc["TrialComponentArn"]
    trials = sagemaker.list_trials(TrialComponentName=tc["TrialComponentName"])["TrialSummaries"]
    assert [t["TrialName"] for t in trials] == [app.demo.trial_name]
    experiment = sagemaker.describe_trial(TrialName=app.demo.trial_name)["ExperimentName"]
    page.goto(app.link(tc_arn, direction="Both", depth=1))
    wait_for_start(page, tc_arn)
    neighbour = sorted(node_ids(page) - {tc_arn})[0]
    page.mouse.click(*node_point(page, neighbour))  # details of another node first
    page.locator("#details code").get_by_text(neighbour, exact=True).wait_for()
    page.mouse.click(*node_point(page, tc_arn))
    page.locator("#details code").get_by_text(tc_arn, exact=True).wait_for()
    assert _details_row(page, "Trial") == app.demo.trial_name
    assert _details_row(page, "Experiment") == experiment == app.demo.experiment_name


def test_a_trial_component_outside_any_trial_says_so(page: Any, app: App, sagemaker: Any) -> None:
    made = sagemaker.create_trial_component(TrialComponentName="loose-browser-tc")
    arn = made["TrialComponentArn"]
    try:
        page.goto(app.link(arn, direction="Both", depth=1))
        wait_for_start(page, arn)
        page.mouse.click(*node_point(page, arn))
        page.locator("#details code").get_by_text(arn, exact=True).wait_for()
        assert _details_row(page, "Trial") == "none (not part of an experiment)"
    finally:
        sagemaker.delete_trial_component(TrialComponentName="loose-browser-tc")
