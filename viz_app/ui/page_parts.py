"""Small parts of the explorer page: the legend (light or dark) and the export bar."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from viz_app.render.stylesheet import legend_data_uri, legend_entries
from viz_app.ui import ids

EXPORTS = (
    (ids.EXPORT_PNG, "PNG", "The whole graph as a PNG image, with the caption"),
    (ids.EXPORT_SVG, "SVG", "The whole graph as an SVG image, with the caption"),
    (ids.EXPORT_VERTICES, "Vertices CSV", "Every vertex of the view as CSV"),
    (ids.EXPORT_EDGES, "Edges CSV", "Every edge of the view as CSV"),
    (ids.EXPORT_PAGES, "Pages JSON", "Every QueryLineage request and response page as JSON"),
)


def legend_rows(dark: bool) -> list[Any]:
    """One row per legend entry, in the palette of the current theme."""
    return [
        html.Div(
            className="legend-row",
            children=[
                html.Img(src=legend_data_uri(entry), alt="", width=18, height=18),
                html.Span(entry.label),
            ],
        )
        for entry in legend_entries(dark=dark)
    ]


def legend() -> html.Details:
    """The legend panel under the graph (light rows until the theme callback runs)."""
    return html.Details(
        id=ids.LEGEND,
        className="legend",
        open=True,
        children=[
            html.Summary("Legend"),
            html.Div(legend_rows(False), id=ids.LEGEND_GRID, className="legend-grid"),
        ],
    )


def export_bar() -> html.Div:
    """Buttons that download the current view, and where export problems are said."""
    buttons = [
        html.Button(text, id=button_id, n_clicks=0, className="btn small", title=title)
        for button_id, text, title in EXPORTS
    ]
    return html.Div(
        className="export-bar",
        children=[
            html.Span("Export:", className="muted"),
            *buttons,
            html.Span(id=ids.EXPORT_ERROR, className="error-text", role="alert"),
            dcc.Store(id=ids.PNG_SVG_STORE, data=None),
        ],
    )
