"""Callbacks for the vertex and edge tables and the summary charts.

Their "Download CSV" buttons are answered by the export bar's callback (`callbacks_export`),
so both save the same file under the same name.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output

from viz_app.ui import ids
from viz_app.ui.names import NameBook, with_names
from viz_app.ui.tables import (
    counts_figure,
    edge_frame,
    table_props,
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
        Output(ids.VERTEX_TABLE, "data"),
        Output(ids.VERTEX_TABLE, "columns"),
        Output(ids.EDGE_TABLE, "data"),
        Output(ids.EDGE_TABLE, "columns"),
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
        v_data, v_cols = table_props(vertex_frame(vertices, described))
        e_data, e_cols = table_props(edge_frame(edges, vertices, described))
        return (
            v_data,
            v_cols,
            e_data,
            e_cols,
            counts_figure(vertices, dark),
            timeline_figure(vertices, described, dark),
        )
