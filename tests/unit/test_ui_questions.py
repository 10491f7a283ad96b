"""One-click questions: which fit which entity, and the filters each sends (SDK section 5)."""

from __future__ import annotations

import re

import pytest

from viz_app.ui.questions import (
    answer_title,
    entity_phrase,
    find_question,
    matches,
    questions_for,
    why_empty,
)


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


def keys(lineage_type: str, vertex_type: str | None, source: str | None = None) -> list[str]:
    return [q.key for q in questions_for(lineage_type, vertex_type, source)]


def test_the_same_s3_uri_is_offered_only_where_the_source_is_an_s3_uri() -> None:
    assert "same-source" in keys("Artifact", "DataSet")
    assert "same-source" in keys("Artifact", "Model", "s3://bucket/model.tar.gz")
    package = "arn:aws:sagemaker:us-east-1:123456789012:model-package/group/1"
    assert "same-source" not in keys("Artifact", "Model", package)
    assert "same-source" not in keys("Artifact", "Model")  # not described yet: unknown
    assert "same-source" not in keys("Artifact", "Code", "git://repo")
    image = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
    assert "same-source" not in keys("Artifact", "Image", image)
    assert "same-image" in keys("Artifact", "Image", image)
    same_image = find_question("Artifact", "Image", "same-image", image)
    assert same_image is not None and same_image.label == "Which artifacts use the same image?"


ENTITIES = [
    ("Context", "Endpoint", "churn-prod"),
    ("Artifact", "Model", "Model · 17dd6c"),
    ("Artifact", "Model", "model.tar.gz"),
    ("Artifact", "DataSet", "train/train.csv"),
    ("Artifact", "Image", "sagemaker-xgboost:1.7-1"),
    ("Action", "Approval", "churnpackagegroup-1-approval"),
    ("Action", "ModelDeployment", "churn-prod-deployment"),
    ("TrialComponent", "TrainingJob", "churn-train-001"),
    ("Context", "ModelGroup", "churn"),
    ("Artifact", "Code", "Code · 0a1b2c"),
]


@pytest.mark.parametrize(("lineage_type", "vertex_type", "name"), ENTITIES)
def test_answer_titles_name_the_entity_and_never_repeat_its_type(
    lineage_type: str, vertex_type: str, name: str
) -> None:
    for q in questions_for(lineage_type, vertex_type, "s3://b/k"):
        title = answer_title(q, vertex_type, lineage_type, name)
        assert name in title
        # The words around the name never say a thing twice ("endpoint of endpoint"), nor
        # does the type before a name that starts with it ("model Model · 17dd6c").
        skeleton = title.replace(name, "NAME")
        assert not re.search(r"\b(\w+)\W+(?:of\W+)?\1\b", skeleton, re.IGNORECASE), title
        if name.split()[0].lower() == vertex_type.lower():
            assert len(re.findall(rf"\b{vertex_type}\b", title, re.IGNORECASE)) == 1, title
        assert not title.startswith("Which") and "{e}" not in title


def test_answer_titles_read_naturally() -> None:
    datasets = find_question("Context", "Endpoint", "datasets")
    endpoints = find_question("Artifact", "Model", "endpoints")
    assert datasets is not None and endpoints is not None
    title = answer_title(datasets, "Endpoint", "Context", "churn-prod")
    assert title == "Datasets behind endpoint churn-prod"
    title = answer_title(endpoints, "Model", "Artifact", "model.tar.gz")
    assert title == "Endpoints serving model model.tar.gz"
    assert entity_phrase("Model", "Artifact", "Model · 17dd6c") == "Model · 17dd6c"
    assert entity_phrase("TrainingJob", "TrialComponent", "train-1") == "training job train-1"


ARTIFACT_KINDS = ["DataSet", "Model", "Image", "Code", None]


@pytest.mark.parametrize("vertex_type", ARTIFACT_KINDS)
def test_every_artifact_asks_which_jobs_made_it_and_which_used_it(vertex_type: str | None) -> None:
    found = {q.key: q for q in questions_for("Artifact", vertex_type)}
    assert found["trials-up"].direction == "Ascendants"
    assert found["trials-down"].direction == "Descendants"
    assert found["trials-up"].filters() == {"LineageTypes": ["TrialComponent"]}
    assert "impact" in found


@pytest.mark.parametrize("vertex_type", ["Endpoint", "ModelGroup", "Other", None])
def test_every_context_asks_which_actions_use_it(vertex_type: str | None) -> None:
    assert "actions" in keys("Context", vertex_type)


@pytest.mark.parametrize(
    ("lineage_type", "vertex_type"),
    [
        ("Context", "Endpoint"),
        ("Artifact", "Model"),
        ("Action", "Approval"),
        ("Context", "ModelGroup"),
    ],
)
def test_a_types_own_list_keeps_the_generic_questions(lineage_type: str, vertex_type: str) -> None:
    generic = keys(lineage_type, "SomethingElse")
    assert set(generic) <= set(keys(lineage_type, vertex_type, "s3://b/k"))
    assert len(set(keys(lineage_type, vertex_type))) == len(keys(lineage_type, vertex_type))


def test_a_model_group_asks_for_its_pipeline_execution_property() -> None:
    question = find_question("Context", "ModelGroup", "group-pipeline")
    assert question is not None and question.kind == "property"
    assert question.extra["property"] == "PipelineExecutionArn"


def test_answers_empty_by_construction_name_the_question_that_answers() -> None:
    for vertex_type, lineage_type, key in [
        ("Approval", "Action", "datasets"),
        ("Endpoint", "Context", "transform-jobs"),
    ]:
        why = why_empty(vertex_type, key)
        assert why is not None and why[0].endswith(".")
        assert find_question(lineage_type, vertex_type, why[1]) is not None
    assert why_empty("Endpoint", "datasets") is None
