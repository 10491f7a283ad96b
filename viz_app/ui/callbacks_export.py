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
from viz_app.ui.table_export import TableExportError, TableRequest, table_request
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
        # A table's "Download CSV" (the rows its grid shows) saves under the export bar's names.
        Input(ids.TABLE_EXPORT_STORE, "data"),
        State(ids.GRAPH_STORE, "data"),
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
        table_ask: dict[str, Any] | None,
        summary: dict[str, Any] | None,
        described: dict[str, Any] | None,
        groups: list[str] | None,
    ) -> tuple[Any, Any, Any]:
        if ctx.triggered_id == ids.TABLE_EXPORT_STORE and not table_ask:
            return no_update, no_update, no_update  # the store's first (empty) value
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
        vertices, edges = data["vertices"], data["edges"]
        shown: TableRequest | None = None
        if trigger == ids.TABLE_EXPORT_STORE:
            counts = {"vertices": len(vertices), "edges": len(edges)}
            try:
                shown = table_request(table_ask, view.key, counts)
            except TableExportError as exc:
                return no_update, no_update, str(exc)
        # Exports wait until every name is known: evidence carries no hash for a name.
        described = with_names(
            backend.names,
            data["vertices"],
            described,
            every_kind=trigger == ids.EXPORT_VERTICES or bool(shown and shown.table == "vertices"),
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
        rows = shown.rows if shown else None
        if trigger == ids.EXPORT_EDGES or bool(shown and shown.table == "edges"):
            picked = edges if rows is None else [edges[i] for i in rows]
            csv, name = to_csv(edge_frame(picked, vertices, described)), "edges"
        elif rows is None:
            csv, name = to_csv(vertex_frame(vertices, described)), "vertices"
        else:  # the grid's rows in the grid's order
            picked = [vertices[i] for i in rows]
            csv, name = to_csv(vertex_frame(picked, described, ordered=False)), "vertices"
        return text_download(csv, f"{stem}-{name}.csv", "text/csv"), no_update, ""

    # assets/export.js draws the SVG into a canvas and hands the PNG bytes to the download.
    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(namespace="lineageExport", function_name="png"),
        Output(ids.NOOP_STORE, "data", allow_duplicate=True),
        Input(ids.PNG_SVG_STORE, "data"),
        prevent_initial_call=True,
    )
