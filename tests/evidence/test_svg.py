"""The exported SVG: whole graph, captioned, well-formed, and every data string escaped."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pandas as pd
from evidence_helpers import HOSTILE, HOSTILE_SCRIPT

from viz_app.evidence.report_html import script_json
from viz_app.evidence.tables import edges_table, vertices_table
from viz_app.render.svg import Caption, render_svg
from viz_app.ui.elements import to_elements
from viz_app.ui.safe_csv import to_csv

SVG_NS = "{http://www.w3.org/2000/svg}"
PREFIX = "arn:aws:sagemaker:us-east-1:123456789012"
DATASET = f"{PREFIX}:artifact/{'a' * 32}"
JOB = f"{PREFIX}:experiment-trial-component/train-aws-training-job"
MODEL = f"{PREFIX}:artifact/{'b' * 32}"
VERTICES = [
    {"Arn": DATASET, "Type": "DataSet", "LineageType": "Artifact"},
    {"Arn": JOB, "Type": "TrainingJob", "LineageType": "TrialComponent"},
    {"Arn": MODEL, "Type": "Model", "LineageType": "Artifact"},
]
EDGES = [
    {"SourceArn": DATASET, "DestinationArn": JOB, "AssociationType": "ContributedTo"},
    {"SourceArn": JOB, "DestinationArn": MODEL, "AssociationType": "Produced"},
]


def _caption(**overrides: object) -> Caption:
    fields: dict[str, object] = {
        "start_arn": MODEL,
        "direction": "Ascendants",
        "depth": 4,
        "vertices": 3,
        "edges": 2,
        "account": "123456789012",
        "region": "us-east-1",
        "types": ("DataSet",),
        "lineage_types": ("Artifact",),
        "generated_at": datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    }
    fields.update(overrides)
    return Caption(**fields)  # type: ignore[arg-type]


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]


def test_caption_lines_name_the_question_and_the_answer() -> None:
    lines = _caption().lines()
    assert f"Start ARN: {MODEL}" in lines
    assert (
        "Direction: Ascendants · Depth: 4 · Filters: Types=DataSet; LineageTypes=Artifact" in lines
    )
    assert "Account: 123456789012 · Region: us-east-1" in lines
    assert "Generated (UTC): 2026-03-02T09:30:00Z" in lines
    assert "Vertices: 3 · Edges: 2" in lines


def test_svg_draws_every_node_and_edge_with_the_caption_as_text() -> None:
    elements = to_elements(VERTICES, EDGES, start_arn=MODEL)
    svg = render_svg(elements, _caption())
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    nodes = [g for g in root.iter(f"{SVG_NS}g") if "node" in g.get("class", "").split()]
    edges = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "edge"]
    assert sorted(g.get("data-id") for g in nodes) == sorted([DATASET, JOB, MODEL])
    assert len(edges) == 2
    assert all(line.get("marker-end") for line in root.iter(f"{SVG_NS}line"))
    texts = _texts(svg)
    for line in _caption().lines():
        assert line in texts
    assert {"ContributedTo", "Produced"} <= set(texts)
    assert float(root.get("width", "0")) > 300 and float(root.get("height", "0")) > 200


def test_svg_escapes_hostile_labels_arns_and_caption_text() -> None:
    hostile_arn = f"{PREFIX}:context/{HOSTILE_SCRIPT}"
    vertices = [*VERTICES, {"Arn": hostile_arn, "Type": HOSTILE, "LineageType": "Context"}]
    edges = [
        *EDGES,
        {"SourceArn": MODEL, "DestinationArn": hostile_arn, "AssociationType": HOSTILE},
    ]
    labels = {DATASET: HOSTILE, hostile_arn: "x\x01" + HOSTILE_SCRIPT}
    elements = to_elements(vertices, edges, start_arn=hostile_arn, labels=labels)
    svg = render_svg(elements, _caption(start_arn=hostile_arn, types=(HOSTILE,)))
    assert "<img" not in svg and "<script" not in svg and "</script" not in svg
    texts = _texts(svg)  # well-formed XML even with control characters in the data
    # Long labels wrap into two lines (tspans) at a space: compare without the spaces.
    assert HOSTILE.replace(" ", "") in [t.replace(" ", "") for t in texts]
    assert f"Start ARN: {hostile_arn}" in texts


def test_script_json_cannot_close_its_script_element() -> None:
    text = script_json({"a": HOSTILE_SCRIPT, "b": "<!-- & -->"})
    assert "</" not in text and "<!--" not in text and "<" not in text

    assert json.loads(text) == {"a": HOSTILE_SCRIPT, "b": "<!-- & -->"}


def test_tables_list_vertices_and_edges_and_csv_defuses_formulas() -> None:
    described = {DATASET: {"ArtifactArn": DATASET, "ArtifactName": "=HYPERLINK(1)"}}
    vertices = vertices_table(VERTICES, described, start_arn=MODEL)
    assert list(vertices["arn"]) == sorted([DATASET, JOB, MODEL])
    assert vertices.loc[vertices["arn"] == MODEL, "is_start"].item()
    edges = edges_table(EDGES)
    assert list(edges["association_type"]) == ["ContributedTo", "Produced"]
    csv = to_csv(vertices)
    assert "'=HYPERLINK(1)" in csv
    assert isinstance(pd.read_csv(io.StringIO(csv)), pd.DataFrame)
