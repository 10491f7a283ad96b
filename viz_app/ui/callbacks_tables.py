"""Callbacks for the vertex and edge tables, the summary charts and CSV downloads."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State, ctx, no_update

from viz_app.ui import ids
from viz_app.ui.names import NameBook
from viz_app.ui.tables import (
    counts_figure,
    edge_frame,
    table_props,
    timeline_figure,
    vertex_frame,
)
from viz_app.ui.view_cache import ViewCache


def csv_download(frame: pd.DataFrame, filename: str) -> dict[str, Any]:
    """What dcc.Download needs to save `frame` as a CSV file."""
    return {
        "content": frame.to_csv(index=False),
        "filename": filename,
        "type": "text/csv",
        "base64": False,
    }


def _data(views: ViewCache, key: Any) -> dict[str, Any]:
    try:
        return views.get(key).as_data() if isinstance(key, str) else {}
    except Exception:  # the graph's own callback says what went wrong
        return {}


def with_names(
    names: NameBook, vertices: list[dict[str, Any]], described: dict[str, Any] | None
) -> dict[str, Any]:
    """Names, sources and creation times of `vertices` (fetched where missing), with what
    the page's Describe calls added (creation times of the clicked entities)."""
    out: dict[str, Any] = names.described(vertices, fetch=True)
    for arn, extra in (described or {}).items():
        if arn in out and extra.get("created") and not out[arn]["created"]:
            out[arn] = {**out[arn], "created": extra["created"]}
    return out


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

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_VERTICES, "n_clicks"),
        Input(ids.DOWNLOAD_EDGES, "n_clicks"),
        State(ids.VIEW_STORE, "data"),
        State(ids.DESCRIBE_STORE, "data"),
        prevent_initial_call=True,
    )
    def download(
        _v: int | None,
        _e: int | None,
        summary: dict[str, Any] | None,
        described: dict[str, Any] | None,
    ) -> Any:
        data = _data(views, (summary or {}).get("key"))
        if data:
            described = with_names(names, data["vertices"], described)
        if not data:
            return no_update
        vertices, edges = data["vertices"], data["edges"]
        if ctx.triggered_id == ids.DOWNLOAD_EDGES:
            return csv_download(edge_frame(edges, vertices, described), "lineage-edges.csv")
        return csv_download(vertex_frame(vertices, described), "lineage-vertices.csv")
