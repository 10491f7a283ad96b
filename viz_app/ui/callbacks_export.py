"""Callbacks for the export bar: captioned SVG and PNG, CSV tables, raw QueryLineage pages."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from viz_app.ui import ids
from viz_app.ui.backends import Backend
from viz_app.ui.callbacks_query import view_of
from viz_app.ui.export import base_name, pages_json, text_download, view_caption, view_svg
from viz_app.ui.messages import explain
from viz_app.ui.names import with_names
from viz_app.ui.safe_csv import to_csv
from viz_app.ui.tables import edge_frame, vertex_frame
from viz_app.ui.view_cache import ViewCache

NOTHING = "Open a view first: there is nothing to export yet."
INCOMPLETE_TITLE = "Amazon SageMaker ML lineage (INCOMPLETE: paging stopped early)"


def source_label(backend: Backend) -> str:
    """Where the lineage came from, for captions (never an endpoint URL or a credential)."""
    return "local lineage service" if backend.label == "local" else "AWS"


def register(app: Dash, backend: Backend, views: ViewCache) -> None:
    """Wire the export callbacks for `backend` (its account and region go in the caption)."""

    @app.callback(
        Output(ids.DOWNLOAD, "data", allow_duplicate=True),
        Output(ids.PNG_SVG_STORE, "data"),
        Output(ids.EXPORT_ERROR, "children"),
        Input(ids.EXPORT_PNG, "n_clicks"),
        Input(ids.EXPORT_SVG, "n_clicks"),
        Input(ids.EXPORT_VERTICES, "n_clicks"),
        Input(ids.EXPORT_EDGES, "n_clicks"),
        Input(ids.EXPORT_PAGES, "n_clicks"),
        # The tables' "Download CSV" buttons save the very same files as the export bar's.
        Input(ids.DOWNLOAD_VERTICES, "n_clicks"),
        Input(ids.DOWNLOAD_EDGES, "n_clicks"),
        State(ids.VIEW_STORE, "data"),
        State(ids.DESCRIBE_STORE, "data"),
        State(ids.GROUPS_STORE, "data"),
        prevent_initial_call=True,
    )
    def export(
        _png: int,
        _svg: int,
        _vertices: int,
        _edges: int,
        _pages: int,
        _table_vertices: int | None,
        _table_edges: int | None,
        summary: dict[str, Any] | None,
        described: dict[str, Any] | None,
        groups: list[str] | None,
    ) -> tuple[Any, Any, Any]:
        try:
            view = view_of(views, summary)
        except Exception as exc:
            return no_update, no_update, explain(exc)
        if view is None or not view.vertices:
            return no_update, no_update, NOTHING
        data, queries = view.as_data(), view.records
        caption = view_caption(
            view.state,
            data,
            account=backend.account_id,
            region=backend.region,
            source=source_label(backend),
        )
        if data.get("truncated"):
            caption = replace(caption, title=INCOMPLETE_TITLE)
        stem = base_name(caption)
        trigger = ctx.triggered_id
        # Exports wait until every name is known: evidence carries no hash for a name.
        described = with_names(
            backend.names,
            data["vertices"],
            described,
            every_kind=trigger in (ids.EXPORT_VERTICES, ids.DOWNLOAD_VERTICES),
        )
        if trigger in (ids.EXPORT_SVG, ids.EXPORT_PNG):
            labels = {a: d["label"] for a, d in described.items()}
            svg = view_svg(data, caption, labels, frozenset(groups or []))
            if trigger == ids.EXPORT_SVG:
                return text_download(svg, f"{stem}.svg", "image/svg+xml"), no_update, ""
            return no_update, {"svg": svg, "filename": f"{stem}.png"}, ""
        if trigger == ids.EXPORT_PAGES:
            content = pages_json(list(queries), caption)
            return text_download(content, f"{stem}-pages.json", "application/json"), no_update, ""
        vertices, edges = data["vertices"], data["edges"]
        if trigger in (ids.EXPORT_EDGES, ids.DOWNLOAD_EDGES):
            csv, name = to_csv(edge_frame(edges, vertices, described)), "edges"
        else:
            csv, name = to_csv(vertex_frame(vertices, described)), "vertices"
        return text_download(csv, f"{stem}-{name}.csv", "text/csv"), no_update, ""

    # assets/export.js draws the SVG into a canvas and hands the PNG bytes to the download.
    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(namespace="lineageExport", function_name="png"),
        Output(ids.NOOP_STORE, "data", allow_duplicate=True),
        Input(ids.PNG_SVG_STORE, "data"),
        prevent_initial_call=True,
    )
