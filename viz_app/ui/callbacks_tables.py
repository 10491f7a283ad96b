"""Callbacks for the vertex and edge grids and the summary charts.

Their "Download CSV" buttons ask assets/grid.js which rows the grid shows (filtered and
sorted), and the export bar's callback (`callbacks_export`) saves those rows under the same
file name as its own buttons, through the formula-safe writer.
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State

from viz_app.ui import ids
from viz_app.ui.names import NameBook, with_names
from viz_app.ui.tables import (
    counts_figure,
    edge_frame,
    grid_rows,
    timeline_figure,
    vertex_frame,
)
from viz_app.ui.view_cache import ViewCache


def _data(views: ViewCache, key: Any) -> dict[str, Any]:
    try:
        return views.get(key).as_data() if isinstance(key, str) else {}
    except Exception:  # the graph's own callback says what went wrong
        return {}


def register(app: Dash, views: ViewCache, names: NameBook) -> None:
    """Wire the table callbacks: they read the view on screen from `views`.

    They run once the graph is drawn (the drawn key), so they never delay the graph.
    """

    @app.callback(
        Output(ids.VERTEX_TABLE, "rowData"),
        Output(ids.EDGE_TABLE, "rowData"),
        Output(ids.SUMMARY_COUNTS, "figure"),
        Output(ids.SUMMARY_TIMELINE, "figure"),
        Input(ids.DRAWN_STORE, "data"),
        Input(ids.DESCRIBE_STORE, "data"),
        Input(ids.DARK, "value"),
    )
    def fill(
        drawn: str | None, described: dict[str, Any] | None, dark_value: list[str] | None
    ) -> tuple[Any, ...]:
        dark = bool(dark_value)
        data = _data(views, drawn)
        vertices = data.get("vertices", [])
        edges = data.get("edges", [])
        described = with_names(names, vertices, described)
        return (
            grid_rows(vertex_frame(vertices, described, keyed=True)),
            grid_rows(edge_frame(edges, vertices, described, keyed=True)),
            counts_figure(vertices, dark),
            timeline_figure(vertices, described, dark),
        )

    # Which rows, in which order, the grid shows: every row (null) unless filtered or sorted.
    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(namespace="lineageGrid", function_name="shownRows"),
        Output(ids.TABLE_EXPORT_STORE, "data"),
        Input(ids.DOWNLOAD_VERTICES, "n_clicks"),
        Input(ids.DOWNLOAD_EDGES, "n_clicks"),
        State(ids.DRAWN_STORE, "data"),
        prevent_initial_call=True,
    )
