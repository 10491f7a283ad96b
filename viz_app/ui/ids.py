"""Component ids of the explorer page, in one place so callbacks and tests agree."""

from __future__ import annotations

from typing import Final

URL: Final = "url"
START_INPUT: Final = "start-input"
START_GO: Final = "start-go"
CANDIDATES: Final = "candidates"
SUGGESTIONS: Final = "suggestions"
DIRECTION: Final = "direction"
DEPTH: Final = "depth"
LINEAGE_TYPES: Final = "filter-lineage-types"
TYPES: Final = "filter-types"
CREATED_RANGE: Final = "filter-created"
MODIFIED_RANGE: Final = "filter-modified"
PROPERTY: Final = "filter-property"
APPLY_FILTERS: Final = "apply-filters"
INPUT_ERROR: Final = "input-error"

STATUS: Final = "status"
PROGRESS: Final = "query-progress"
QUERY_ERROR: Final = "query-error"
GRAPH: Final = "graph"
GRAPH_LOADING: Final = "graph-loading"
FIT: Final = "graph-fit"
ZOOM_IN: Final = "graph-zoom-in"
ZOOM_OUT: Final = "graph-zoom-out"
CENTRE: Final = "graph-centre"
LEGEND: Final = "legend"
DARK: Final = "dark-mode"
GRAPH_SEARCH: Final = "graph-search"
SEARCH_STATUS: Final = "graph-search-status"
BREADCRUMBS: Final = "breadcrumbs"
CAPTION: Final = "caption"

DETAILS: Final = "details"
REROOT: Final = "reroot"
EXPAND: Final = "expand"
QUESTIONS: Final = "questions"
QUESTION: Final = "question"  # pattern-matching type for question buttons
ANSWER: Final = "answer"
QUESTION_HINT: Final = "question-hint"  # pattern type: the question an empty answer offers
ANSWER_CSV: Final = "answer-csv"  # pattern type: the answer's CSV button

VERTEX_TABLE: Final = "vertex-table"
EDGE_TABLE: Final = "edge-table"
DOWNLOAD_VERTICES: Final = "download-vertices"
DOWNLOAD_EDGES: Final = "download-edges"
DOWNLOAD: Final = "download"
EXPORT_PNG: Final = "export-png"
EXPORT_SVG: Final = "export-svg"
EXPORT_VERTICES: Final = "export-vertices"
EXPORT_EDGES: Final = "export-edges"
EXPORT_PAGES: Final = "export-pages"
EXPORT_ERROR: Final = "export-error"
SUMMARY_COUNTS: Final = "summary-counts"
SUMMARY_TIMELINE: Final = "summary-timeline"

# Stores
GRAPH_STORE: Final = "graph-store"  # the view on screen: key, start, counts (never the graph)
SELECTED_STORE: Final = "selected-store"
ANSWER_STORE: Final = "answer-store"
GROUPS_STORE: Final = "groups-store"
DESCRIBE_STORE: Final = "describe-store"
TRAIL_STORE: Final = "trail-store"
DBLTAP_STORE: Final = "dbltap-store"
NOOP_STORE: Final = "noop-store"
PNG_SVG_STORE: Final = "png-svg-store"  # an SVG for assets/export.js to rasterise to PNG
LEGEND_GRID: Final = "legend-grid"
ELEMENTS_STORE: Final = "elements-store"  # {key, groups}: the elements graph.js must show
DRAWN_STORE: Final = "drawn-store"  # the key of the view graph.js has drawn
FOCUS: Final = "graph-focus"
ARRANGE: Final = "graph-arrange"  # toggles `arrange=runs` in the URL
LANDING: Final = "landing"
DETAILS_CARD: Final = "details-card"
DETAILS_TOGGLE: Final = "details-toggle"
GRAPH_STAGE: Final = "graph-stage"
# {table, view, rows, at}: a table's Download CSV asks for the rows it shows (assets/grid.js)
TABLE_EXPORT_STORE: Final = "table-export-store"
ANSWER_GRID: Final = "answer-grid"
