"""The details rows that name a trial component's run: trials, experiments, or why not."""

from __future__ import annotations

from typing import Any

from viz_app.ui.callbacks_details import TRIALS_ERROR_KEY, TRIALS_KEY, details_rows

ARN = "arn:aws:sagemaker:us-east-1:123456789012:experiment-trial-component/job-aws-training-job"


def _rows(describe: dict[str, Any]) -> dict[str, str]:
    table = details_rows({"TrialComponentName": "job", **describe}, ARN, "us-east-1")[0]
    return {
        str(tr.children[0].children): str(tr.children[1].children) for tr in table.children.children
    }


def test_one_trial_names_it_and_its_experiment() -> None:
    rows = _rows({TRIALS_KEY: [{"TrialName": "abc123", "ExperimentName": "ChurnPipeline"}]})
    assert (rows["Trial"], rows["Experiment"]) == ("abc123", "ChurnPipeline")


def test_several_trials_are_listed_once_each_in_order() -> None:
    parents = [
        {"TrialName": "t2", "ExperimentName": "e1"},
        {"TrialName": "t1", "ExperimentName": "e1"},
        {"TrialName": "t3", "ExperimentName": "e0"},
    ]
    rows = _rows({TRIALS_KEY: parents})
    assert (rows["Trials"], rows["Experiments"]) == ("t1, t2, t3", "e0, e1")


def test_no_trial_says_so_and_unknown_says_nothing() -> None:
    assert _rows({TRIALS_KEY: []})["Trial"] == "none (not part of an experiment)"
    unknown = _rows({TRIALS_KEY: None})  # an offline notebook view cannot know
    assert not {"Trial", "Trials", "Experiment"} & set(unknown)


def test_a_refused_lookup_is_a_sentence_in_the_row() -> None:
    rows = _rows({TRIALS_ERROR_KEY: "Could not read its trials: access denied."})
    assert rows["Trials"] == "Could not read its trials: access denied."
