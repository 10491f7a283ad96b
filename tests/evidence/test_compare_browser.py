"""`lineage-viz compare` in headless Chromium: the graph classes exactly the known changes."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from viz_app.api.server import start_service
from viz_app.core.demo import build_demo
from viz_app.core.model import ARTIFACT, AssociationRecord, EntityRecord, build_arn
from viz_app.core.store import Store
from viz_app.ui.backends import Backend

pytestmark = pytest.mark.browser

NEW_ARTIFACT = build_arn("us-east-1", "123456789012", "artifact", "e" * 32)
GRAPH_JS = "document.getElementById('compare-graph')._cyreg.cy"


@dataclass(frozen=True)
class Known:
    """The compare app's URL and the changes made to the new store."""

    url: str
    start: str
    removed: str
    removed_edge: tuple[str, str]
    changed: str


def _leaf(store: Store, start: str) -> tuple[str, tuple[str, str]]:
    """An artifact with exactly one edge in the start's lineage (deleting it cuts nothing else)."""
    service = start_service(store)
    try:
        backend = Backend.for_endpoint(service.url)
        result = backend.query_all_pages(start, "Both", 10)
    finally:
        service.close()
    degree: dict[str, list[tuple[str, str]]] = {}
    for edge in result.edges:
        pair = (edge["SourceArn"], edge["DestinationArn"])
        for arn in pair:
            degree.setdefault(arn, []).append(pair)
    leaves = sorted(a for a, e in degree.items() if len(e) == 1 and ":artifact/" in a)
    assert leaves, "the demo lineage has no leaf artifact"
    return leaves[0], degree[leaves[0]][0]


def _make_stores(old_path: Path, new_path: Path) -> tuple[str, str, tuple[str, str], str]:
    """Two demo stores; in the new one: one entity deleted, one added (with an association to
    the start), one property changed."""
    old, new = Store(old_path), Store(new_path)
    summary = build_demo(old)
    build_demo(new)
    start = summary.endpoint_context_arns[0]
    removed, removed_edge = _leaf(old, start)
    assert summary.model_package_artifact_arn != removed
    new.delete_entity(removed)
    uri = "s3://bucket/audit/new-eval.csv"
    doc = {"Source": {"SourceUri": uri}, "Properties": {"stage": "eval"}}
    new.bulk_insert([EntityRecord(NEW_ARTIFACT, ARTIFACT, None, "DataSet", uri, 1.0, 1.0, doc)])
    new.add_association(AssociationRecord(NEW_ARTIFACT, start, "ContributedTo", 2.0))
    package = new.get_entity(summary.model_package_artifact_arn)
    assert package is not None
    package.doc["Properties"] = {**(package.doc.get("Properties") or {}), "approved-by": "alice"}
    new.replace_entity(package)
    old.close()
    new.close()
    return start, removed, removed_edge, package.arn


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Known]:
    folder = tmp_path_factory.mktemp("compare")
    old_db, new_db = folder / "old.db", folder / "new.db"
    start, removed, removed_edge, changed = _make_stores(old_db, new_db)
    command = [sys.executable, "-m", "viz_app", "compare", str(old_db), str(new_db)]
    proc = subprocess.Popen(
        [*command, "--arn", start, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise AssertionError(f"compare did not print its URL first: {url!r} {proc.stderr.read()}")
    yield Known(url, start, removed, removed_edge, changed)
    proc.terminate()
    assert proc.wait(timeout=10) == 0


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_function(
        f"() => {{ const e = document.getElementById('compare-graph');"
        f" return e && e._cyreg && {GRAPH_JS}.nodes().length > 0; }}"
    )


def _ids(page: Any, selector: str) -> set[Any]:
    found = page.evaluate(
        f"s => {GRAPH_JS}.elements(s).map(e => e.isEdge()"
        " ? [e.data('source'), e.data('target')] : e.id())",
        selector,
    )
    return {tuple(x) if isinstance(x, list) else x for x in found}


def _rendered_point(page: Any, node_id: str) -> tuple[float, float]:
    point = page.evaluate(
        f"""id => {{
            const el = document.getElementById('compare-graph');
            const node = {GRAPH_JS}.getElementById(id);
            if (!node.length) {{ return null; }}
            const box = el.getBoundingClientRect();
            const p = node.renderedPosition();
            return [box.left + p.x, box.top + p.y];
        }}""",
        node_id,
    )
    assert point is not None, f"{node_id} is not in the graph"
    return float(point[0]), float(point[1])


def test_the_compare_graph_classes_exactly_the_known_changes(page: Any, known: Known) -> None:
    _open(page, known.url)
    assert _ids(page, "node.added") == {NEW_ARTIFACT}
    assert _ids(page, "node.removed") == {known.removed}
    assert _ids(page, "node.changed") == {known.changed}
    assert _ids(page, "edge.added") == {(NEW_ARTIFACT, known.start)}
    assert _ids(page, "edge.removed") == {known.removed_edge}
    assert _ids(page, "edge.changed") == set()
    table = page.inner_text("#compare-table")
    assert "Properties.approved-by: None → 'alice'" in table
    assert known.removed in table and NEW_ARTIFACT in table
    for status in ("added", "removed", "changed", "unchanged"):
        assert status in page.inner_text(f"#compare-legend-{status}")


def test_clicking_a_changed_node_shows_its_old_and_new_values_side_by_side(
    page: Any, known: Known
) -> None:
    _open(page, known.url)
    page.evaluate(f"id => {{ {GRAPH_JS}.zoom({{level: 1.2, position: {GRAPH_JS}"
                  ".getElementById(id).position()}); }", known.changed)  # fmt: skip
    x, y = _rendered_point(page, known.changed)
    page.mouse.click(x, y)
    row = page.locator("#compare-describe tr", has_text="Properties.approved-by")
    row.wait_for()
    cells = row.locator("th, td").all_inner_texts()
    assert cells == ["≠ Properties.approved-by", "", "alice"]
    same = page.locator("#compare-describe tr", has_text="Properties.ModelApprovalStatus")
    assert same.locator("td").all_inner_texts() == ["Approved", "Approved"]
    assert "changed" in page.inner_text("#compare-details h3")


def test_a_removed_node_says_it_is_not_in_the_new_store(page: Any, known: Known) -> None:
    _open(page, known.url)
    page.evaluate(f"id => {{ {GRAPH_JS}.zoom({{level: 1.2, position: {GRAPH_JS}"
                  ".getElementById(id).position()}); }", known.removed)  # fmt: skip
    x, y = _rendered_point(page, known.removed)
    page.mouse.click(x, y)
    page.locator("#compare-details", has_text="Not in the new store.").wait_for()
    assert known.removed in page.inner_text("#compare-details")


def test_picking_a_changed_entity_from_the_dropdown_starts_the_compare_there(
    page: Any, known: Known, tmp_path: Path
) -> None:
    _open(page, known.url)
    page.click("#compare-changed")
    # Click the option itself: typing then Enter races the dropdown's filtering under load.
    page.get_by_role("option", name=re.compile(r"^~ Model:")).first.click()
    page.wait_for_function(
        f"id => {GRAPH_JS}.nodes('.start').map(n => n.id()).join() === id", arg=known.changed
    )
    assert page.input_value("#compare-start") == known.changed
    assert _ids(page, "node.changed") == {known.changed}
    page.screenshot(path=str(tmp_path / "compare.png"))
    assert (tmp_path / "compare.png").stat().st_size > 10_000
