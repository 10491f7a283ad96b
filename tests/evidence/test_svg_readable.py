"""Evidence pictures a person can read: no text over text, nothing under 10 px at 1,600 px.

Every check reads the SVG files the real `lineage-viz report` wrote (demo service over HTTP,
boto3), or what the app's export builds, the way a renderer would (`svg_boxes`).
"""

from __future__ import annotations

import itertools
import json
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from evidence_helpers import HOSTILE, Source
from svg_boxes import NS, collisions, read_svg

from viz_app.cli import main
from viz_app.core.model import ARTIFACT, CONTEXT, AssociationRecord, EntityRecord, build_arn
from viz_app.core.store import Store
from viz_app.render.stylesheet import EDGE_STYLE_BY_ASSOCIATION
from viz_app.render.svg import PAGE_WIDTH, Caption, render_pages
from viz_app.render.svg_text import text_width
from viz_app.ui.elements import to_elements
from viz_app.ui.export import view_svg

DIRECTIONS = ("Ascendants", "Both")
ACCOUNT = "123456789012"


def run_report(argv: list[str], out: Path) -> Path:
    assert main(["report", *argv, "--out", str(out), "--no-png"]) == 0
    return out


def pictures(report: Path) -> dict[str, str]:
    """Every picture SVG of a report, by file name; graph.svg first."""
    names = sorted(p.name for p in report.glob("graph*.svg"))
    return {name: (report / name).read_text(encoding="utf-8") for name in names}


def assert_readable(name: str, svg: str) -> None:
    width, texts, _ = read_svg(svg)
    assert texts, name
    assert collisions(svg) == [], name
    shown = min(1.0, PAGE_WIDTH / width)  # a wider picture is shrunk to be shown 1,600 px wide
    for text in texts:
        assert text.size * shown >= 10, (name, text.text, text.size, width)
        assert text.size >= {"node": 12, "edge": 10}.get(text.kind, 10), (name, text.text)


@pytest.fixture(scope="module")
def demo_reports(source: Source, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One report per demo endpoint and direction, from the demo service over HTTP."""
    reports = {}
    for arn in source.summary.endpoint_context_arns:
        for direction in DIRECTIONS:
            out = tmp_path_factory.mktemp("readable")
            argv = ["--endpoint-url", source.service.url, "--arn", arn, "--direction", direction]
            reports[f"{arn.rsplit('/', 1)[-1]} {direction}"] = run_report(argv, out)
    return reports


def test_every_demo_report_picture_has_no_text_over_text_and_reads_at_1600_px(
    demo_reports: dict[str, Path],
) -> None:
    split = 0
    for key, report in demo_reports.items():
        svgs = pictures(report)
        split += len(svgs) > 1
        for name, svg in svgs.items():
            assert read_svg(svg)[0] <= PAGE_WIDTH, (key, name)
            assert_readable(f"{key} {name}", svg)
    assert split >= 2, "some demo graphs are wider than a page: they must come as pages"


def test_split_reports_list_every_picture_in_the_manifest_and_report_html(
    demo_reports: dict[str, Path],
) -> None:
    for key, report in demo_reports.items():
        names = list(pictures(report))
        manifest = json.loads((report / "manifest.json").read_text())
        html = (report / "report.html").read_text()
        assert set(names) <= set(manifest["files"]), key
        for name in names:
            assert f'href="{name}"' in html, (key, name)
        if len(names) > 1:
            pages = len(names) - 1
            assert set(names) == {
                "graph.svg",
                *(f"graph-page-{n}.svg" for n in range(1, pages + 1)),
            }
            overview = pictures(report)["graph.svg"]
            assert len(re.findall(r'<rect class="page"', overview)) == pages
            assert f"split into {pages} pages" in overview
            page = pictures(report)[f"graph-page-{pages}.svg"]
            assert f"Page {pages} of {pages} · layers " in page


def test_the_caption_legend_names_every_association_line_style(
    demo_reports: dict[str, Path],
) -> None:
    svg = next(iter(pictures(next(iter(demo_reports.values()))).values()))
    root = ET.fromstring(svg)
    caption = next(g for g in root.iter(f"{NS}g") if g.get("class") == "caption")
    legend = {t.text for t in caption.iter(f"{NS}text")}
    assert set(EDGE_STYLE_BY_ASSOCIATION) <= legend
    dashes = [line.get("stroke-dasharray") for line in caption.iter(f"{NS}line")]
    assert len(dashes) == len(EDGE_STYLE_BY_ASSOCIATION)
    assert {"6,4", "1.5,3", None} == set(dashes)


# -- two-line labels, crowded edges, hostile text ---------------------------------------------

PREFIX = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}"


def _fan(n: int, labels: dict[str, str]) -> tuple[list[Any], str]:
    """`n` datasets feeding one training job that produced one model."""
    job = f"{PREFIX}:experiment-trial-component/train-{n}-aws-training-job"
    model = f"{PREFIX}:artifact/{'b' * 32}"
    datasets = [f"{PREFIX}:artifact/{i:02d}{'0' * 30}" for i in range(n)]
    vertices = [{"Arn": a, "Type": "DataSet", "LineageType": "Artifact"} for a in datasets]
    vertices += [
        {"Arn": job, "Type": "TrainingJob", "LineageType": "TrialComponent"},
        {"Arn": model, "Type": "Model", "LineageType": "Artifact"},
    ]
    edges = [
        {"SourceArn": a, "DestinationArn": job, "AssociationType": "ContributedTo"}
        for a in datasets
    ]
    edges.append({"SourceArn": job, "DestinationArn": model, "AssociationType": "Produced"})
    elements = to_elements(
        vertices, edges, start_arn=model, labels=labels, collapse_threshold=n + 1
    )
    return elements, model


def _caption(start: str, vertices: int = 0, edges: int = 0) -> Caption:
    return Caption(
        start_arn=start, direction="Ascendants", depth=10, vertices=vertices, edges=edges
    )


def test_two_line_labels_are_tspans_and_their_boxes_stay_apart() -> None:
    labels = {
        f"{PREFIX}:artifact/{i:02d}{'0' * 30}": f"churn-train-2603020948-00{i}/\n…/{HOSTILE}.tar.gz"
        for i in range(6)
    }
    elements, model = _fan(6, labels)
    [svg] = render_pages(elements, _caption(model))
    assert "<img" not in svg and HOSTILE not in svg
    root = ET.fromstring(svg)
    two_line = [t for t in root.iter(f"{NS}text") if len(list(t.iter(f"{NS}tspan"))) == 2]
    assert len(two_line) == 6
    assert [s.text for s in two_line[0].iter(f"{NS}tspan")] == [
        "churn-train-2603020948-000/",
        f"…/{HOSTILE}.tar.gz",
    ]
    assert_readable("two-line", svg)


def test_crowded_edge_labels_are_left_out_rather_than_written_over_each_other() -> None:
    """Every one of 12 datasets feeds every one of 12 jobs: 144 edges between two layers."""
    datasets = [f"{PREFIX}:artifact/{i:02d}{'0' * 30}" for i in range(12)]
    jobs = [f"{PREFIX}:experiment-trial-component/job-{i}-aws-training-job" for i in range(12)]
    vertices = [{"Arn": a, "Type": "DataSet", "LineageType": "Artifact"} for a in datasets]
    vertices += [{"Arn": j, "Type": "TrainingJob", "LineageType": "TrialComponent"} for j in jobs]
    edges = [
        {"SourceArn": a, "DestinationArn": j, "AssociationType": "ContributedTo"}
        for a in datasets
        for j in jobs
    ]
    elements = to_elements(vertices, edges, start_arn=jobs[0], collapse_threshold=100)
    [svg] = render_pages(elements, _caption(jobs[0]))
    assert_readable("crowd", svg)
    _, texts, _ = read_svg(svg)
    drawn = sum(1 for t in texts if t.kind == "edge")
    assert 0 < drawn < 144
    caption = "".join(t.text for t in texts if t.kind == "caption")  # wrapped lines, rejoined
    assert f"{144 - drawn} of 144 edge labels left out where they would cover other text" in caption


def test_the_app_export_stacks_the_overview_and_pages_each_at_most_1600_px_wide() -> None:
    chain = [f"{PREFIX}:artifact/{i:032x}" for i in range(16)]
    vertices = [{"Arn": a, "Type": "DataSet", "LineageType": "Artifact"} for a in chain]
    edges = [
        {"SourceArn": a, "DestinationArn": b, "AssociationType": "DerivedFrom"}
        for a, b in itertools.pairwise(chain)
    ]
    data = {"vertices": vertices, "edges": edges, "start": chain[-1]}
    svg = view_svg(data, _caption(chain[-1], 16, 15), {}, frozenset())
    root = ET.fromstring(svg)
    pages = [child for child in root if child.tag == f"{NS}svg"]
    assert len(pages) >= 3  # overview and at least two pages
    numbers = {t.text for t in pages[0].iter(f"{NS}text") if (t.text or "").startswith("page ")}
    assert numbers == {f"page {n}" for n in range(1, len(pages))}, "every page is numbered"
    assert all(float(p.get("width", "0")) <= PAGE_WIDTH for p in pages)
    assert float(root.get("width", "0")) <= PAGE_WIDTH
    ids = re.findall(r'(?<![-\w])id="([^"]+)"', svg)
    assert len(ids) == len(set(ids)), "ids must stay unique across stacked pages"
    assert_readable("stack", svg)
    drawn = {g.get("data-id") for g in root.iter(f"{NS}g") if "node" in g.get("class", "").split()}
    assert drawn == set(chain)


# -- a thousand vertices -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """1,001 vertices in 11 layers: 10 x 100 datasets, each feeding 2 of the next layer, and an
    endpoint fed by the last layer; reported through the local service (--db)."""
    rng = random.Random(7)
    layers = [
        [build_arn("us-east-1", ACCOUNT, "artifact", f"{k:02d}{i:030d}") for i in range(100)]
        for k in range(10)
    ]
    end = build_arn("us-east-1", ACCOUNT, "context", "big-endpoint")
    entities = [
        EntityRecord(a, ARTIFACT, f"layer{k}-set-{i}", "DataSet", f"s3://b/{k}/{i}", 1.0, 1.0)
        for k, arns in enumerate(layers)
        for i, a in enumerate(arns)
    ]
    entities.append(EntityRecord(end, CONTEXT, "big-endpoint", "Endpoint", None, 1.0, 1.0))
    links = [
        AssociationRecord(a, b, "ContributedTo", 2.0)
        for k in range(9)
        for a in layers[k]
        for b in rng.sample(layers[k + 1], 2)
    ]
    links += [AssociationRecord(a, end, "AssociatedWith", 2.0) for a in layers[-1]]
    folder = tmp_path_factory.mktemp("big")
    store = Store(folder / "big.db")
    store.bulk_insert(entities, links)
    store.close()
    argv = ["--backend", "local", "--db", str(folder / "big.db"), "--arn", end]
    report = run_report([*argv, "--direction", "Ascendants"], folder / "report")
    return report, [e.arn for e in entities]


def test_a_thousand_vertices_come_as_an_overview_and_readable_pages_that_show_them_all(
    big_report: tuple[Path, list[str]],
) -> None:
    report, arns = big_report
    svgs = pictures(report)
    assert len(svgs) >= 3
    drawn: set[str] = set()
    for name, svg in svgs.items():
        assert read_svg(svg)[0] <= PAGE_WIDTH, name
        assert_readable(name, svg)
        root = ET.fromstring(svg)
        drawn |= {g.get("data-id", "") for g in root.iter(f"{NS}g") if g.get("data-id")}
        if name == "graph.svg":  # the overview: no label text, only the caption and numbers
            texts = [t for t in read_svg(svg)[1] if t.kind not in ("caption",)]
            assert {t.text for t in texts} == {f"page {n}" for n in range(1, len(svgs))}
    assert set(arns) <= drawn, "every vertex is drawn on some page"
    edges = (report / "edges.csv").read_text().strip().splitlines()
    assert len(edges) - 1 == 9 * 100 * 2 + 100


# -- in Chromium ---------------------------------------------------------------------------------


def _browser_boxes(page: Any, svg: str) -> list[dict[str, Any]]:
    """Every <text> as Chromium lays it out: its client rect and each line's drawn width."""
    page.set_content(f'<!DOCTYPE html><html><body style="margin:0">{svg}</body></html>')
    return page.evaluate(  # type: ignore[no-any-return]
        """() => Array.from(document.querySelectorAll('text')).map(t => {
            const r = t.getBoundingClientRect();
            const spans = Array.from(t.querySelectorAll('tspan'));
            const lines = (spans.length ? spans : [t]).map(
                s => ({text: s.textContent, width: s.getComputedTextLength()}));
            return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, lines: lines,
                    size: parseFloat(t.getAttribute('font-size')),
                    bold: t.getAttribute('font-weight') === 'bold'};
        })"""
    )


def _overlaps(boxes: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    found = []
    ordered = sorted(boxes, key=lambda b: b["x0"])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b["x0"] >= a["x1"] - 0.01:
                break
            if a["y0"] < b["y1"] - 0.01 and b["y0"] < a["y1"] - 0.01:
                found.append((a, b))
    return found


@pytest.mark.browser
def test_in_chromium_no_text_box_overlaps_and_every_line_is_at_least_10_px(
    browser: Any, demo_reports: dict[str, Path], big_report: tuple[Path, list[str]]
) -> None:
    from viz_app.evidence.png import offline_context

    context = offline_context(browser, int(PAGE_WIDTH), 1000)
    page = context.new_page()
    split = next(r for r in demo_reports.values() if len(pictures(r)) > 1)
    svgs = [*pictures(next(iter(demo_reports.values()))).values(), *pictures(split).values()]
    svgs.append(pictures(big_report[0])["graph-page-1.svg"])
    try:
        for svg in svgs:
            boxes = _browser_boxes(page, svg)
            assert boxes
            shown = page.evaluate("document.querySelector('svg').getBoundingClientRect().width")
            assert shown <= PAGE_WIDTH
            for box in boxes:
                assert (box["y1"] - box["y0"]) / len(box["lines"]) >= 10, box
                for line in box["lines"]:  # the renderer planned with widths never too narrow
                    planned = text_width(line["text"], box["size"], bold=box["bold"])
                    assert line["width"] <= planned + 0.5, (line, planned)
            assert _overlaps(boxes) == []
    finally:
        context.close()
