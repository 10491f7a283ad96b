"""`create_compare_app(old, new, ...)`: a Dash page colouring what changed between two stores."""

from __future__ import annotations

from typing import Any, Final

import dash_cytoscape as cyto
from botocore.exceptions import ClientError
from dash import Dash, Input, Output, dcc, html, no_update

from viz_app.binding import HostAllowList
from viz_app.client.directions import BOTH, DIRECTIONS
from viz_app.evidence.compare import UNCHANGED, compare_graphs, start_choices
from viz_app.evidence.compare_view import (
    change_table,
    compare_stylesheet,
    details_view,
    legend,
    status_line,
)
from viz_app.evidence.diff import StoreDiff
from viz_app.ui.app import assets_folder
from viz_app.ui.backends import Backend
from viz_app.ui.elements import Edge, Vertex, merge_pages
from viz_app.ui.hardening import harden

START_INPUT: Final = "compare-start"
CHANGED_DROPDOWN: Final = "compare-changed"
DIRECTION: Final = "compare-direction"
DEPTH: Final = "compare-depth"
STATUS: Final = "compare-status"
GRAPH: Final = "compare-graph"
DETAILS: Final = "compare-details"
TABLE: Final = "compare-table"

ONE_LINE: Final = {"whiteSpace": "nowrap", "overflow": "hidden", "textOverflow": "ellipsis"}
NOT_FOUND_CODES: Final = frozenset({"ResourceNotFound", "ResourceNotFoundException"})


def _layout(
    caption: str, choices: list[tuple[str, str]], arn: str, direction: str, depth: int
) -> html.Div:
    controls = html.Div(
        [
            html.Label("Start ARN", htmlFor=START_INPUT, className="field-label"),
            dcc.Input(
                id=START_INPUT,
                value=arn,
                debounce=True,
                className="start-input",
                style={"width": "100%"},
            ),
            html.Label("Or start from an entity that changed", className="field-label"),
            dcc.Dropdown(
                id=CHANGED_DROPDOWN,
                options=[{"label": label, "value": value} for label, value in choices],
                placeholder=f"{len(choices)} entities touched by the diff (endpoints first)",
            ),
            html.Div(
                [
                    html.Label("Direction", className="field-label"),
                    dcc.RadioItems(
                        id=DIRECTION,
                        options=list(DIRECTIONS),
                        value=direction,
                        inline=True,
                        className="radio",
                    ),
                    html.Label("Depth", htmlFor=DEPTH, className="field-label"),
                    dcc.Input(
                        id=DEPTH,
                        type="number",
                        min=1,
                        max=10,
                        step=1,
                        value=depth,
                        debounce=True,
                        style={"width": "70px"},
                    ),
                ],
            ),
        ],
        className="panel",
    )
    graph = cyto.Cytoscape(
        id=GRAPH,
        elements=[],
        layout={"name": "preset", "fit": True, "padding": 30},
        stylesheet=compare_stylesheet(),
        style={"width": "100%", "height": "100%"},
        minZoom=0.05,
        maxZoom=4,
        boxSelectionEnabled=False,
    )
    # The graph sits in the top row, under a fixed header: nothing above it changes height
    # after Cytoscape has measured where it is (it caches that to map clicks to nodes).
    return html.Div(
        [
            html.Div(
                [
                    html.H1("lineage-viz · compare", className="title"),
                    html.Span(caption, className="caption", style=ONE_LINE),
                ],
                className="header",
            ),
            html.Div(
                [
                    controls,
                    html.Div(
                        [
                            html.Div(graph, className="graph-box"),
                            html.Div(id=STATUS, className="status"),
                            legend(),
                        ],
                        className="graph-area",
                    ),
                    html.Div(
                        html.Div(
                            "Click a node to see its old and new Describe.", className="muted"
                        ),
                        id=DETAILS,
                        className="panel details details-panel",
                    ),
                ],
                className="main compare-main",
                style={"gridTemplateColumns": "280px minmax(0, 1fr) 440px"},
            ),
            html.Div(
                [html.H2("Changes in this graph", className="panel-subtitle"), html.Div(id=TABLE)],
                className="bottom",
            ),
        ],
        className="page",
    )


def _query(
    backend: Backend, arn: str, direction: str, depth: int
) -> tuple[list[Vertex], list[Edge], bool]:
    """Every page of the question, merged; (…, False) when the start is not in that store."""
    try:
        result = backend.query_all_pages(arn, direction, depth)
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") in NOT_FOUND_CODES:
            return [], [], False
        raise
    vertices, edges = merge_pages(result.pages)
    return vertices, edges, True


def _describe(backend: Backend, arn: str) -> dict[str, Any] | None:
    try:
        return backend.describe(arn)
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") in NOT_FOUND_CODES:
            return None
        raise


def create_compare_app(
    old_backend: Backend,
    new_backend: Backend,
    diff: StoreDiff,
    *,
    arn: str | None = None,
    direction: str = BOTH,
    depth: int = 10,
    caption: str = "old → new",
    hosts: HostAllowList | None = None,
) -> Dash:
    """A new Dash compare app over two backends; `diff` is `diff_stores(old, new)`."""
    app = Dash(
        __name__,
        assets_folder=assets_folder(),
        assets_ignore=r".*\.js$",  # the explorer's scripts drive its own page, not this one
        serve_locally=True,
        title="lineage-viz compare",
        update_title="",
        compress=False,
    )
    harden(app.server, hosts)
    choices = start_choices(diff)
    first = arn or (choices[0][1] if choices else "")
    app.layout = _layout(caption, choices, first, direction, depth)
    diff_keys = {
        e.arn for s in ("added", "removed", "changed") for e in getattr(diff, f"{s}_entities")
    }
    diff_pairs = {
        (a.source_arn, a.destination_arn)
        for s in ("added", "removed", "changed")
        for a in getattr(diff, f"{s}_associations")
    }

    @app.callback(
        Output(START_INPUT, "value"), Input(CHANGED_DROPDOWN, "value"), prevent_initial_call=True
    )
    def pick(value: str | None) -> Any:
        return value or no_update

    @app.callback(
        Output(GRAPH, "elements"),
        Output(STATUS, "children"),
        Output(TABLE, "children"),
        Output(DETAILS, "children"),
        Input(START_INPUT, "value"),
        Input(DIRECTION, "value"),
        Input(DEPTH, "value"),
    )
    def compare(start: str | None, how: str, hops: int | None) -> tuple[Any, ...]:
        hint = html.Div("Click a node to see its old and new Describe.", className="muted")
        start = (start or "").strip()
        if not start:
            return [], html.Span("Enter a start ARN.", className="muted"), "", hint
        hops = min(10, max(1, int(hops or 10)))
        try:
            old_v, old_e, in_old = _query(old_backend, start, how, hops)
            new_v, new_e, in_new = _query(new_backend, start, how, hops)
        except ClientError as err:
            message = err.response.get("Error", {}).get("Message") or str(err)
            return (
                [],
                html.Span(f"QueryLineage failed: {message}", className="error-banner"),
                "",
                hint,
            )
        graph = compare_graphs(old_v, old_e, new_v, new_e, diff, start_arn=start)
        shown = sum(1 for a in graph.node_status if a in diff_keys)
        shown += sum(1 for p in graph.edge_status if p in diff_pairs)
        missing = [side for side, there in (("old", in_old), ("new", in_new)) if not there]
        status = status_line(graph, missing, len(diff_keys) + len(diff_pairs) - shown)
        return graph.elements, status, change_table(graph.rows), hint

    @app.callback(
        Output(DETAILS, "children", allow_duplicate=True),
        Input(GRAPH, "tapNodeData"),
        prevent_initial_call=True,
    )
    def details(data: dict[str, Any] | None) -> Any:
        if not data or not data.get("id"):
            return no_update
        arn_ = str(data["id"])
        old_doc, new_doc = _describe(old_backend, arn_), _describe(new_backend, arn_)
        return details_view(arn_, str(data.get("change") or UNCHANGED), old_doc, new_doc)

    return app
