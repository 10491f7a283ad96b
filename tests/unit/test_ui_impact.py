"""Impact lists from one QueryLineage answer: kinds, shortest paths, hops, named rows."""

from __future__ import annotations

from viz_app.ui.impact import DOWNSTREAM, UPSTREAM, reached, rows

IMG, TC, MODEL, PKG, DEP, EP, DS = (f"arn:x:{n}" for n in "itmpdes")
VERTICES = [
    {"Arn": IMG, "LineageType": "Artifact", "Type": "Image"},
    {"Arn": DS, "LineageType": "Artifact", "Type": "DataSet"},
    {"Arn": TC, "LineageType": "TrialComponent", "Type": "TrainingJob"},
    {"Arn": MODEL, "LineageType": "Artifact", "Type": "Model"},
    {"Arn": PKG, "LineageType": "Artifact", "Type": "Model"},
    {"Arn": DEP, "LineageType": "Action", "Type": "ModelDeployment"},
    {"Arn": EP, "LineageType": "Context", "Type": "Endpoint"},
]
EDGES = [
    {"SourceArn": a, "DestinationArn": b}
    for a, b in [
        (IMG, TC), (DS, TC), (TC, MODEL), (MODEL, PKG), (MODEL, DEP), (IMG, DEP), (DEP, EP),
    ]
]  # fmt: skip
URIS = {PKG: "arn:aws:sagemaker:us-east-1:1:model-package/g/1", MODEL: "s3://b/model.tar.gz"}


def test_downstream_lists_endpoints_packages_and_models_by_the_shortest_path() -> None:
    found = reached(IMG, VERTICES, EDGES, DOWNSTREAM, URIS)
    assert [(r.arn, r.kind, r.hops) for r in found] == [
        (EP, "endpoint", 2),
        (PKG, "model package", 3),
        (MODEL, "model", 2),
    ]
    assert found[0].path == (IMG, DEP, EP)  # through the deployment, not the job (3 hops)


def test_upstream_lists_datasets_images_and_jobs() -> None:
    found = reached(EP, VERTICES, EDGES, UPSTREAM, URIS)
    assert {(r.arn, r.kind, r.hops) for r in found} == {
        (DS, "dataset", 4),
        (IMG, "image", 2),
        (TC, "training job", 3),
    }


def test_rows_name_every_step_of_the_path() -> None:
    named = {a: {"label": a[-1].upper(), "created": "2026-01-01T00:00:00Z", "uri": ""} for a in
             [IMG, TC, MODEL, PKG, DEP, EP, DS]}  # fmt: skip
    (first, *_) = rows(reached(IMG, VERTICES, EDGES, DOWNSTREAM, URIS), named)
    assert first == {
        "name": "E",
        "kind": "endpoint",
        "hops": 2,
        "path": "I → D → E",
        "created_utc": "2026-01-01T00:00:00Z",
        "source_uri": "",
        "arn": EP,
    }
