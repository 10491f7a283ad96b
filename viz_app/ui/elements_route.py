"""`GET _lineage-viz/elements`: a view's packed Cytoscape elements, fetched by assets/graph.js.

The graph is the page's largest payload (≈400 KB at 2,000 vertices). Served on a plain route
it skips Dash's store handling, and the browser asks for it as soon as the URL changes,
while the Dash callbacks for the status line, trail and details run beside it.

Parameters: `search` (the page's URL query, as the browser has it) or `key` (a view key, for
views that merged more results), and `group` (repeatable: expanded group ids). The answer is
the packed elements (`packing.pack`), or `{"key": null}` when there is no view to draw (no
start, an invalid query, a failed call): the page's callbacks say why in a sentence.
"""

from __future__ import annotations

import json
from typing import Any, Final

from dash import Dash
from flask import Response, request

from viz_app.ui.backends import Backend
from viz_app.ui.elements import to_elements
from viz_app.ui.messages import region_unavailable
from viz_app.ui.packing import pack
from viz_app.ui.query_state import from_search
from viz_app.ui.view_cache import View, ViewCache, view_key

PATH: Final = "_lineage-viz/elements"
MAX_GROUPS: Final = 200  # more expanded groups than a page could have asked for is no request
NO_VIEW: Final = b'{"key":null}'
RECENT_FAILURE_S: Final = 5.0


def packed_elements(views: ViewCache, view: View, expanded: frozenset[str]) -> bytes:
    """The view's elements with `expanded` groups open, packed and serialised (memoised)."""

    def make() -> bytes:
        elements = to_elements(
            view.vertices, view.edges, start_arn=view.state.arn, expanded_groups=expanded
        )
        return json.dumps(pack(view.key, elements), separators=(",", ":")).encode()

    return views.memo("packed", (view.key, expanded), make)


def _json(body: bytes) -> Response:
    response = Response(body, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _view(backend: Backend, views: ViewCache, args: Any) -> View | None:
    # The page's query callback reports failures; this fetch does not query again for them.
    if args.get("key"):
        return views.get(str(args["key"]), RECENT_FAILURE_S)
    state = from_search(str(args.get("search", "")))
    if state.errors or state.arn is None or region_unavailable(backend.region):
        return None
    return views.get(view_key(state), RECENT_FAILURE_S)


def register(app: Dash, backend: Backend, views: ViewCache) -> None:
    """Serve the route under the app's routes prefix."""
    prefix = str(app.config.routes_pathname_prefix or "/")

    def elements() -> Response:
        groups = request.args.getlist("group")
        if len(groups) > MAX_GROUPS:
            return _json(NO_VIEW)
        try:
            view = _view(backend, views, request.args)
        except Exception:  # the query callback shows the sentence; the graph stays empty
            return _json(NO_VIEW)
        if view is None:
            return _json(NO_VIEW)
        return _json(packed_elements(views, view, frozenset(groups)))

    app.server.add_url_rule(
        prefix + PATH, endpoint="lineage_viz_elements", view_func=elements, methods=["GET"]
    )
