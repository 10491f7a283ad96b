"""How the compare page shows changes: stylesheet, legend, status line, table, old vs new."""

from __future__ import annotations

from typing import Any, Final

from dash import html

from viz_app.evidence.compare import (
    ADDED,
    CHANGED,
    MARKS,
    REMOVED,
    UNCHANGED,
    ChangeRow,
    CompareGraph,
    side_by_side,
)
from viz_app.render.stylesheet import stylesheet

CHANGED_COLOR: Final = "#CC79A7"  # Okabe-Ito reddish purple; a double border tells it apart
# How each status looks in the graph (mirrors the stylesheet rules), for the legend swatches.
LEGEND_SWATCHES: Final = (
    (ADDED, "3px dashed #56B4E9", 1.0, "only in the new store's lineage"),
    (REMOVED, "3px dotted #D55E00", 0.45, "only in the old store's lineage"),
    (CHANGED, f"5px double {CHANGED_COLOR}", 1.0, "in both; Describe fields or tags differ"),
    (UNCHANGED, "1px solid #333333", 1.0, "the same in both"),
)


def compare_stylesheet() -> list[dict[str, Any]]:
    """The app's light stylesheet plus a `changed` rule (added/removed come with it).

    Changed elements are drawn bigger and on top, so they stand out in a fitted graph; the
    selection overlay is neutral grey (the app's accent is the `removed` colour).
    """
    return [
        *stylesheet(False),
        {
            "selector": "node.added, node.removed, node.changed",
            "style": {"width": 48, "height": 48, "font-size": 14, "font-weight": "bold"},
        },
        {"selector": ".added, .removed, .changed", "style": {"z-index": 40}},
        {"selector": "node.added, node.removed", "style": {"border-width": 6}},
        {"selector": "edge.added, edge.removed", "style": {"width": 4}},
        {
            "selector": "node.changed",
            "style": {"border-color": CHANGED_COLOR, "border-width": 9, "border-style": "double"},
        },
        {
            "selector": "edge.changed",
            "style": {
                "line-color": CHANGED_COLOR,
                "target-arrow-color": CHANGED_COLOR,
                "width": 4,
                "line-style": "dashed",
            },
        },
        {"selector": ":selected", "style": {"overlay-color": "#333333", "overlay-opacity": 0.2}},
    ]


def legend() -> html.Div:
    rows = [
        html.Span(
            [
                html.Span(
                    style={
                        "display": "inline-block",
                        "width": "16px",
                        "height": "16px",
                        "borderRadius": "50%",
                        "border": border,
                        "opacity": opacity,
                        "background": "#BBBBBB",
                    }
                ),
                html.B(f"{MARKS.get(status, '')} {status}".strip()),
                html.Span(f"— {meaning}", className="muted"),
            ],
            className="legend-row",
            id=f"compare-legend-{status}",
        )
        for status, border, opacity, meaning in LEGEND_SWATCHES
    ]
    return html.Div(html.Div(rows, className="legend-grid"), className="legend")


def status_line(graph: CompareGraph, missing: list[str], outside: int) -> list[Any]:
    c = graph.counts()
    parts: list[Any] = [
        html.Span(
            f"{len(graph.node_status)} vertices ({c['vertices_added']} added, "
            f"{c['vertices_removed']} removed, {c['vertices_changed']} changed) · "
            f"{len(graph.edge_status)} edges ({c['edges_added']} added, "
            f"{c['edges_removed']} removed, {c['edges_changed']} changed)",
            className="counts",
        )
    ]
    parts += [
        html.Span(f"The start ARN is not in the {side} store.", className="warning")
        for side in missing
    ]
    if outside:
        parts.append(
            html.Span(
                f"{outside} more changes between the stores are outside this "
                "graph (`lineage-viz diff` lists them all).",
                className="muted",
            )
        )
    return parts


def change_table(rows: list[ChangeRow]) -> Any:
    if not rows:
        return html.P("No differences in this graph.", className="muted")
    head = html.Tr(
        [html.Th(t) for t in ("Status", "Element", "Type", "ARN", "Changed fields", "Note")]
    )
    body = []
    for row in rows:
        changes = html.Ul(
            [html.Li(f"{c.field}: {c.old!r} → {c.new!r}") for c in row.changes],
            style={"margin": 0, "paddingLeft": "16px"},
        )
        body.append(
            html.Tr(
                [
                    html.Td(f"{MARKS[row.status]} {row.status}"),
                    html.Td(row.element),
                    html.Td(row.kind),
                    html.Td(html.Code(row.arn), className="arn-cell"),
                    html.Td(changes if row.changes else ""),
                    html.Td(row.note, className="muted"),
                ],
                className=f"change-row change-{row.status}",
            )
        )
    return html.Table([html.Thead(head), html.Tbody(body)], className="answer-table")


def details_view(
    arn: str, status: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> list[Any]:
    head = html.Tr([html.Th("Field"), html.Th("Old"), html.Th("New")])
    rows = [
        html.Tr(
            [html.Th(("≠ " if differs else "") + name), html.Td(a), html.Td(b)],
            className="differs" if differs else "",
            style={"background": "#FFF4CE"} if differs else {},
        )
        for name, a, b, differs in side_by_side(old, new)
    ]
    notes = [
        html.P(f"Not in the {side} store.", className="warning")
        for side, doc in (("old", old), ("new", new))
        if doc is None
    ]
    return [
        html.H3(f"{MARKS.get(status, '')} {status}".strip(), className="panel-title"),
        html.Code(arn),
        *notes,
        html.Table(
            [html.Thead(head), html.Tbody(rows)], className="kv answer-table", id="compare-describe"
        ),
    ]
