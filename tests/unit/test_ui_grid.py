"""The tables' grids: columns that sort and filter as text (a date filter on creation times),
rows keyed to the view's lists, and the checks on which rows a table's CSV may save."""

from __future__ import annotations

from typing import Any

import pytest

from viz_app.ui.answer_panel import IMPACT_GRID, PLAIN_GRID
from viz_app.ui.grid import ROW_KEY, column_defs, data_grid
from viz_app.ui.table_export import BAD, STALE, TableExportError, TableRequest, table_request
from viz_app.ui.tables import (
    EDGE_COLUMNS,
    EDGE_GRID,
    VERTEX_COLUMNS,
    VERTEX_GRID,
    edge_frame,
    grid_rows,
    vertex_frame,
)

ART = "arn:aws:sagemaker:us-east-1:123456789012:artifact/"
VERTICES = [
    {"Arn": ART + "c", "Type": "Model", "LineageType": "Artifact"},
    {"Arn": ART + "a", "Type": "DataSet", "LineageType": "Artifact"},
    {"Arn": ART + "b", "Type": "DataSet", "LineageType": "Artifact"},
]
NAMED = {
    ART + "a": {"label": "zeta.csv", "uri": "s3://b/zeta.csv", "created": "2026-03-02T10:00:00Z"},
    ART + "b": {"label": "=alpha.csv", "uri": "s3://b/a.csv", "created": ""},
    ART + "c": {"label": "model.tar.gz", "uri": "", "created": ""},
}
EDGES = [
    {"SourceArn": ART + "a", "DestinationArn": ART + "c", "AssociationType": "ContributedTo"},
    {"SourceArn": ART + "b", "DestinationArn": ART + "c", "AssociationType": "ContributedTo"},
]


def test_every_table_column_is_a_known_field_and_no_cell_renders_html() -> None:
    assert [c.field for c in VERTEX_GRID] == list(VERTEX_COLUMNS)
    assert [c.field for c in EDGE_GRID] == list(EDGE_COLUMNS)
    for columns in (VERTEX_GRID, EDGE_GRID, PLAIN_GRID, IMPACT_GRID):
        for spec in column_defs(columns):
            assert "cellRenderer" not in spec and "cellRendererSelector" not in spec
            assert spec["filter"] in {
                "agTextColumnFilter",
                "agDateColumnFilter",
                "agNumberColumnFilter",
            }
    created = next(s for s in column_defs(VERTEX_GRID) if s["field"] == "Created")
    assert created["filter"] == "agDateColumnFilter"
    assert created["filterParams"]["comparator"] == {"function": "lineageGridDayCompare"}


def test_a_grid_keeps_virtual_rows_and_no_pagination() -> None:
    block = data_grid("g", VERTEX_GRID, row_id="Arn", pick="Arn")
    grid = block.children[1].children
    options = grid.dashGridOptions
    assert not options.get("pagination") and "suppressRowVirtualisation" not in options
    assert "domLayout" not in options  # autoHeight would draw every row
    assert grid.getRowId == "'' + params.data.Arn"
    assert not getattr(grid, "dangerously_allow_code", False)


def test_vertex_rows_carry_their_index_in_the_views_list_sorted_as_before() -> None:
    frame = vertex_frame(VERTICES, NAMED, keyed=True)
    rows = grid_rows(frame)
    assert [(r[ROW_KEY], r["Name"]) for r in rows] == [
        (2, "=alpha.csv"),
        (1, "zeta.csv"),
        (0, "model.tar.gz"),
    ]
    assert list(vertex_frame(VERTICES, NAMED).columns) == list(VERTEX_COLUMNS)  # CSV: no key
    picked = vertex_frame([VERTICES[i] for i in (0, 1)], NAMED, ordered=False)
    assert list(picked["Arn"]) == [ART + "c", ART + "a"]


def test_edge_rows_carry_their_index_in_the_views_list() -> None:
    rows = grid_rows(edge_frame(EDGES, VERTICES, NAMED, keyed=True))
    assert [(r[ROW_KEY], r["Source"]) for r in rows] == [(0, "zeta.csv"), (1, "=alpha.csv")]
    assert ROW_KEY not in edge_frame(EDGES, VERTICES, NAMED).columns


COUNTS = {"vertices": 3, "edges": 2}


def test_a_table_request_names_the_rows_to_save_or_every_row() -> None:
    ask = {"table": "vertices", "view": "k", "rows": [2, 0], "at": 1}
    assert table_request(ask, "k", COUNTS) == TableRequest("vertices", (2, 0))
    ask_all = {"table": "edges", "view": "k", "rows": None}
    assert table_request(ask_all, "k", COUNTS) == TableRequest("edges", None)


@pytest.mark.parametrize(
    ("ask", "message"),
    [
        ({"table": "vertices", "view": "old", "rows": None}, STALE),
        ({"table": "nodes", "view": "k", "rows": None}, BAD),
        ("vertices", BAD),
        ({"table": "edges", "view": "k", "rows": [2]}, BAD),  # out of range
        ({"table": "vertices", "view": "k", "rows": [-1]}, BAD),
        ({"table": "vertices", "view": "k", "rows": ["0"]}, BAD),
        ({"table": "vertices", "view": "k", "rows": [True]}, BAD),
        ({"table": "vertices", "view": "k", "rows": [1, 1]}, BAD),
        ({"table": "vertices", "view": "k", "rows": {"0": 1}}, BAD),
    ],
)
def test_a_table_request_that_does_not_fit_the_view_is_refused_in_a_sentence(
    ask: Any, message: str
) -> None:
    with pytest.raises(TableExportError) as info:
        table_request(ask, "k", COUNTS)
    assert str(info.value) == message
