"""The explorer's Dash component tree: start box and filters, graph, details, tables."""

from __future__ import annotations

import dash_cytoscape as cyto
from dash import dcc, html

from viz_app.core.model import LINEAGE_TYPES
from viz_app.render.stylesheet import DETAIL_CLASS, stylesheet
from viz_app.ui import ids
from viz_app.ui.grid import data_grid
from viz_app.ui.page_parts import export_bar, legend
from viz_app.ui.query_state import DEFAULT_DEPTH, DEFAULT_DIRECTION, DIRECTIONS, MAX_DEPTH
from viz_app.ui.tables import EDGE_GRID, VERTEX_GRID

KNOWN_TYPES = (
    "DataSet",
    "Model",
    "Image",
    "Endpoint",
    "ModelGroup",
    "ModelDeployment",
    "Approval",
    "TrainingJob",
    "ProcessingJob",
    "TransformJob",
    "ModelData",
    "Checkpoint",
)
GRAPH_STYLE = {"width": "100%", "height": "100%"}
# Cytoscape's default makes one wheel notch zoom ~2.5x; this makes it ~1.2x.
WHEEL_SENSITIVITY = 0.2


def _filters() -> html.Details:
    return html.Details(
        className="filters",
        children=[
            html.Summary("Filters"),
            html.Div(
                className="filters-body",
                children=[
                    html.Label("Lineage types", className="field-label"),
                    dcc.Checklist(
                        id=ids.LINEAGE_TYPES,
                        options=list(LINEAGE_TYPES),
                        value=[],
                        inline=True,
                        className="radio",
                    ),
                    html.Label("Entity types (up to 5)", className="field-label"),
                    dcc.Dropdown(
                        id=ids.TYPES,
                        options=list(KNOWN_TYPES),
                        value=[],
                        multi=True,
                        placeholder="any type",
                    ),
                    html.Label("Created between", className="field-label"),
                    dcc.DatePickerRange(
                        id=ids.CREATED_RANGE, clearable=True, display_format="YYYY-MM-DD"
                    ),
                    html.Label("Modified between", className="field-label"),
                    dcc.DatePickerRange(
                        id=ids.MODIFIED_RANGE, clearable=True, display_format="YYYY-MM-DD"
                    ),
                    html.Label("Property key=value", className="field-label"),
                    dcc.Input(
                        id=ids.PROPERTY,
                        type="text",
                        placeholder="framework=xgboost",
                        className="start-input",
                    ),
                    html.Button("Apply filters", id=ids.APPLY_FILTERS, n_clicks=0, className="btn"),
                ],
            ),
        ],
    )


def _controls() -> html.Div:
    """The query bar above the graph: start, direction, depth, filters (one row)."""
    start = html.Div(
        className="start-box",
        children=[
            html.Label("Start from", htmlFor=ids.START_INPUT, className="field-label"),
            html.Div(
                className="start-row",
                children=[
                    dcc.Input(
                        id=ids.START_INPUT,
                        type="text",
                        debounce=False,
                        n_submit=0,
                        placeholder="ARN, s3:// URI, ECR image, endpoint, model package or job",
                        className="start-input",
                        autoComplete="off",
                    ),
                    html.Button("Go", id=ids.START_GO, n_clicks=0, className="btn primary"),
                ],
            ),
            html.Div(id=ids.INPUT_ERROR, className="error-text", role="alert"),
            html.Div(id=ids.CANDIDATES, className="candidates"),
        ],
    )
    return html.Div(
        className="panel controls",
        children=[
            start,
            html.Div(
                className="direction-box",
                children=[
                    html.Label("Direction", className="field-label"),
                    dcc.RadioItems(
                        id=ids.DIRECTION,
                        options=list(DIRECTIONS),
                        value=DEFAULT_DIRECTION,
                        inline=True,
                        className="radio",
                    ),
                ],
            ),
            html.Div(
                className="depth-box",
                children=[
                    html.Label("Depth", className="field-label"),
                    dcc.Slider(
                        id=ids.DEPTH,
                        min=1,
                        max=MAX_DEPTH,
                        step=1,
                        value=DEFAULT_DEPTH,
                        marks={i: str(i) for i in range(1, MAX_DEPTH + 1)},
                    ),
                ],
            ),
            _filters(),
        ],
    )


def _landing() -> html.Div:
    """Over the empty graph: where to start (the account's endpoints first)."""
    return html.Div(
        id=ids.LANDING,
        className="landing",
        children=[
            html.H2("Where to start", className="panel-title"),
            html.P(
                "Type an ARN, an S3 URI, an ECR image or an endpoint name above, "
                "or start with an entity of this account:",
                className="muted",
            ),
            html.Div(id=ids.SUGGESTIONS, className="candidates suggestions"),
        ],
    )


def _graph_area() -> html.Div:
    toolbar = html.Div(
        className="toolbar",
        children=[
            html.Button("Fit", id=ids.FIT, className="btn small", title="Fit the whole graph"),
            html.Button("+", id=ids.ZOOM_IN, className="btn small", title="Zoom in"),
            html.Button("−", id=ids.ZOOM_OUT, className="btn small", title="Zoom out"),
            html.Button(
                "Centre", id=ids.CENTRE, className="btn small", title="Centre on the selected node"
            ),
            html.Button(
                "Focus",
                id=ids.FOCUS,
                className="btn small",
                title="Show only two hops around the selected node (or the start)",
            ),
            html.Button(
                "Runs",
                id=ids.ARRANGE,
                className="btn small",
                title="Draw each pipeline run (and its project) in its own frame",
            ),
            dcc.Input(
                id=ids.GRAPH_SEARCH,
                type="search",
                placeholder="Search in graph: name, S3 URI or image",
                debounce=True,
                className="search-input",
            ),
            html.Span(id=ids.SEARCH_STATUS, className="muted"),
        ],
    )
    graph = cyto.Cytoscape(
        id=ids.GRAPH,
        elements=[],
        layout={"name": "preset", "fit": False},
        stylesheet=stylesheet(False, DETAIL_CLASS),
        style=GRAPH_STYLE,
        minZoom=0.02,
        maxZoom=3,
        wheelSensitivity=WHEEL_SENSITIVITY,
        boxSelectionEnabled=False,
        autoRefreshLayout=False,
    )
    return html.Div(
        className="graph-area",
        children=[
            html.Div(
                className="graph-head",
                children=[
                    html.Nav(id=ids.BREADCRUMBS, className="breadcrumbs"),
                    html.Div(id=ids.STATUS, className="status", role="status"),
                ],
            ),
            html.Div(className="graph-tools", children=[toolbar, export_bar()]),
            html.Div(id=ids.PROGRESS, className="progress", role="status"),
            html.Div(id=ids.QUERY_ERROR, className="error-banner", role="alert"),
            html.Div(
                id=ids.GRAPH_STAGE,
                className="graph-stage empty",
                children=[
                    dcc.Loading(
                        id=ids.GRAPH_LOADING,
                        type="circle",
                        delay_show=150,
                        parent_className="graph-loading",
                        children=html.Div(graph, className="graph-box"),
                    ),
                    _landing(),
                    _details_area(),
                ],
            ),
            legend(),
        ],
    )


def _details_area() -> html.Div:
    """The details card over the graph's right side; it folds to its title bar."""
    return html.Div(
        id=ids.DETAILS_CARD,
        className="panel details-panel",
        children=[
            html.Div(
                className="details-head",
                children=[
                    html.H2("Details", className="panel-title"),
                    html.Button(
                        "Hide",
                        id=ids.DETAILS_TOGGLE,
                        n_clicks=0,
                        className="btn small",
                        title="Fold the details card to give the graph the room",
                    ),
                ],
            ),
            html.Div(
                className="details-body",
                children=[
                    html.Div(
                        className="actions",
                        children=[
                            html.Button(
                                "Re-root here",
                                id=ids.REROOT,
                                n_clicks=0,
                                className="btn primary",
                                disabled=True,
                                title="Run the query from this node (or double-click it)",
                            ),
                            html.Button(
                                "Expand",
                                id=ids.EXPAND,
                                n_clicks=0,
                                className="btn",
                                disabled=True,
                                title="Add this node's neighbours to the graph",
                            ),
                        ],
                    ),
                    dcc.Loading(
                        type="dot",
                        children=html.Div(
                            id=ids.DETAILS,
                            className="details",
                            children="Click a node to see its details.",
                        ),
                    ),
                    html.H3("Questions", className="panel-subtitle"),
                    html.Div(id=ids.QUESTIONS, className="questions"),
                    dcc.Loading(type="dot", children=html.Div(id=ids.ANSWER, className="answer")),
                ],
            ),
        ],
    )


def _download(button_id: str, what: str) -> html.Button:
    return html.Button(
        "Download CSV",
        id=button_id,
        className="btn small",
        title=f"The {what} as the table shows them (filtered and sorted), every column",
    )


def _tables_area() -> dcc.Tabs:
    return dcc.Tabs(
        className="tabs",
        children=[
            dcc.Tab(
                label="Vertices",
                children=[
                    data_grid(
                        ids.VERTEX_TABLE,
                        VERTEX_GRID,
                        row_id="Arn",
                        pick="Arn",
                        tools=[_download(ids.DOWNLOAD_VERTICES, "vertices")],
                    ),
                ],
            ),
            dcc.Tab(
                label="Edges",
                children=[
                    data_grid(
                        ids.EDGE_TABLE,
                        EDGE_GRID,
                        row_id="i",
                        pick="SourceArn",
                        tools=[_download(ids.DOWNLOAD_EDGES, "edges")],
                    ),
                ],
            ),
            dcc.Tab(
                label="Summary",
                children=[
                    html.Div(
                        className="charts",
                        children=[
                            dcc.Graph(id=ids.SUMMARY_COUNTS, config={"displaylogo": False}),
                            dcc.Graph(id=ids.SUMMARY_TIMELINE, config={"displaylogo": False}),
                        ],
                    ),
                ],
            ),
        ],
    )


def build_layout(caption: str) -> html.Div:
    """The whole page; `caption` names the backend, region and account."""
    stores = [
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.GRAPH_STORE, data=None),
        dcc.Store(id=ids.SELECTED_STORE, data=None),
        dcc.Store(id=ids.ANSWER_STORE, data=None),
        dcc.Store(id=ids.TABLE_EXPORT_STORE, data=None),
        dcc.Store(id=ids.GROUPS_STORE, data=[]),
        dcc.Store(id=ids.DESCRIBE_STORE, data={}),
        dcc.Store(id=ids.TRAIL_STORE, data=[]),
        dcc.Store(id=ids.DBLTAP_STORE, data=None),
        dcc.Store(id=ids.NOOP_STORE, data=None),
        dcc.Store(id=ids.ELEMENTS_STORE, data=None),
        dcc.Store(id=ids.DRAWN_STORE, data=None),
        dcc.Download(id=ids.DOWNLOAD),
    ]
    header = html.Header(
        className="header",
        children=[
            html.H1("lineage-viz", className="title"),
            html.Span("SageMaker ML lineage explorer", className="subtitle"),
            html.Span(caption, id=ids.CAPTION, className="caption"),
            dcc.Checklist(
                id=ids.DARK,
                options=[{"label": " Dark mode", "value": "dark"}],
                value=[],
                className="dark-toggle",
            ),
        ],
    )
    return html.Div(
        id="page",
        className="page",
        children=[
            *stores,
            header,
            html.Main(className="main", children=[_controls(), _graph_area()]),
            html.Section(className="bottom", children=[_tables_area()]),
        ],
    )
