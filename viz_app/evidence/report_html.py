"""The self-contained report.html: inline SVG graph, caption, details panel and tables."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from viz_app import __version__
from viz_app.evidence.report_js import REPORT_CSS, REPORT_JS
from viz_app.render.svg import Caption, esc


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&` (so no `</script>` or `<!--`)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def csp_hash(source: str) -> str:
    """A Content-Security-Policy hash source for an inline script or style."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def html_table(table: pd.DataFrame, table_id: str) -> str:
    """An HTML table of every cell, each escaped."""
    head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
    rows = []
    for record in table.itertuples(index=False):
        rows.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in record) + "</tr>")
    return (
        f'<table id="{esc(table_id)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def pictures_list(pictures: Sequence[tuple[str, str]]) -> str:
    """A section linking the picture files next to the report (relative links, same folder)."""
    if not pictures:
        return ""
    items = "".join(
        f'<li><a href="{esc(name)}">{esc(name)}</a> — {esc(about)}</li>' for name, about in pictures
    )
    return (
        f"<h2>Pictures</h2><p>Next to this file, readable when shown 1,600 px wide:</p>"
        f'<ul id="lv-pictures">{items}</ul>'
    )


def build_report_html(
    *,
    svg: str,
    caption: Caption,
    vertices: pd.DataFrame,
    edges: pd.DataFrame,
    details: Mapping[str, Mapping[str, Any]],
    pictures: Sequence[tuple[str, str]] = (),
    impact: pd.DataFrame | None = None,
) -> str:
    """The whole report as one HTML document that needs no network at all.

    `svg` is the whole graph (pan and zoom to read it); `pictures` lists the picture files
    written beside the report as (file name, what it shows). A Content-Security-Policy allows
    nothing but the inline style and script (by hash), so even a payload that slipped past
    escaping could neither run nor load anything.
    """
    policy = (
        "default-src 'none'; "
        f"script-src {csp_hash(REPORT_JS)}; style-src {csp_hash(REPORT_CSS)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    impact_part = (
        ""
        if impact is None
        else f"<h2>Impact ({len(impact)})</h2>{html_table(impact, 'lv-impact')}"
    )
    caption_items = "".join(f"<li>{esc(line)}</li>" for line in caption.lines()[1:])
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="lineage-viz {esc(__version__)}">'
        f"<title>{esc(caption.title)} — {esc(caption.start_arn)}</title>"
        f"<style>{REPORT_CSS}</style></head><body>"
        f'<header><h1>{esc(caption.title)}</h1><ul class="caption-lines" id="lv-caption">'
        f"{caption_items}</ul></header><main>"
        '<div class="toolbar"><button type="button" id="lv-zoom-in">Zoom in</button>'
        '<button type="button" id="lv-zoom-out">Zoom out</button>'
        '<button type="button" id="lv-reset">Fit</button> '
        "<small>Drag to pan, wheel to zoom, click a node for its details.</small></div>"
        f'<div class="layout"><div id="lv-graph">{svg}</div>'
        '<aside id="lv-details"><h2>Details</h2><div id="lv-details-body">'
        "Click a node.</div></aside></div>"
        f"{impact_part}{pictures_list(pictures)}"
        f"<h2>Vertices ({len(vertices)})</h2>{html_table(vertices, 'lv-vertices')}"
        f"<h2>Edges ({len(edges)})</h2>{html_table(edges, 'lv-edges')}"
        f'</main><script type="application/json" id="lv-data">{script_json(details)}</script>'
        f"<script>{REPORT_JS}</script></body></html>\n"
    )
