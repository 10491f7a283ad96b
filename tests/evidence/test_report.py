"""`lineage-viz report` writes verifiable, self-contained, escaped evidence that opens offline."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from evidence_helpers import HOSTILE, HOSTILE_SCRIPT, Source, decode_png, non_background_fraction

from viz_app.chromium import chromium_available
from viz_app.cli import main
from viz_app.core.model import ARTIFACT, CONTEXT, AssociationRecord, EntityRecord, build_arn
from viz_app.core.store import Store
from viz_app.evidence.query import canonical_json

FILES = ("report.html", "graph.svg", "vertices.csv", "edges.csv", "query.json", "manifest.json")
CONTEXT_ARN = build_arn("us-east-1", "123456789012", "context", "evil-endpoint")
EVIL_ARTIFACT = build_arn("us-east-1", "123456789012", "artifact", "e" * 32)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store (as a snapshot of a careless account might be) full of HTML and JS payloads."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    store = Store(path)
    store.bulk_insert(
        [
            EntityRecord(
                EVIL_ARTIFACT, ARTIFACT, HOSTILE, "DataSet", f"s3://bucket/{HOSTILE}", 1.0, 1.0,
                {"Source": {"SourceUri": f"s3://bucket/{HOSTILE}"},
                 "Properties": {"payload": HOSTILE_SCRIPT, "link": "javascript:alert(3)"}},
            ),
            EntityRecord(
                CONTEXT_ARN, CONTEXT, "evil-endpoint", "Endpoint", "https://evil.example/x.js",
                2.0, 2.0,
                {"Source": {"SourceUri": "https://evil.example/x.js"},
                 "Description": HOSTILE_SCRIPT, "Properties": {HOSTILE: HOSTILE}},
            ),
        ],
        [AssociationRecord(EVIL_ARTIFACT, CONTEXT_ARN, "ContributedTo", 3.0)],
    )  # fmt: skip
    store.close()
    return path


@pytest.fixture(scope="module")
def hostile_report(hostile_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    argv = ["report", "--backend", "local", "--db", str(hostile_db), "--arn", CONTEXT_ARN]
    assert main([*argv, "--direction", "Ascendants", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def demo_report(source: Source, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-report")
    argv = ["report", "--endpoint-url", source.service.url, "--out", str(out), "--no-png"]
    start = source.summary.endpoint_context_arns[0]
    assert main([*argv, "--arn", start, "--direction", "Ascendants", "--depth", "10"]) == 0
    return out


def test_report_writes_every_file_and_the_manifest_hashes_verify(hostile_report: Path) -> None:
    for name in FILES:
        assert (hostile_report / name).stat().st_size > 0, name
    manifest = json.loads((hostile_report / "manifest.json").read_text())
    assert set(manifest["files"]) >= set(FILES) - {"manifest.json"}
    for name, entry in manifest["files"].items():
        data = (hostile_report / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert len(data) == entry["bytes"]
    assert manifest["version"] and manifest["region"] == "us-east-1"
    assert manifest["account"] == "123456789012"
    assert manifest["counts"] == {"vertices": 2, "edges": 1}


def test_query_json_holds_every_exchange_and_its_hashes_match_the_manifest(
    hostile_report: Path,
) -> None:
    query = json.loads((hostile_report / "query.json").read_text())
    manifest = json.loads((hostile_report / "manifest.json").read_text())
    exchanges = query["exchanges"]
    assert exchanges[0]["operation"] == "QueryLineage"
    assert exchanges[0]["request"]["StartArns"] == [CONTEXT_ARN]
    assert {x["operation"] for x in exchanges} >= {"DescribeArtifact", "DescribeContext"}
    assert len(manifest["responses"]) == len(exchanges)
    for exchange, recorded in zip(exchanges, manifest["responses"], strict=True):
        digest = hashlib.sha256(canonical_json(exchange["response"])).hexdigest()
        assert digest == exchange["response_sha256"] == recorded["response_sha256"]
        assert re.fullmatch(r"[0-9a-f]{64}", recorded["raw_body_sha256"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", exchange["at"])
    describe = next(x for x in exchanges if x["operation"] == "DescribeArtifact")
    assert describe["response"]["CreationTime"] == "1970-01-01T00:00:01Z"


def test_report_follows_every_next_token_page(demo_report: Path) -> None:
    query = json.loads((demo_report / "query.json").read_text())
    pages = [x for x in query["exchanges"] if x["operation"] == "QueryLineage"]
    assert pages and "NextToken" not in pages[-1]["response"]
    vertices = (demo_report / "vertices.csv").read_text().strip().splitlines()
    assert len(vertices) - 1 == sum(len(p["response"]["Vertices"]) for p in pages)


def test_report_html_loads_nothing_from_the_network(hostile_report: Path) -> None:
    html = (hostile_report / "report.html").read_text()
    assert not re.search(r"""\b(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and "<iframe" not in html
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert "default-src 'none'" in unescape(html)  # a CSP that forbids any fetch


def test_report_html_escapes_hostile_names_and_properties(hostile_report: Path) -> None:
    html = (hostile_report / "report.html").read_text()
    assert HOSTILE not in html
    assert "<img" not in html
    assert html.count("<script") == 2  # the JSON data block and our own script, nothing else
    assert "</script><script>alert(2)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    svg = (hostile_report / "graph.svg").read_text()
    assert "<img" not in svg and HOSTILE not in svg


def test_demo_report_svg_carries_the_caption(demo_report: Path, source: Source) -> None:
    svg = (demo_report / "graph.svg").read_text()
    assert f"Start ARN: {source.summary.endpoint_context_arns[0]}" in svg
    assert "Direction: Ascendants · Depth: 10 · Filters: none" in svg
    assert re.search(r"Vertices: \d+ · Edges: \d+", svg)
    assert "Account: 123456789012 · Region: us-east-1" in svg


# -- in the browser ------------------------------------------------------------------------------


@pytest.fixture
def browser_page(browser: Any) -> Iterator[Any]:
    from viz_app.evidence.png import offline_context

    context = offline_context(browser, 1400, 1000)
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_report_opens_offline_in_chromium_with_graph_and_no_console_errors(
    hostile_report: Path, browser_page: Any
) -> None:
    page = browser_page
    errors: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((hostile_report / "report.html").resolve().as_uri())
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("#lv-graph svg g.node").count() == 2
    assert page.locator("#lv-graph svg").bounding_box()["width"] > 300
    node = page.locator(f"#lv-graph svg g.node[data-id='{EVIL_ARTIFACT}']")
    node.click()
    details = page.locator("#lv-details-body").inner_text()
    assert HOSTILE_SCRIPT in details and HOSTILE in details
    assert page.locator("img").count() == 0
    page.mouse.move(500, 400)
    page.mouse.wheel(0, -300)
    assert page.evaluate("window.lineageReport.view().k") > 1
    assert dialogs == [] and errors == []
    assert all(url.startswith("file:") for url in requests), requests


@pytest.mark.browser
def test_graph_png_is_rendered_from_the_report_and_is_not_blank(hostile_report: Path) -> None:
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail("Chromium is required under CI (/usr/bin/chromium)")
        pytest.skip("Chromium not installed")
    data = (hostile_report / "graph.png").read_bytes()
    width, height, _ = decode_png(data)
    assert width >= 300 and height >= 200
    assert non_background_fraction(data) > 0.02


@pytest.mark.browser
def test_svg_export_renders_to_a_png_with_the_caption_area(
    demo_report: Path, tmp_path: Path
) -> None:
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail("Chromium is required under CI (/usr/bin/chromium)")
        pytest.skip("Chromium not installed")
    from viz_app.evidence.png import svg_to_png

    svg = (demo_report / "graph.svg").read_text()
    out = svg_to_png(svg, tmp_path / "export.png")
    width, height, rows = decode_png(out.read_bytes())
    assert (width, height) >= (600, 300)
    assert non_background_fraction(out.read_bytes()) > 0.05
    assert rows[5][15:18] == b"\xf4\xf4\xf4"  # the caption panel's background, top left
