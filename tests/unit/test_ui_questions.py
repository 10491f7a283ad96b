"""One-click questions: which fit which entity, and the filters each sends (SDK section 5)."""

from __future__ import annotations

import pytest

from viz_app.ui.questions import find_question, matches, questions_for


@pytest.mark.parametrize(
    ("lineage_type", "vertex_type", "key", "direction", "filters"),
    [
        (
            "Context",
            "Endpoint",
            "datasets",
            "Ascendants",
            {"Types": ["DataSet"], "LineageTypes": ["Artifact"]},
        ),
        (
            "Context",
            "Endpoint",
            "models",
            "Ascendants",
            {"Types": ["Model"], "LineageTypes": ["Artifact"]},
        ),
        (
            "Context",
            "Endpoint",
            "training-jobs",
            "Ascendants",
            {"Types": ["TrainingJob"], "LineageTypes": ["TrialComponent"]},
        ),
        (
            "Context",
            "Endpoint",
            "processing-jobs",
            "Ascendants",
            {"Types": ["ProcessingJob"], "LineageTypes": ["TrialComponent"]},
        ),
        (
            "Context",
            "Endpoint",
            "transform-jobs",
            "Ascendants",
            {"Types": ["TransformJob"], "LineageTypes": ["TrialComponent"]},
        ),
        (
            "Artifact",
            "Model",
            "endpoints",
            "Descendants",
            {"Types": ["Endpoint"], "LineageTypes": ["Context"]},
        ),
        (
            "Artifact",
            "DataSet",
            "datasets-up",
            "Ascendants",
            {"Types": ["DataSet"], "LineageTypes": ["Artifact"]},
        ),
        (
            "Artifact",
            "DataSet",
            "datasets-down",
            "Descendants",
            {"Types": ["DataSet"], "LineageTypes": ["Artifact"]},
        ),
        (
            "Action",
            "Approval",
            "datasets",
            "Ascendants",
            {"Types": ["DataSet"], "LineageTypes": ["Artifact"]},
        ),
        (
            "TrialComponent",
            "TrainingJob",
            "tc-models",
            "Descendants",
            {"Types": ["Model"], "LineageTypes": ["Artifact"]},
        ),
    ],
)
def test_each_question_sends_the_filters_the_sdk_helper_sends(
    lineage_type: str, vertex_type: str, key: str, direction: str, filters: dict[str, list[str]]
) -> None:
    question = find_question(lineage_type, vertex_type, key)
    assert question is not None
    assert question.direction == direction
    assert question.filters() == filters


def test_an_endpoint_can_ask_for_its_pipeline_execution() -> None:
    keys = [q.key for q in questions_for("Context", "Endpoint")]
    assert "pipeline" in keys


def test_an_approval_can_ask_for_its_model_package() -> None:
    assert find_question("Action", "Approval", "model-package") is not None


def test_an_image_asks_for_datasets_and_an_unknown_entity_asks_nothing() -> None:
    assert questions_for("Artifact", "Image")[0].key == "image-datasets"
    assert questions_for(None, None) == ()


def test_only_vertices_of_the_asked_type_are_answers() -> None:
    question = find_question("Context", "Endpoint", "datasets")
    assert question is not None
    assert matches(question, {"Arn": "a", "Type": "DataSet", "LineageType": "Artifact"})
    assert not matches(question, {"Arn": "b", "Type": "Model", "LineageType": "Artifact"})
