"""The one way lineage-viz shows a table: an AG Grid (dash-ag-grid) with virtual rows.

Every table (vertices, edges, an answer, an impact list) gets the same tools above it: a box
that filters on every column, a column chooser, and its own buttons; columns sort and filter
(text, number, or a date filter on creation times), and the grid draws only the rows in view,
so 20,000 rows scroll as smoothly as 20. assets/grid.js wires the tools and the theme; cells
are plain text (AG Grid escapes values: no HTML renderer touches data).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import dash_ag_grid as dag
from dash import dcc, html

TEXT: Final = "text"
DATE: Final = "date"
NUMBER: Final = "number"
_FILTERS: Final = {
    TEXT: "agTextColumnFilter",
    DATE: "agDateColumnFilter",
    NUMBER: "agNumberColumnFilter",
}
ROW_KEY: Final = "i"  # each row's place in the view's vertex or edge list (for CSV and clicks)
# The theme follows the page's palette (assets/style.css), light or dark, through its variables.
THEME: Final = {"function": "lineageGridTheme(agGrid)"}


@dataclass(frozen=True)
class Column:
    """One column: its field in the row, its heading, its kind of filter, shown or not."""

    field: str
    header: str
    kind: str = TEXT
    hidden: bool = False
    width: int | None = None  # fixed width (px); otherwise it shares the rest (flex)
    wrap: bool = False  # long text on several lines (the row grows) rather than cut off
    grow: int = 1  # share of the free width, for a column without a fixed width


def column_defs(columns: Sequence[Column]) -> list[dict[str, Any]]:
    """AG Grid column definitions: sortable, filterable, resizable, plain-text cells."""
    out = []
    for c in columns:
        spec: dict[str, Any] = {
            "field": c.field,
            "headerName": c.header,
            "filter": _FILTERS[c.kind],
            "hide": c.hidden,
            "tooltipField": c.field,
        }
        if c.width:
            spec["width"] = c.width
        else:
            spec["flex"] = c.grow
            spec["minWidth"] = 110
        if c.wrap:
            spec["wrapText"] = True
            spec["autoHeight"] = True
            spec["cellClass"] = "grid-wrap"
        if c.kind == DATE:  # creation times are ISO 8601 text in UTC: compared by UTC day
            spec["filterParams"] = {"comparator": {"function": "lineageGridDayCompare"}}
            spec["valueFormatter"] = {"function": "lineageGridTime(params.value)"}
        out.append(spec)
    return out


def data_grid(
    grid_id: str,
    columns: Sequence[Column],
    *,
    row_id: str,
    pick: str,
    height: str = "420px",
    auto_height: bool = False,
    floating_filters: bool = True,
    tools: Sequence[Any] = (),
    row_data: list[dict[str, Any]] | None = None,
) -> html.Div:
    """A grid and its tools. `row_id` is the field that names a row (stable across updates);
    a click on a row selects the node whose ARN is in field `pick` (assets/answers.js).
    `auto_height` fits the grid to a few rows (AG Grid then draws them all: small tables only);
    without `floating_filters`, a column's filter is in its header menu only (narrow grids).
    """
    options: dict[str, Any] = {
        "theme": THEME,
        "animateRows": False,
        "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
        "tooltipShowDelay": 600,
        "enableCellTextSelection": True,
        "suppressDragLeaveHidesColumns": True,
    }
    style: dict[str, Any] = {"height": height, "width": "100%"}
    if auto_height:
        options["domLayout"] = "autoHeight"
        style = {"width": "100%"}
    grid = dag.AgGrid(
        id=grid_id,
        columnDefs=column_defs(columns),
        defaultColDef={"sortable": True, "resizable": True, "floatingFilter": floating_filters},
        rowData=row_data or [],
        getRowId=f"'' + params.data.{row_id}",
        dashGridOptions=options,
        style=style,
        className="data-grid",
    )
    named: dict[str, Any] = {"data-grid": grid_id}
    quick = html.Div(
        dcc.Input(
            type="search",
            placeholder="Filter every column…",
            debounce=False,
            className="search-input grid-quick-input",
        ),
        className="grid-quick",
        title="Shows only the rows with this text in any column",
        **named,
    )
    chooser = html.Details(
        className="grid-columns",
        children=[
            html.Summary("Columns", title="Choose the columns to show"),
            html.Div(className="grid-columns-list", **named),
        ],
    )
    return html.Div(
        className="grid-block",
        children=[
            html.Div(className="grid-tools", children=[*tools, quick, chooser]),
            html.Div(grid, className="grid-holder", **{"data-pick": pick, **named}),
        ],
    )


def keyed(rows: list[dict[str, Any]], keys: Sequence[int]) -> list[dict[str, Any]]:
    """`rows` with each one's ROW_KEY (its index in the view's list) added."""
    return [{**row, ROW_KEY: key} for row, key in zip(rows, keys, strict=True)]
