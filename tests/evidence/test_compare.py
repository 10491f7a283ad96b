"""`compare_graphs` merges an old and a new lineage graph and classes every element by change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from viz_app.evidence.compare import (
    NO_COLLAPSE,
    CompareGraph,
    compare_graphs,
    side_by_side,
    start_choices,
)
from viz_app.evidence.diff import AssociationEntry, EntityEntry, FieldChange, StoreDiff

PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:"
START = PREFIX + "context/shop-endpoint"
KEPT = PREFIX + "action/deploy"
GONE = PREFIX + "artifact/" + "a" * 32
NEW = PREFIX + "artifact/" + "b" * 32
EDITED = PREFIX + "artifact/" + "c" * 32


def _v(arn: str, lineage: str, vtype: str) -> dict[str, str]:
    return {"Arn": arn, "LineageType": lineage, "Type": vtype}


def _e(src: str, dst: str, kind: str = "ContributedTo") -> dict[str, str]:
    return {"SourceArn": src, "DestinationArn": dst, "AssociationType": kind}


OLD_VERTICES = [
    _v(START, "Context", "Endpoint"),
    _v(KEPT, "Action", "ModelDeployment"),
    _v(GONE, "Artifact", "DataSet"),
    _v(EDITED, "Artifact", "Model"),
]
NEW_VERTICES = [
    _v(START, "Context", "Endpoint"),
    _v(KEPT, "Action", "ModelDeployment"),
    _v(NEW, "Artifact", "DataSet"),
    _v(EDITED, "Artifact", "Model"),
]
OLD_EDGES = [_e(KEPT, START), _e(GONE, EDITED), _e(EDITED, KEPT, "Produced")]
NEW_EDGES = [_e(KEPT, START), _e(NEW, EDITED), _e(EDITED, KEPT, "AssociatedWith")]
TYPE_CHANGE = FieldChange("AssociationType", "Produced", "AssociatedWith")
DIFF = StoreDiff(
    added_entities=[EntityEntry(NEW, "Artifact", "DataSet", None)],
    removed_entities=[EntityEntry(GONE, "Artifact", "DataSet", None)],
    changed_entities=[
        EntityEntry(EDITED, "Artifact", "Model", None, (FieldChange("Properties.owner", "a", "b"),))
    ],
    added_associations=[AssociationEntry(NEW, EDITED, "ContributedTo")],
    removed_associations=[AssociationEntry(GONE, EDITED, "ContributedTo")],
    changed_associations=[AssociationEntry(EDITED, KEPT, "AssociatedWith", (TYPE_CHANGE,))],
)


def _classes(elements: list[dict[str, Any]]) -> dict[object, set[str]]:
    out: dict[object, set[str]] = {}
    for element in elements:
        data = element["data"]
        key = (data["source"], data["target"]) if "source" in data else data["id"]
        out[key] = set(str(element["classes"]).split())
    return out


def _compare() -> CompareGraph:
    return compare_graphs(OLD_VERTICES, OLD_EDGES, NEW_VERTICES, NEW_EDGES, DIFF, start_arn=START)


def test_a_node_only_in_the_new_graph_is_added_and_one_only_in_the_old_graph_is_removed() -> None:
    classes = _classes(_compare().elements)
    assert "added" in classes[NEW] and "removed" not in classes[NEW]
    assert "removed" in classes[GONE] and "added" not in classes[GONE]


def test_a_node_in_both_graphs_with_a_changed_property_is_changed() -> None:
    graph = _compare()
    classes = _classes(graph.elements)
    assert "changed" in classes[EDITED]
    row = next(r for r in graph.rows if r.arn == EDITED)
    assert (row.status, row.element) == ("changed", "Entity")
    assert row.changes == (FieldChange("Properties.owner", "a", "b"),)


def test_unchanged_nodes_and_edges_get_no_change_class() -> None:
    graph = _compare()
    classes = _classes(graph.elements)
    for key in (START, KEPT, (KEPT, START)):
        assert not classes[key] & {"added", "removed", "changed"}
    assert "start" in classes[START]


def test_edges_are_classed_added_removed_and_changed_like_nodes() -> None:
    graph = _compare()
    classes = _classes(graph.elements)
    assert "added" in classes[(NEW, EDITED)]
    assert "removed" in classes[(GONE, EDITED)]
    assert "changed" in classes[(EDITED, KEPT)]
    # The new association type wins on the merged edge.
    edge = next(e for e in graph.elements if e["data"].get("source") == EDITED)
    assert edge["data"]["association_type"] == "AssociatedWith"


def test_the_merged_graph_is_the_union_of_both_with_every_node_positioned() -> None:
    graph = _compare()
    nodes = [e for e in graph.elements if "source" not in e["data"]]
    assert {n["data"]["id"] for n in nodes} == {START, KEPT, GONE, NEW, EDITED}
    assert all(set(n["position"]) == {"x", "y"} for n in nodes)
    assert len(graph.elements) - len(nodes) == 4
    assert graph.counts()["vertices_unchanged"] == 2
    assert graph.counts()["edges_changed"] == 1


def test_the_table_lists_each_added_removed_and_changed_entity_and_association() -> None:
    graph = _compare()
    listed = {(r.status, r.element, r.arn) for r in graph.rows}
    assert listed == {
        ("added", "Entity", NEW),
        ("removed", "Entity", GONE),
        ("changed", "Entity", EDITED),
        ("added", "Association", f"{NEW} -> {EDITED}"),
        ("removed", "Association", f"{GONE} -> {EDITED}"),
        ("changed", "Association", f"{EDITED} -> {KEPT}"),
    }
    assert all(r.note == "" for r in graph.rows)


def test_an_entity_in_both_stores_that_left_the_lineage_is_removed_with_a_note() -> None:
    graph = compare_graphs(
        OLD_VERTICES, OLD_EDGES, NEW_VERTICES[:2], [], StoreDiff(), start_arn=START
    )
    row = next(r for r in graph.rows if r.arn == EDITED)
    assert row.status == "removed"
    assert "only in the old" in row.note


def test_changed_nodes_carry_a_text_mark_so_colour_is_not_the_only_cue() -> None:
    graph = _compare()
    labels = {e["data"]["id"]: e["data"]["label"] for e in graph.elements if "label" in e["data"]}
    assert labels[NEW].startswith("+ ")
    assert labels[GONE].startswith("− ")
    assert labels[EDITED].startswith("~ ")
    assert not labels[KEPT].startswith(("+", "−", "~"))


def test_big_fan_outs_are_not_collapsed_into_groups_in_a_compare_view() -> None:
    many = [_v(PREFIX + f"artifact/{i:032x}", "Artifact", "DataSet") for i in range(30)]
    edges = [_e(v["Arn"], START) for v in many]
    graph = compare_graphs(
        OLD_VERTICES[:1], [], [*OLD_VERTICES[:1], *many], edges, StoreDiff(), start_arn=START
    )
    assert not any("group" in str(e["classes"]).split() for e in graph.elements)
    assert graph.counts()["vertices_added"] == 30
    assert NO_COLLAPSE > 30


def test_start_choices_put_endpoints_first_and_cover_association_ends() -> None:
    choices = [arn for _, arn in start_choices(DIFF)]
    assert set(choices) == {NEW, GONE, EDITED, KEPT}
    diff = StoreDiff(
        changed_entities=[EntityEntry(GONE, "Artifact", "DataSet", None)],
        added_entities=[EntityEntry(START, "Context", "Endpoint", "shop-endpoint")],
    )
    assert [arn for _, arn in start_choices(diff)] == [START, GONE]


def test_side_by_side_lines_up_old_and_new_fields_and_marks_the_differences() -> None:
    when = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    old = {"Properties": {"owner": "a"}, "CreationTime": when, "Tags": [{"Key": "t", "Value": "1"}]}
    new = {"Properties": {"owner": "b", "x": "y"}, "CreationTime": when, "Tags": []}
    rows = {field: (a, b, differs) for field, a, b, differs in side_by_side(old, new)}
    assert rows["Properties.owner"] == ("a", "b", True)
    assert rows["Properties.x"] == ("", "y", True)
    assert rows["CreationTime"] == ("2026-03-02T09:00:00Z", "2026-03-02T09:00:00Z", False)
    assert rows["Tags.t"] == ("1", "", True)
    assert [f for f, *_ in side_by_side(None, {"A": 1})] == ["A"]
