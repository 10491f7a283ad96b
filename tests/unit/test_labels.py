"""Readable labels: source tails, model packages, two-line wrapping, same names told apart."""

from __future__ import annotations

from viz_app.ui.labels import (
    LINE_CHARS,
    distinct_labels,
    label_from_uri,
    short_label,
    wrap_label,
)

P = "arn:aws:sagemaker:us-east-1:123456789012:"
B = "s3://sagemaker-us-east-1-123456789012/"


def test_s3_labels_keep_the_project_the_telling_folder_and_the_file() -> None:
    assert label_from_uri(B + "churn/data/train/train.csv") == "churn/…/train/train.csv"
    assert label_from_uri(B + "churn/models/churn-train-001/output/model.tar.gz") == (
        "churn-train-001/…/model.tar.gz"
    )
    assert label_from_uri(B + "churn/raw/customers.csv") == "churn/raw/customers.csv"
    assert label_from_uri(B + "x.csv") == "x.csv"
    assert label_from_uri("s3://bucket-only") == "bucket-only"


def test_images_and_model_packages_read_as_people_name_them() -> None:
    ecr = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
    assert label_from_uri(ecr) == "sagemaker-xgboost:1.7-1"
    package = P + "model-package/churnpackagegroup/3"
    assert label_from_uri(package) == "churnpackagegroup v3"
    assert label_from_uri(package, {"ModelPackageGroupName": "ChurnPackageGroup"}) == (
        "churnpackagegroup v3"
    ), "the same label whichever call named it"


def test_approval_actions_lose_their_random_suffix() -> None:
    arn = P + "action/churnpackagegroup-1-Approved-w1ld63cgzm"
    assert short_label(arn, "Approval", "Action") == "churnpackagegroup v1 Approved"


def test_wrapped_labels_have_at_most_two_short_lines_broken_at_a_slash() -> None:
    assert wrap_label("short.csv") == "short.csv"
    wrapped = wrap_label("churn-train-2603020948-001/…/model.tar.gz")
    assert wrapped == "churn-train-2603020948-001/\n…/model.tar.gz"
    for text in ("a" * 90, "fraud-detection-realtime-model-training-2603021525-001" * 2):
        lines = wrap_label(text).split("\n")
        assert len(lines) <= 2 and all(len(line) <= LINE_CHARS + 3 for line in lines)


def test_same_named_vertices_are_told_apart() -> None:
    endpoint = P + "context/churn-prod-1772462630-aws-endpoint"
    first = P + "action/churn-prod-1772463073-aws-model-deployment"
    second = P + "action/churn-prod-1772463559-aws-model-deployment"
    vertices = [
        {"Arn": endpoint, "Type": "Endpoint", "LineageType": "Context"},
        {"Arn": first, "Type": "ModelDeployment", "LineageType": "Action"},
        {"Arn": second, "Type": "ModelDeployment", "LineageType": "Action"},
    ]
    labels = {v["Arn"]: short_label(v["Arn"], v["Type"], v["LineageType"]) for v in vertices}
    assert set(labels.values()) == {"churn-prod"}
    told = distinct_labels(vertices, labels)
    assert told[endpoint] == "churn-prod"
    assert told[first] == "churn-prod deployment 03-02 14:51"
    assert told[second] == "churn-prod deployment 03-02 14:59"
