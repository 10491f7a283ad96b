"""Helpers for browser tests: the running app, and reading the Cytoscape graph in the page.

A `page.evaluate` script that calls a chainable Cytoscape method (`zoom({...})`, `emit`,
`forEach`) must not return its result: Playwright would serialise the whole Cytoscape instance
behind it (on the demo's Both view: 16 s and a 3 GB JS heap for one `zoom`, enough for the
renderer to crash, "Target crashed"). Wrap such a call in braces: `() => { cy.zoom(...); }`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import boto3
from browser_data import ExtraArns

from viz_app.core.demo import DemoSummary


class App:
    """The running app: its URL, the demo summary and a boto3 client to the same service."""

    def __init__(self, url: str, demo: DemoSummary, db: Path, extras: ExtraArns) -> None:
        self.url = url
        self.demo = demo
        self.db = db
        self.extras = extras

    def link(self, arn: str, **params: Any) -> str:
        """A deep link to a view starting at `arn`."""
        return self.url + "?" + urlencode({"arn": arn, **params})


def local_client(url: str) -> Any:
    """A boto3 SageMaker client for a local lineage service (its fixed dummy credentials)."""
    return boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def start_app(db: Path) -> tuple[subprocess.Popen[str], str]:
    """`python -m viz_app serve` on the store `db`, and the URL it printed first."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "viz_app", "serve", "--port", "0", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise AssertionError(f"serve did not print its URL first: {url!r} {proc.stderr.read()}")
    return proc, url


def wait_for_graph(page: Any, count: int | None = None) -> int:
    """Wait until the graph has nodes (and `count` of them, if given); returns the count."""
    page.wait_for_function(
        "n => { const e = document.getElementById('graph');"
        " const c = e && e._cyreg && e._cyreg.cy;"
        " return c && window.lineageViz.settled() && c.nodes().length > 0"
        " && (n === null || c.nodes().length === n); }",
        arg=count,
    )
    return int(page.evaluate("() => document.getElementById('graph')._cyreg.cy.nodes().length"))


def node_point(page: Any, node_id: str) -> tuple[float, float]:
    """Page coordinates of a node's rendered centre, after the view has settled."""
    page.wait_for_timeout(200)  # the fit after new elements is debounced in assets/graph.js
    point = page.evaluate(
        """id => {
            const el = document.getElementById('graph');
            const cy = el._cyreg.cy;
            const node = cy.getElementById(id);
            if (!node.length) { return null; }
            const box = el.getBoundingClientRect();
            let p = node.renderedPosition();
            // As a person would, pan a node that is out of view (or under the details
            // card) into view before clicking it.
            const card = document.getElementById('details-card');
            const right = card && card.offsetParent !== null
                ? card.getBoundingClientRect().left - box.left - 8 : box.width;
            if (p.x < 20 || p.y < 20 || p.x > right - 20 || p.y > box.height - 20) {
                cy.center(node);
                p = node.renderedPosition();
            }
            return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )
    assert point is not None, f"node {node_id} is not in the graph"
    # One pixel off the centre: Cytoscape 3.28's hit test for the star shape (endpoints)
    # misses the exact centre column of the star.
    return float(point[0]) + 1, float(point[1]) + 1


def node_ids(page: Any, selector: str = "node") -> set[str]:
    """Ids of the graph's nodes matching a Cytoscape selector (e.g. `node.answer`)."""
    ids = page.evaluate(
        "s => document.getElementById('graph')._cyreg.cy.elements(s).map(n => n.id())", selector
    )
    return set(ids)


def grid_rows(page: Any, grid_id: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """`fields` of the rows an AG Grid shows, in its order (filtered and sorted), read through
    the grid's API (a virtual grid keeps only the rows in view in the DOM)."""
    return page.evaluate(  # type: ignore[no-any-return]
        """([id, fields]) => { const rows = [];
            window.dash_ag_grid.getApi(id).forEachNodeAfterFilterAndSort(n => rows.push(
                Object.fromEntries(fields.map(f => [f, n.data[f]]))));
            return rows; }""",
        [grid_id, list(fields)],
    )


def wait_for_grid(page: Any, grid_id: str, rows: int | None = None) -> None:
    """Wait until the grid `grid_id` is ready and has rows (`rows` of them, if given)."""
    page.wait_for_function(
        """([id, n]) => { let api = null;
            try { api = window.dash_ag_grid.getApi(id); } catch (e) { return false; }
            const count = api.getDisplayedRowCount();
            return n === null ? count > 0 : count === n; }""",
        arg=[grid_id, rows],
    )
