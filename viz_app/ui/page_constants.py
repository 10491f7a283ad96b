"""What the page's scripts (assets/*.js) must agree on with Python, handed to them from here.

Element ids, route paths, class names, colours and the readable-label zoom are served as one
small script, `window.lineageVizConstants`, which the page loads before its assets (a Dash
external script), so no script keeps its own copy of a Python constant.
"""

from __future__ import annotations

import json
from typing import Any, Final

from dash import Dash
from flask import Response

from viz_app.render.stylesheet import (
    COLOR_BY_LINEAGE_TYPE,
    DETAIL_CLASS,
    NODE_LABEL_MIN_PX,
    READABLE_ZOOM,
    RUN_BOX,
    RUN_TITLE_OVER,
)
from viz_app.ui import elements_route, ids, run_layout
from viz_app.ui.query_state import ARRANGE, BY_RUN

ROUTE: Final = "_lineage-viz/constants.js"
# Classes graph.js puts on elements to highlight them (styled in render/stylesheet.py).
HIGHLIGHT_CLASSES: Final = (
    "highlighted",
    "selected-path",
    "faded",
    "answer",
    "added",
    "search-hit",
)


def constants() -> dict[str, Any]:
    """Everything the scripts read from `window.lineageVizConstants`."""
    return {
        "ids": {
            "graph": ids.GRAPH,
            "dbltapStore": ids.DBLTAP_STORE,
            "searchStatus": ids.SEARCH_STATUS,
            "drawnStore": ids.DRAWN_STORE,
            "selectedStore": ids.SELECTED_STORE,
            "detailsCard": ids.DETAILS_CARD,
            "focus": ids.FOCUS,
            "fit": ids.FIT,
            "zoomIn": ids.ZOOM_IN,
            "zoomOut": ids.ZOOM_OUT,
            "centre": ids.CENTRE,
            "reroot": ids.REROOT,
            "answer": ids.ANSWER,
        },
        "paths": {
            "elements": elements_route.PATH,
            "names": elements_route.NAMES_PATH,
            "progress": elements_route.PROGRESS_PATH,
            "stop": elements_route.STOP_PATH,
        },
        "classes": {
            "detail": DETAIL_CLASS,
            "highlights": " ".join(HIGHLIGHT_CLASSES),
            "runBox": RUN_BOX,
        },
        "colors": dict(COLOR_BY_LINEAGE_TYPE),
        "readableZoom": READABLE_ZOOM,
        "arrange": {"param": ARRANGE, "byRun": BY_RUN},
        "titleMinPx": NODE_LABEL_MIN_PX,
        "titles": {
            "minModelPx": run_layout.TITLE_PX,
            "band": run_layout.TITLE_BAND,
            "overClass": RUN_TITLE_OVER,
        },
    }


def script() -> str:
    return "window.lineageVizConstants = " + json.dumps(constants(), sort_keys=True) + ";\n"


def register(app: Dash) -> None:
    """Serve the script under the app's routes prefix (the page asks for it by
    `external_script`)."""
    body = script()
    prefix = str(app.config.routes_pathname_prefix or "/")
    app.server.add_url_rule(
        prefix + ROUTE,
        endpoint="lineage_viz_constants",
        view_func=lambda: Response(body, mimetype="text/javascript"),
        methods=["GET"],
    )


def external_script(requests_pathname_prefix: str) -> str:
    """The script's URL as the browser asks for it (behind a proxy prefix too)."""
    return requests_pathname_prefix.rstrip("/") + "/" + ROUTE
