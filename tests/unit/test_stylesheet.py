"""Tests for the Cytoscape stylesheet, class names and legend."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from viz_app.render.stylesheet import (
    COLOR_BY_LINEAGE_TYPE,
    DARK_BACKGROUND,
    DARK_COLOR_BY_LINEAGE_TYPE,
    DARK_TEXT,
    DETAIL_CLASS,
    EDGE_STYLE_BY_ASSOCIATION,
    LEGEND,
    LIGHT_BACKGROUND,
    LIGHT_TEXT,
    NODE_FONT_PX,
    NODE_LABEL_MIN_PX,
    READABLE_PX,
    READABLE_ZOOM,
    RUN_BOX,
    SHAPE_BY_TYPE,
    assoc_class,
    legend_data_uri,
    legend_entries,
    legend_svg,
    lineage_class,
    stylesheet,
    type_class,
)

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
HIGHLIGHTS = ("highlighted", "faded", "answer", "selected-path", "search-hit", "added", "removed")


def luminance(color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def selectors(rules: list[dict[str, Any]]) -> set[str]:
    return {rule["selector"] for rule in rules}


@pytest.mark.parametrize("dark", [False, True])
def test_every_type_and_lineage_type_has_a_selector(dark: bool) -> None:
    found = selectors(stylesheet(dark))
    assert {f".{type_class(t)}" for t in SHAPE_BY_TYPE} <= found
    assert {f".{lineage_class(t)}" for t in COLOR_BY_LINEAGE_TYPE} <= found
    assert {f".{assoc_class(a)}" for a in EDGE_STYLE_BY_ASSOCIATION} <= found
    assert {".group", ".start"} <= found


@pytest.mark.parametrize("dark", [False, True])
def test_every_highlight_class_has_a_rule(dark: bool) -> None:
    text = " ".join(selectors(stylesheet(dark)))
    for name in HIGHLIGHTS:
        assert f".{name}" in text


@pytest.mark.parametrize("dark", [False, True])
def test_all_colours_are_valid_hex(dark: bool) -> None:
    for rule in stylesheet(dark):
        for prop, value in rule["style"].items():
            if prop.endswith("color"):
                assert HEX.match(value), (rule["selector"], prop, value)
    for entry in LEGEND:
        assert HEX.match(entry.color)


def test_labels_hide_when_zoomed_out() -> None:
    base = {rule["selector"]: rule["style"] for rule in stylesheet()}
    assert base["node"]["label"] == "data(label)"
    assert base["edge[association_type]"]["label"] == "data(association_type)"
    assert base["edge"]["min-zoomed-font-size"] > base["edge"]["font-size"]
    assert base["node"]["min-zoomed-font-size"] > 0


def test_no_node_label_is_drawn_under_ten_pixels_on_screen() -> None:
    node = {rule["selector"]: rule["style"] for rule in stylesheet()}["node"]
    assert node["min-zoomed-font-size"] == READABLE_PX == 10
    assert node["min-zoomed-font-size"] / node["font-size"] == READABLE_ZOOM


def test_shapes_differ_between_the_job_types() -> None:
    jobs = [SHAPE_BY_TYPE[t] for t in ("TrainingJob", "ProcessingJob", "TransformJob")]
    assert len(set(jobs)) == 3


def test_text_is_readable_on_both_backgrounds() -> None:
    assert contrast(LIGHT_TEXT, LIGHT_BACKGROUND) >= 4.5
    assert contrast(DARK_TEXT, DARK_BACKGROUND) >= 4.5


def test_dark_node_colours_stand_out_from_the_dark_background() -> None:
    for color in DARK_COLOR_BY_LINEAGE_TYPE.values():
        assert contrast(color, DARK_BACKGROUND) >= 3.0


def test_class_names_are_lower_case_and_safe() -> None:
    assert type_class("DataSet") == "type-dataset"
    assert type_class(None) == "type-unknown"
    assert type_class("My Type/2") == "type-my-type-2"
    assert lineage_class("TrialComponent") == "lineage-trialcomponent"
    assert assoc_class("ContributedTo") == "assoc-contributedto"


def test_legend_covers_lineage_types_shapes_and_associations() -> None:
    labels = {(e.kind, e.label) for e in LEGEND}
    assert {("lineage", t) for t in COLOR_BY_LINEAGE_TYPE} <= labels
    assert {("type", t) for t in SHAPE_BY_TYPE} <= labels
    assert {("association", a) for a in EDGE_STYLE_BY_ASSOCIATION} <= labels
    dashed = {e.label for e in LEGEND if e.dashed}
    assert "AssociatedWith" in dashed and "ContributedTo" not in dashed


def test_legend_icons_are_svg() -> None:
    for entry in LEGEND:
        svg = legend_svg(entry)
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert entry.color in svg
    assert legend_data_uri(LEGEND[0]).startswith("data:image/svg+xml;base64,")


def test_dark_legend_uses_the_dark_palette() -> None:
    colors = {e.label: e.color for e in legend_entries(dark=True) if e.kind == "lineage"}
    assert colors["Artifact"] == DARK_COLOR_BY_LINEAGE_TYPE["Artifact"]
    assert [e.label for e in legend_entries(dark=True)] == [e.label for e in LEGEND]


def test_graph_js_labels_elements_from_the_zooms_the_stylesheet_shows_text_at() -> None:
    from viz_app.ui.page_constants import constants

    js = (Path(__file__).resolve().parents[2] / "assets" / "graph.js").read_text()
    assert "var DETAIL_CLASS = K.classes.detail;" in js  # from viz_app/ui/page_constants.py
    assert "var READABLE_ZOOM = K.readableZoom;" in js
    assert "var DETAIL_ZOOM = READABLE_ZOOM;" in js
    assert constants()["classes"]["detail"] == DETAIL_CLASS
    assert constants()["readableZoom"] == NODE_LABEL_MIN_PX / NODE_FONT_PX


def test_with_a_detail_class_only_elements_of_that_class_carry_text_and_arrows() -> None:
    rules = stylesheet(False, DETAIL_CLASS)
    plain = [r for r in rules if DETAIL_CLASS not in r["selector"]]
    for rule in plain:
        # Run frames are the exception: their titles are the overview's only text.
        titled = rule["selector"] in (".group", f"node.{RUN_BOX}")
        assert not {"label", "font-size"} & set(rule["style"]) or titled
        assert rule["style"].get("target-arrow-shape", "none") == "none"
    assert plain[1]["style"]["curve-style"] == "haystack"  # edges in the overview
    detail = {r["selector"]: r["style"] for r in rules if DETAIL_CLASS in r["selector"]}
    assert detail["node.detailed"]["label"] == "data(label)"
    assert detail["edge.detailed"]["curve-style"] == "straight"
    assert detail["edge.detailed"]["target-arrow-shape"] == "triangle"
    assert detail["edge.detailed[association_type]"]["label"] == "data(association_type)"
    for association, style in EDGE_STYLE_BY_ASSOCIATION.items():
        selector = f"edge.detailed.{assoc_class(association)}"
        assert detail[selector] == {"target-arrow-shape": style.arrow}
    default = stylesheet(False)  # compare view and exports: labels and arrows everywhere
    assert default[0]["style"]["label"] == "data(label)"
    assert default[1]["style"]["curve-style"] == "straight"
