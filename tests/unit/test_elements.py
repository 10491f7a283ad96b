"""Tests for response pages → Cytoscape elements, and for ARN/description labels."""

from __future__ import annotations

from typing import Any

from viz_app.ui.elements import (
    build_elements,
    edge_id,
    group_id,
    merge_pages,
    summarize,
    to_elements,
)
from viz_app.ui.labels import entity_name, label_from_description, short_label

P = "arn:aws:sagemaker:us-east-1:123456789012:"
TC = P + "experiment-trial-component/churn-train-2026-03-02-09-00-00-123-aws-training-job"
ENDPOINT = P + "context/churn-endpoint-1772441000-aws-endpoint"
DATASET = P + "artifact/4d5ce055a79a1fc6ec1cd72199eb346f"
MODEL = P + "artifact/9f1e2d3c4b5a69788796a5b4c3d2e1f0"
DEPLOY = P + "action/churn-endpoint-1772441000-aws-model-deployment"


def artifact(n: int) -> str:
    return f"{P}artifact/{n:032x}"


def vertex(arn: str, lineage_type: str, vertex_type: str | None = None) -> dict[str, Any]:
    v: dict[str, Any] = {"Arn": arn, "LineageType": lineage_type}
    if vertex_type is not None:
        v["Type"] = vertex_type
    return v


def edge(src: str, dst: str, assoc: str | None = "ContributedTo") -> dict[str, Any]:
    e: dict[str, Any] = {"SourceArn": src, "DestinationArn": dst}
    if assoc is not None:
        e["AssociationType"] = assoc
    return e


def chain() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    vertices = [
        vertex(DATASET, "Artifact", "DataSet"),
        vertex(TC, "TrialComponent", "TrainingJob"),
        vertex(MODEL, "Artifact", "Model"),
        vertex(DEPLOY, "Action", "ModelDeployment"),
        vertex(ENDPOINT, "Context", "Endpoint"),
    ]
    edges = [
        edge(DATASET, TC),
        edge(TC, MODEL, "Produced"),
        edge(MODEL, DEPLOY),
        edge(DEPLOY, ENDPOINT, "AssociatedWith"),
    ]
    return merge_pages([{"Vertices": vertices, "Edges": edges}])


def nodes_of(elements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["data"]["id"]: e for e in elements if "source" not in e["data"]}


def edges_of(elements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Edges keyed "<source>-><target>" (their ids are short hashes)."""
    return {
        f"{e['data']['source']}->{e['data']['target']}": e
        for e in elements
        if "source" in e["data"]
    }


def test_merging_pages_dedupes_and_sorts_vertices_and_edges() -> None:
    page1 = {
        "Vertices": [vertex(TC, "TrialComponent"), vertex(DATASET, "Artifact", "DataSet")],
        "Edges": [edge(DATASET, TC, None)],
    }
    page2 = {
        "Vertices": [vertex(TC, "TrialComponent", "TrainingJob"), vertex(DATASET, "Artifact")],
        "Edges": [edge(DATASET, TC), edge(DATASET, TC)],
        "NextToken": "x",
    }
    vertices, edges = merge_pages([page1, page2])
    assert [v["Arn"] for v in vertices] == sorted([TC, DATASET])
    assert {v["Arn"]: v.get("Type") for v in vertices} == {TC: "TrainingJob", DATASET: "DataSet"}
    assert edges == [edge(DATASET, TC)]


def test_merging_is_independent_of_page_order() -> None:
    pages = [
        {"Vertices": [vertex(MODEL, "Artifact", "Model")], "Edges": [edge(TC, MODEL, "Produced")]},
        {"Vertices": [vertex(TC, "TrialComponent", "TrainingJob")], "Edges": []},
    ]
    assert merge_pages(pages) == merge_pages(list(reversed(pages)))


def test_edges_to_missing_vertices_are_dropped_and_counted() -> None:
    vertices, edges = chain()
    edges.append(edge(artifact(7), TC))
    build = build_elements(vertices, edges, start_arn=TC)
    assert build.dropped_edges == 1
    assert len(edges_of(build.elements)) == 4
    assert summarize(vertices, edges)["dangling_edges"] == 1


def test_start_vertex_is_flagged_and_classed() -> None:
    vertices, edges = chain()
    nodes = nodes_of(to_elements(vertices, edges, start_arn=MODEL))
    assert nodes[MODEL]["data"]["is_start"] is True
    assert "start" in nodes[MODEL]["classes"].split()
    assert [n for n, e in nodes.items() if e["data"].get("is_start")] == [MODEL]


def test_elements_carry_data_classes_and_positions() -> None:
    vertices, edges = chain()
    elements = to_elements(vertices, edges, start_arn=None, labels={TC: "my job"})
    nodes, links = nodes_of(elements), edges_of(elements)
    tc = nodes[TC]
    assert tc["data"] == {
        "id": TC,
        "label": "my job",
        "type": "TrainingJob",
        "lineage_type": "TrialComponent",
    }
    assert tc["classes"].split() == ["lineage-trialcomponent", "type-trainingjob"]
    assert set(tc["position"]) == {"x", "y"}
    produced = links[f"{TC}->{MODEL}"]
    assert produced["data"]["association_type"] == "Produced"
    assert produced["data"]["id"] == edge_id(TC, MODEL)
    assert "count" not in produced["data"]
    assert produced["classes"] == "assoc-produced"
    assert nodes[DATASET]["data"]["label"] == "DataSet · 4d5ce0"
    assert nodes[DATASET]["position"]["x"] < nodes[ENDPOINT]["position"]["x"]


def test_missing_types_fall_back_to_unknown_classes() -> None:
    pages = [
        {"Vertices": [vertex(TC, "TrialComponent"), vertex(MODEL, "Artifact", "Model")]},
        {"Vertices": [], "Edges": [edge(TC, MODEL, None)]},
    ]
    vertices, edges = merge_pages(pages)
    elements = to_elements(vertices, edges, start_arn=TC)
    assert "type" not in nodes_of(elements)[TC]["data"]
    assert "association_type" not in edges_of(elements)[f"{TC}->{MODEL}"]["data"]
    assert "type-unknown" in nodes_of(elements)[TC]["classes"]
    assert edges_of(elements)[f"{TC}->{MODEL}"]["classes"] == "assoc-unknown"


def test_elements_are_deterministic_and_sorted() -> None:
    vertices, edges = chain()
    first = to_elements(vertices, edges, start_arn=TC)
    again = to_elements(list(reversed(vertices)), list(reversed(edges)), start_arn=TC)
    assert first == again
    node_ids = list(nodes_of(first))
    assert node_ids == sorted(node_ids)


def fan(n: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    vertices = [vertex(TC, "TrialComponent", "TrainingJob"), vertex(MODEL, "Artifact", "Model")]
    vertices += [vertex(artifact(i), "Artifact", "DataSet") for i in range(n)]
    edges = [edge(artifact(i), TC) for i in range(n)] + [edge(TC, MODEL, "Produced")]
    return merge_pages([{"Vertices": vertices, "Edges": edges}])


def test_many_same_type_neighbours_collapse_into_one_group_node() -> None:
    vertices, edges = fan(300)
    build = build_elements(vertices, edges, start_arn=MODEL, collapse_threshold=12)
    gid = group_id(TC, "in", "DataSet")
    nodes, links = nodes_of(build.elements), edges_of(build.elements)
    assert set(nodes) == {TC, MODEL, gid}
    group = nodes[gid]["data"]
    assert group["label"] == "300 DataSet"
    assert group["count"] == 300
    assert group["members"] == sorted(artifact(i) for i in range(300))
    assert "group" in nodes[gid]["classes"].split()
    assert set(links) == {f"{gid}->{TC}", f"{TC}->{MODEL}"}
    assert links[f"{gid}->{TC}"]["data"]["count"] == 300
    assert build.groups == {gid: group["members"]}


def test_neighbours_at_the_threshold_stay_separate() -> None:
    vertices, edges = fan(12)
    nodes = nodes_of(to_elements(vertices, edges, start_arn=TC, collapse_threshold=12))
    assert len(nodes) == 14
    assert not any(n.startswith("group:") for n in nodes)


def test_an_expanded_group_shows_its_members() -> None:
    vertices, edges = fan(30)
    gid = group_id(TC, "in", "DataSet")
    build = build_elements(vertices, edges, start_arn=TC, expanded_groups=frozenset({gid}))
    assert len(nodes_of(build.elements)) == 32
    assert build.groups == {}
    assert build.expanded == [gid]


def test_shared_members_join_one_group_and_keep_their_other_edges() -> None:
    other = P + "experiment-trial-component/churn-eval-aws-processing-job"
    vertices, edges = fan(20)
    vertices.append(vertex(other, "TrialComponent", "ProcessingJob"))
    edges += [edge(artifact(i), other) for i in range(20)]
    vertices, edges = merge_pages([{"Vertices": vertices, "Edges": edges}])
    build = build_elements(vertices, edges, start_arn=MODEL)
    assert len(build.groups) == 1
    (gid,) = build.groups
    assert {f"{gid}->{TC}", f"{gid}->{other}"} <= set(edges_of(build.elements))


def test_the_start_vertex_is_never_collapsed() -> None:
    vertices, edges = fan(20)
    start = artifact(3)
    build = build_elements(vertices, edges, start_arn=start)
    (members,) = build.groups.values()
    assert start not in members and len(members) == 19
    assert start in nodes_of(build.elements)


def test_summary_counts_by_lineage_type_type_and_association() -> None:
    vertices, edges = chain()
    summary = summarize(vertices, edges)
    assert summary["vertices"] == 5 and summary["edges"] == 4
    assert summary["by_lineage_type"] == {
        "Action": 1,
        "Artifact": 2,
        "Context": 1,
        "TrialComponent": 1,
    }
    assert summary["by_type"]["DataSet"] == 1
    assert summary["by_association_type"] == {
        "AssociatedWith": 1,
        "ContributedTo": 2,
        "Produced": 1,
    }


def test_trial_component_label_drops_the_training_job_suffix() -> None:
    label = short_label(TC, "TrainingJob", "TrialComponent")
    assert "aws-training-job" not in label
    assert label.startswith("churn-train-")
    assert label == "churn-train-2026-03-02-09-00-00-123"  # whole: labels wrap to two lines


def test_endpoint_context_label_drops_epoch_and_suffix() -> None:
    assert short_label(ENDPOINT, "Endpoint", "Context") == "churn-endpoint"
    group = P + "context/ChurnModels-1772441000-aws-model-package-group"
    assert short_label(group, "ModelGroup", "Context") == "ChurnModels"
    truncated = P + "context/AbaloneModelPackageGroupName-1657729287-aws-mo"
    assert short_label(truncated, "ModelGroup", "Context") == "AbaloneModelPackageGroupName"


def test_artifact_label_is_type_and_short_id() -> None:
    assert short_label(DATASET, "DataSet", "Artifact") == "DataSet · 4d5ce0"
    assert short_label(DATASET, None, "Artifact") == "Artifact · 4d5ce0"


def test_short_names_are_kept_whole() -> None:
    assert short_label(P + "action/approve-v3", "Approval", "Action") == "approve-v3"


def test_entity_name_is_everything_after_the_first_slash() -> None:
    assert entity_name(P + "model-package/churn-models/3") == "churn-models/3"
    assert entity_name("not-an-arn:thing") == "thing"


def test_description_labels_use_the_source_uri_for_artifacts() -> None:
    def described(uri: str) -> dict[str, Any]:
        return {"ArtifactArn": DATASET, "Source": {"SourceUri": uri, "SourceTypes": []}}

    assert label_from_description(described("s3://bkt/churn/data/train/train.csv")) == (
        "churn/…/train/train.csv"
    )
    assert label_from_description(described(P + "model-package/churn-models/3")) == (
        "churn-models v3"
    )
    ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
    assert label_from_description(described(ecr)) == "sagemaker-xgboost:1.7-1"


def test_description_labels_prefer_display_name_then_entity_name() -> None:
    assert label_from_description({"DisplayName": "Churn v3", "ArtifactArn": DATASET}) == (
        "Churn v3"
    )
    context = {
        "ContextArn": ENDPOINT,
        "ContextName": "churn-endpoint-1772441000-aws-endpoint",
        "Source": {"SourceUri": P + "endpoint/churn-endpoint"},
    }
    assert label_from_description(context) == "churn-endpoint"
    assert label_from_description({"ActionArn": DEPLOY}) == short_label(DEPLOY, None, "Action")
    assert label_from_description({}) == "(unnamed)"


def test_edge_ids_are_short_stable_and_distinct() -> None:
    vertices, edges = fan(40)
    ids = [
        e["data"]["id"] for e in to_elements(vertices, edges, start_arn=TC) if "source" in e["data"]
    ]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 17 for i in ids)
    assert edge_id(TC, MODEL) == edge_id(TC, MODEL) != edge_id(MODEL, TC)
