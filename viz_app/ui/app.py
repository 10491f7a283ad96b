"""`create_app(backend)`: the explorer's Dash app (none at module level, so tests can build two)."""

from __future__ import annotations

from pathlib import Path

from dash import Dash, Input, Output, State

from viz_app.binding import HostAllowList
from viz_app.ui import (
    callbacks_details,
    callbacks_export,
    callbacks_navigation,
    callbacks_query,
    callbacks_questions,
    callbacks_tables,
    elements_route,
    ids,
    page_constants,
)
from viz_app.ui.backends import Backend
from viz_app.ui.hardening import harden
from viz_app.ui.page_layout import build_layout
from viz_app.ui.view_build import new_cache


def assets_folder() -> str:
    """The `viz_app/assets` folder a wheel ships, or the checkout's `assets/` (editable install).

    A plain path on purpose: `importlib.resources` answers a MultiplexedPath for this
    namespace package, whose str() is not a folder, and Dash then serves no asset at all.
    """
    package = Path(__file__).resolve().parents[1]
    shipped = package / "assets"
    if (shipped / "style.css").is_file():
        return str(shipped)
    return str(package.parent / "assets")


def caption(backend: Backend) -> str:
    """Which lineage the page shows: backend, region and account."""
    account = backend.account_id or "unknown account"
    source = "local lineage service" if backend.label == "local" else "AWS"
    return f"{source} · {backend.region} · {account}"


def create_app(
    backend: Backend,
    requests_pathname_prefix: str = "/",
    *,
    hosts: HostAllowList | None = None,
    framed: bool = False,
    proxied: bool = False,
) -> Dash:
    """A new Dash app wired to `backend`; every asset is served locally (no CDN).

    Query results stay in this app's own view cache; the page only holds their keys.
    `requests_pathname_prefix` is where a proxy (e.g. Jupyter's) serves the app; the app never
    touches the process's logging. It answers only to `hosts` (loopback names and
    `LINEAGE_VIZ_ALLOWED_HOSTS` by default), and, when `proxied` (behind a Jupyter server's
    proxy at that prefix), to what the proxy forwards; `framed` lets other pages frame it.
    """
    app = Dash(
        __name__,
        assets_folder=assets_folder(),
        serve_locally=True,
        title="lineage-viz",
        update_title="",
        compress=False,
        add_log_handler=False,
        requests_pathname_prefix=requests_pathname_prefix,
        # Ids, routes and classes the assets share with Python, loaded before them.
        external_scripts=[page_constants.external_script(requests_pathname_prefix)],
    )
    harden(
        app.server,
        hosts,
        framed=framed,
        proxied_at=requests_pathname_prefix if proxied else None,
    )
    app.layout = build_layout(caption(backend))
    views = new_cache(backend)
    app.server.extensions["lineage_viz_views"] = views  # for tests and benchmarks
    callbacks_navigation.register(app, backend)
    callbacks_query.register(app, backend, views)
    elements_route.register(app, backend, views)
    page_constants.register(app)
    callbacks_details.register(app, backend, views)
    callbacks_questions.register(app, backend, views)
    callbacks_tables.register(app, views, backend.names)
    callbacks_export.register(app, backend, views)
    app.clientside_callback(  # type: ignore[no-untyped-call]
        """function(f, zi, zo, c, fo, selected) {
            var t = (window.dash_clientside.callback_context.triggered_id) || '';
            if (window.lineageViz) { window.lineageViz.control(t, selected); }
            return null;
        }""",
        Output(ids.NOOP_STORE, "data", allow_duplicate=True),
        Input(ids.FIT, "n_clicks"),
        Input(ids.ZOOM_IN, "n_clicks"),
        Input(ids.ZOOM_OUT, "n_clicks"),
        Input(ids.CENTRE, "n_clicks"),
        Input(ids.FOCUS, "n_clicks"),
        State(ids.SELECTED_STORE, "data"),
        prevent_initial_call=True,
    )
    # "Runs": each pipeline run in a frame. The URL keeps it, so links and re-roots do too.
    app.clientside_callback(  # type: ignore[no-untyped-call]
        """function(clicks, search) {
            var a = window.lineageVizConstants.arrange, p = new URLSearchParams(search || '');
            if (p.get(a.param) === a.byRun) { p.delete(a.param); } else { p.set(a.param, a.byRun); }
            return '?' + p.toString();
        }""",
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.ARRANGE, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        """function(search) {
            var a = window.lineageVizConstants.arrange;
            var on = new URLSearchParams(search || '').get(a.param) === a.byRun;
            return [on ? 'btn small active' : 'btn small', String(on)];
        }""",
        Output(ids.ARRANGE, "className"),
        Output(ids.ARRANGE, "aria-pressed"),
        Input(ids.URL, "search"),
    )
    # The details card folds to its title bar (and opens again when a node is clicked).
    app.clientside_callback(  # type: ignore[no-untyped-call]
        """function(clicks, selected) {
            var card = document.getElementById('details-card');
            var t = window.dash_clientside.callback_context.triggered_id;
            var fold = t === 'details-toggle' ? !card.classList.contains('folded') : false;
            card.classList.toggle('folded', fold);
            return fold ? 'Show' : 'Hide';
        }""",
        Output(ids.DETAILS_TOGGLE, "children"),
        Input(ids.DETAILS_TOGGLE, "n_clicks"),
        Input(ids.SELECTED_STORE, "data"),
        prevent_initial_call=True,
    )
    # Where to start: shown over the empty graph only.
    app.clientside_callback(  # type: ignore[no-untyped-call]
        """function(search) {
            var has = new URLSearchParams(search || '').get('arn');
            return [has ? 'landing hidden' : 'landing', has ? 'graph-stage' : 'graph-stage empty'];
        }""",
        Output(ids.LANDING, "className"),
        Output(ids.GRAPH_STAGE, "className"),
        Input(ids.URL, "search"),
    )
    return app
