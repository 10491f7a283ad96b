"""Outside Jupyter: the same answer as one self-contained HTML file (the evidence report page)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from viz_app.evidence.query import jsonable
from viz_app.evidence.report_html import build_report_html
from viz_app.evidence.tables import edges_table, vertex_labels, vertices_table
from viz_app.notebook.data import LineageInput
from viz_app.render.svg import Caption, render_svg
from viz_app.ui.elements import to_elements

NO_COLLAPSE = 10**9  # a file cannot expand groups: show every vertex


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")[:60] or "lineage"


def default_path(title: str | None) -> Path:
    """A new file in a fresh temporary folder, named after the title."""
    folder = Path(tempfile.mkdtemp(prefix="lineage-viz-"))
    return folder / f"{_slug(title or 'lineage')}.html"


def write_html(
    data: LineageInput,
    *,
    start: str | None,
    direction: str,
    depth: int,
    title: str | None,
    path: str | Path | None = None,
    descriptions: Mapping[str, Mapping[str, Any]] | None = None,
    source: str | None = None,
    region: str | None = None,
    account: str | None = None,
) -> Path:
    """Write the graph, its details and tables as one HTML file that needs no network."""
    descriptions = descriptions or {}
    labels = vertex_labels(data.vertices, descriptions)
    elements = to_elements(
        data.vertices, data.edges, start_arn=start, labels=labels, collapse_threshold=NO_COLLAPSE
    )
    caption = Caption(
        start_arn=start or "(not given)",
        direction=direction,
        depth=depth,
        vertices=len(data.vertices),
        edges=len(data.edges),
        account=account,
        region=region,
        source=source,
        title=title or "Amazon SageMaker ML lineage",
    )
    details = {
        v["Arn"]: {
            "arn": v["Arn"],
            "label": labels[v["Arn"]],
            "lineage_type": v.get("LineageType", ""),
            "type": v.get("Type"),
            "describe": jsonable(dict(descriptions.get(v["Arn"], {}))),
        }
        for v in data.vertices
    }
    text = build_report_html(
        svg=render_svg(elements, caption),
        caption=caption,
        vertices=vertices_table(data.vertices, descriptions, start_arn=start),
        edges=edges_table(data.edges, labels),
        details=details,
    )
    out = Path(path) if path is not None else default_path(title)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8", newline="\n")
    return out
