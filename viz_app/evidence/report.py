"""`lineage-viz report`: run one lineage query without a browser and write audit evidence."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from viz_app import __version__
from viz_app.client.directions import BOTH
from viz_app.core.model import parse_arn
from viz_app.evidence.clients import Connection, connect
from viz_app.evidence.progress import counter
from viz_app.evidence.query import (
    QueryFailed,
    QuerySpec,
    Recorder,
    describe_all,
    jsonable,
    run_query,
    sha256_hex,
)
from viz_app.evidence.report_html import build_report_html
from viz_app.evidence.tables import (
    edges_table,
    impact_table,
    vertex_labels,
    vertices_table,
)
from viz_app.render.svg import Caption, render_pages, render_svg
from viz_app.ui.elements import merge_pages, to_elements
from viz_app.ui.impact import DIRECTION_OF
from viz_app.ui.safe_csv import to_csv

NO_COLLAPSE = 10**9  # evidence shows every vertex: never fold neighbours into group nodes


@dataclass
class ReportResult:
    """What `write_report` produced."""

    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    caption: Caption | None = None
    png_error: str | None = None


def _write(result: ReportResult, name: str, data: str | bytes) -> None:
    path = result.out_dir / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="\n")
    else:
        path.write_bytes(data)
    result.files[name] = path


def _query_and_describe(
    recorder: Recorder, spec: QuerySpec, progress: argparse.Namespace
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every page, then a Describe per vertex, with their progress on stderr."""
    seen = 0
    with counter("QueryLineage", " pages", progress) as bar:

        def on_page(page: dict[str, Any]) -> None:
            nonlocal seen
            seen += len(page.get("Vertices") or [])
            bar.set_postfix_str(f"{seen} vertices", refresh=False)
            bar.update()

        pages = run_query(recorder, spec, on_page)
    vertices, edges = merge_pages(pages)
    with counter("Describe", " vertices", progress, total=len(vertices)) as bar:
        descriptions = describe_all(recorder, vertices, bar.update)
    return vertices, edges, descriptions


def write_report(
    conn: Connection,
    spec: QuerySpec,
    out_dir: Path,
    *,
    png: bool = True,
    impact: str | None = None,
    progress: argparse.Namespace | None = None,
) -> ReportResult:
    """Query, describe every vertex, and write the report files plus manifest.json; with
    `impact` ("downstream" or "upstream", the query's direction), impact.csv and the impact
    list in report.html too. `progress` holds the command's `--progress`/`--quiet` choice
    (stderr only).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    result = ReportResult(out_dir)
    recorder = Recorder(conn.client)
    vertices, edges, descriptions = _query_and_describe(
        recorder, spec, progress or argparse.Namespace(progress=False)
    )
    labels = vertex_labels(vertices, descriptions)
    elements = to_elements(
        vertices, edges, start_arn=spec.start_arn, labels=labels, collapse_threshold=NO_COLLAPSE
    )
    parsed = parse_arn(spec.start_arn)
    now = datetime.now(UTC)
    caption = Caption(
        start_arn=spec.start_arn,
        direction=spec.direction,
        depth=spec.depth,
        vertices=len(vertices),
        edges=len(edges),
        account=conn.account or (parsed.account if parsed else None),
        region=conn.region,
        types=spec.types,
        lineage_types=spec.lineage_types,
        generated_at=now,
        source=conn.backend,
    )
    result.caption = caption
    pictures = picture_files(render_pages(elements, caption))
    v_table = vertices_table(vertices, descriptions, start_arn=spec.start_arn)
    e_table = edges_table(edges, labels)
    i_table = (
        impact_table(spec.start_arn, vertices, edges, descriptions, impact) if impact else None
    )
    by_arn = {v["Arn"]: v for v in vertices}
    details = {
        arn: {
            "arn": arn,
            "label": labels[arn],
            "lineage_type": vertex.get("LineageType", ""),
            "type": vertex.get("Type"),
            "describe": jsonable(descriptions.get(arn, {})),
        }
        for arn, vertex in by_arn.items()
    }
    html_text = build_report_html(
        svg=render_svg(elements, caption),
        caption=caption,
        vertices=v_table,
        edges=e_table,
        details=details,
        pictures=[(name, about) for name, about, _ in pictures],
        impact=i_table,
    )
    for name, _, svg in pictures:
        _write(result, name, svg)
    _write(result, "vertices.csv", to_csv(v_table))
    _write(result, "edges.csv", to_csv(e_table))
    if i_table is not None:
        _write(result, "impact.csv", to_csv(i_table))
    query_doc = {
        "tool": "lineage-viz",
        "version": __version__,
        "query": spec.request(),
        "exchanges": [x.to_json() for x in recorder.exchanges],
    }
    _write(result, "query.json", json.dumps(query_doc, indent=2, sort_keys=True) + "\n")
    _write(result, "report.html", html_text)
    if png:
        _maybe_png(result, [name for name, _, _ in pictures])
    _write(result, "manifest.json", _manifest(conn, spec, result, recorder, now) + "\n")
    return result


def picture_files(pages: list[str]) -> list[tuple[str, str, str]]:
    """(file name, what it shows, SVG) for `render_pages` output: graph.svg is the single page
    or the overview, graph-page-N.svg page N of a split graph."""
    if len(pages) == 1:
        return [("graph.svg", "the whole graph with the caption", pages[0])]
    count = len(pages) - 1
    files = [("graph.svg", f"overview: where each of the {count} pages lies", pages[0])]
    files += [
        (f"graph-page-{n}.svg", f"page {n} of {count}, every label readable", svg)
        for n, svg in enumerate(pages[1:], start=1)
    ]
    return files


def _maybe_png(result: ReportResult, names: list[str]) -> None:
    """A PNG of every picture SVG (same stem), rasterised from the very file written."""
    from viz_app.chromium import chromium_available
    from viz_app.evidence.png import svgs_to_png

    if not chromium_available():
        result.png_error = "Chromium not found at /usr/bin/chromium; PNG pictures skipped"
        return
    jobs = [(result.files[name], result.out_dir / name.replace(".svg", ".png")) for name in names]
    for path in svgs_to_png(jobs):
        result.files[path.name] = path


def _manifest(
    conn: Connection, spec: QuerySpec, result: ReportResult, recorder: Recorder, now: datetime
) -> str:
    files = {
        name: {"sha256": sha256_hex(path.read_bytes()), "bytes": path.stat().st_size}
        for name, path in sorted(result.files.items())
    }
    responses = []
    for index, exchange in enumerate(recorder.exchanges):
        entry = exchange.to_json()
        responses.append(
            {
                "index": index,
                "operation": exchange.operation,
                "request_id": exchange.request_id,
                "response_sha256": entry.get("response_sha256"),
                "raw_body_sha256": exchange.raw_sha256,
                "error": exchange.error,
            }
        )
    caption = result.caption
    doc: dict[str, Any] = {
        "tool": "lineage-viz",
        "version": __version__,
        "generated_utc": jsonable(now),
        "backend": conn.backend,
        "account": caption.account if caption else conn.account,
        "region": conn.region,
        "caller_identity_arn": conn.caller_arn,
        "query": spec.request(),
        "counts": {"vertices": caption.vertices, "edges": caption.edges} if caption else {},
        "files": files,
        "responses": responses,
        "png_note": result.png_error,
    }
    return json.dumps(doc, indent=2, sort_keys=True)


def run_report(args: argparse.Namespace) -> int:
    """`lineage-viz report`: exit 0 on success, 1 when the query fails (or asks two ways)."""
    impact = getattr(args, "impact", None)
    if impact and args.direction not in (BOTH, DIRECTION_OF[impact]):
        print(
            f"error: --impact {impact} walks {DIRECTION_OF[impact]}; drop --direction "
            f"{args.direction} or change the side",
            file=sys.stderr,
        )
        return 1
    spec = QuerySpec(
        start_arn=args.arn,
        direction=DIRECTION_OF[impact] if impact else args.direction,
        depth=args.depth,
        types=tuple(args.type or ()),
        lineage_types=tuple(args.lineage_type or ()),
    )
    parsed = parse_arn(args.arn)
    try:
        with connect(
            args, region_hint=parsed.region if parsed else None, exact_times=False
        ) as conn:
            result = write_report(
                conn, spec, Path(args.out), png=not args.no_png, impact=impact, progress=args
            )
    except QueryFailed as err:
        print(f"error: QueryLineage failed: {err}", file=sys.stderr)
        return 1
    if result.png_error:
        print(f"note: {result.png_error}", file=sys.stderr)
    for name in sorted(result.files):
        print(result.files[name])
    return 0
