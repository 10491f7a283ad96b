"""The tables at scale: a 20,000-row vertex grid scrolls to its last row keeping only the rows
in view in the page, sorts, filters (a column, every column, a day), hides columns, follows dark
mode, and its Download CSV saves the rows it shows, in its order, formula-safe.

The store: one endpoint context and 20,000 datasets (plus four whose source URIs a spreadsheet
would run), all upstream of it, so its Ascendants view at depth 1 has 20,005 vertices; the graph
folds them into one group node, the grid lists every one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest
from browser_helpers import grid_rows, local_client, start_app, wait_for_graph, wait_for_grid

from viz_app.api.server import start_service
from viz_app.core.demo_shapes import LineageBuilder
from viz_app.core.model import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from viz_app.core.store import Store

pytestmark = pytest.mark.browser

DATASETS: Final = 20_000
FORMULAS: Final = ('=HYPERLINK("http://x.invalid","y")', "+1+1", "-1+2", "@SUM(1)")
GRID: Final = "vertex-table"
DOM_ROWS_MAX: Final = 200  # a virtual grid keeps the rows in view (and a buffer), not 20,000


def uri(i: int) -> str:
    return f"s3://grid-scale/data/part-{i:05d}.csv"


@dataclass(frozen=True)
class Big:
    url: str
    hub: str
    sagemaker: Any  # boto3 client to an independent service on the same store

    @property
    def view(self) -> str:
        return f"{self.url}?arn={self.hub}&direction=Ascendants&depth=1"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Big]:
    db = tmp_path_factory.mktemp("grid") / "big.db"
    store = Store(db)
    b = LineageBuilder(random.Random(11), DEFAULT_REGION, DEFAULT_ACCOUNT_ID, 1.77e9)
    hub = b.context("grid-hub", "Endpoint", "arn:aws:sagemaker:::endpoint/grid-hub", "Endpoint", "")
    for i in range(DATASETS):
        b.associate(b.dataset(uri(i)), hub)
    for text in FORMULAS:
        b.associate(b.dataset(text), hub)
    b.flush(store)
    store.close()
    proc, url = start_app(db)
    service = start_service(Store(db))
    yield Big(url, hub, local_client(service.url))
    service.close()
    proc.terminate()
    proc.wait(timeout=10)


def arn_of(sagemaker: Any, source_uri: str) -> str:
    (found,) = sagemaker.list_artifacts(SourceUri=source_uri)["ArtifactSummaries"]
    return str(found["ArtifactArn"])


def open_grid(page: Any, big: Big) -> Any:
    """The view, its grid filled with every vertex and in view; returns the grid's locator."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(big.view)
    wait_for_graph(page)
    wait_for_grid(page, GRID, DATASETS + len(FORMULAS) + 1)
    grid = page.locator(f"#{GRID}")
    grid.scroll_into_view_if_needed()  # the grid draws its rows once it is in view
    grid.locator(".ag-center-cols-container .ag-row").first.wait_for()
    return grid


def dom_rows(grid: Any) -> list[str]:
    """Row ids of the rows the page holds in the grid's body."""
    return [
        str(row.get_attribute("row-id"))
        for row in grid.locator(".ag-center-cols-container .ag-row").all()
    ]


def tools(page: Any) -> Any:
    """The tools above the grid (Download CSV, the every-column filter, Columns)."""
    return page.locator(".grid-block").filter(has=page.locator(f"#{GRID}")).locator(".grid-tools")


def header(grid: Any, col: str) -> Any:
    return grid.locator(f'.ag-header-cell[col-id="{col}"]:not(.ag-floating-filter)')


def column_filter(grid: Any, col: str) -> Any:
    return grid.locator(f'.ag-floating-filter[col-id="{col}"] input')


def scroll_to_end(page: Any, grid: Any) -> None:
    """Drag the grid's scroll bar to the bottom, as a person would."""
    grid.locator(".ag-body-viewport").evaluate("v => { v.scrollTop = v.scrollHeight; }")
    page.wait_for_timeout(300)  # AG Grid draws the rows for the new position on a frame


def test_twenty_thousand_rows_scroll_to_the_last_keeping_few_in_the_page(
    page: Any, big: Big
) -> None:
    grid = open_grid(page, big)
    first = dom_rows(grid)
    assert 0 < len(first) < DOM_ROWS_MAX
    # The table's order: lineage type, type, name: the datasets by name, the endpoint last.
    part0 = arn_of(big.sagemaker, uri(0))
    assert part0 in first
    scroll_to_end(page, grid)
    last = grid.locator(f'.ag-center-cols-container .ag-row[row-id="{big.hub}"]')
    last.wait_for()
    assert last.locator('[col-id="Arn"]').inner_text() == big.hub
    assert last.get_attribute("aria-rowindex") == str(DATASETS + len(FORMULAS) + 1 + 2)
    before = grid.locator(
        f'.ag-center-cols-container .ag-row[row-id="{arn_of(big.sagemaker, uri(DATASETS - 1))}"]'
    )
    assert before.locator('[col-id="Name"]').inner_text() == "data/part-19999.csv"
    held = dom_rows(grid)
    assert len(held) < DOM_ROWS_MAX and part0 not in held


def test_sorting_by_arn_puts_the_smallest_first_and_the_largest_last(page: Any, big: Big) -> None:
    grid = open_grid(page, big)
    arns: list[str] = []
    for summaries in big.sagemaker.get_paginator("list_artifacts").paginate(
        PaginationConfig={"PageSize": 100}
    ):
        arns += [s["ArtifactArn"] for s in summaries["ArtifactSummaries"]]
    assert len(arns) == DATASETS + len(FORMULAS)
    expected = sorted([*arns, big.hub])
    header(grid, "Arn").locator(".ag-header-cell-label").click()
    page.wait_for_function(
        "id => window.dash_ag_grid.getApi(id).getColumnState().some(c => c.sort === 'asc')",
        arg=GRID,
    )
    shown = [r["Arn"] for r in grid_rows(page, GRID, ("Arn",))]
    assert shown == expected
    grid.locator(f'.ag-row[row-id="{expected[0]}"]').wait_for()
    assert dom_rows(grid)[0] == expected[0]
    scroll_to_end(page, grid)
    grid.locator(f'.ag-row[row-id="{expected[-1]}"] [col-id="Arn"]').wait_for()


def test_a_column_filter_every_column_filter_and_a_day_filter_leave_the_matching_rows(
    page: Any, big: Big
) -> None:
    grid = open_grid(page, big)
    column_filter(grid, "Name").fill("part-1999")
    wait_for_grid(page, GRID, 10)
    expected = {arn_of(big.sagemaker, uri(i)) for i in range(DATASETS - 10, DATASETS)}
    assert {r["Arn"] for r in grid_rows(page, GRID, ("Arn",))} == expected
    page.wait_for_function(
        "n => document.querySelectorAll('#vertex-table .ag-center-cols-container .ag-row')"
        ".length === n",
        arg=10,
    )
    assert set(dom_rows(grid)) == expected
    column_filter(grid, "Name").fill("")
    wait_for_grid(page, GRID, DATASETS + len(FORMULAS) + 1)

    one = arn_of(big.sagemaker, uri(12345))
    tools(page).locator(".grid-quick input").fill(one.rsplit("/", 1)[1][:12])
    wait_for_grid(page, GRID, 1)
    assert grid_rows(page, GRID, ("Arn",)) == [{"Arn": one}]
    tools(page).locator(".grid-quick input").fill("")

    # A day, UTC, counted by the service itself.
    created = big.sagemaker.describe_artifact(ArtifactArn=one)["CreationTime"]
    day = created.astimezone(dt.UTC).date()
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    count = 0
    for summaries in big.sagemaker.get_paginator("list_artifacts").paginate(
        CreatedAfter=start - dt.timedelta(microseconds=1),
        CreatedBefore=start + dt.timedelta(days=1),
        PaginationConfig={"PageSize": 100},
    ):
        count += len(summaries["ArtifactSummaries"])
    assert 0 < count < DATASETS
    box = grid.locator('.ag-floating-filter[col-id="Created"] input:not([disabled])')
    time_too = box.get_attribute("type") == "datetime-local"
    box.fill(f"{day.isoformat()}T00:00" if time_too else day.isoformat())
    wait_for_grid(page, GRID, count)
    days = {r["Created"][:10] for r in grid_rows(page, GRID, ("Created",))}
    assert days == {day.isoformat()}


def test_the_csv_holds_the_rows_the_grid_shows_in_its_order_formula_safe(
    page: Any, big: Big, tmp_path: Path
) -> None:
    grid = open_grid(page, big)

    def download() -> list[dict[str, str]]:
        with page.expect_download() as info:
            page.click("#download-vertices")
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.name.endswith("-vertices.csv")
        return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))

    everything = download()  # nothing filtered or sorted: every row
    assert len(everything) == DATASETS + len(FORMULAS) + 1
    assert list(everything[0]) == ["Name", "Type", "LineageType", "Source URI", "Created", "Arn"]
    starts = {cell[:1] for row in everything for cell in row.values() if cell}
    assert not starts & set("=+-@\t\r"), starts
    sources = {row["Source URI"] for row in everything}
    assert {"'" + text for text in FORMULAS} <= sources
    assert all(row["Name"] and row["Created"] for row in everything if row["Arn"] != big.hub)

    # Filtered to ten rows, newest first, and the Source URI column hidden: the file has those
    # ten rows in that order, with every column still.
    column_filter(grid, "Name").fill("part-1999")
    wait_for_grid(page, GRID, 10)
    header(grid, "Created").locator(".ag-header-cell-label").click()  # ascending
    header(grid, "Created").locator(".ag-header-cell-label").click()  # descending
    page.wait_for_function(
        "id => window.dash_ag_grid.getApi(id).getColumnState().some(c => c.sort === 'desc')",
        arg=GRID,
    )
    tools(page).locator(".grid-columns summary").click()
    chooser = tools(page).locator(".grid-columns-list")
    chooser.get_by_label("Source URI").uncheck()
    header(grid, "Source URI").wait_for(state="detached")
    rows = download()
    newest = range(DATASETS - 1, DATASETS - 11, -1)
    assert [row["Arn"] for row in rows] == [arn_of(big.sagemaker, uri(i)) for i in newest]
    assert [row["Name"] for row in rows] == [f"data/part-{i:05d}.csv" for i in newest]
    assert [row["Source URI"] for row in rows] == [uri(i) for i in newest]
    assert rows == sorted(rows, key=lambda r: r["Created"], reverse=True)


def test_the_grid_takes_the_pages_colours_in_light_and_dark_mode(page: Any, big: Big) -> None:
    grid = open_grid(page, big)

    def colours() -> dict[str, str]:
        return grid.locator(".ag-root-wrapper").evaluate(  # type: ignore[no-any-return]
            """w => ({grid: getComputedStyle(w).backgroundColor,
                     text: getComputedStyle(w.querySelector('.ag-cell')).color,
                     panel: getComputedStyle(document.querySelector('.details-panel'))
                        .backgroundColor})"""
        )

    light = colours()
    assert light["grid"] == light["panel"] == "rgb(255, 255, 255)"
    page.click("#dark-mode input")
    page.wait_for_function("() => document.body.classList.contains('dark')")
    dark = colours()
    assert dark["grid"] == dark["panel"] == "rgb(30, 33, 37)"  # --panel in body.dark
    assert dark["text"] == "rgb(230, 230, 230)"  # --text in body.dark


def test_an_edge_row_selects_its_source_and_the_console_stays_clean(page: Any, big: Big) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    open_grid(page, big)
    page.locator("div.tab").filter(has_text="Edges").click()
    wait_for_grid(page, "edge-table", DATASETS + len(FORMULAS))
    edges = page.locator("#edge-table")
    edges.scroll_into_view_if_needed()
    row = edges.locator(".ag-center-cols-container .ag-row").nth(3)
    row.wait_for()
    source = grid_rows(page, "edge-table", ("SourceArn",))[3]["SourceArn"]
    assert source != big.hub
    row.locator('[col-id="Source"]').click()
    page.locator("#details").get_by_text(source).first.wait_for()
    assert not problems, problems


def test_the_graph_asks_no_names_for_a_closed_groups_members_and_the_grid_names_them(
    page: Any, big: Big
) -> None:
    """20,000 datasets folded in one group node: the graph's name requests leave them out
    (they are not drawn), so the grid's own naming of all of them is not queued behind
    thousands of Describe calls, and every row reads its source, not a hash."""
    asked: list[str] = []

    def note(request: Any) -> None:
        if request.method == "POST" and request.url.endswith("/_lineage-viz/names"):
            asked.extend(request.post_data_json["arns"])

    page.on("request", note)
    open_grid(page, big)
    rows = grid_rows(page, GRID, ("Arn", "Name"))
    members = {r["Arn"] for r in rows if r["Arn"] != big.hub}
    assert not members & set(asked)
    by_arn = {r["Arn"]: r["Name"] for r in rows}
    assert "part-00000.csv" in by_arn[arn_of(big.sagemaker, uri(0))]
    assert not [r for r in rows if r["Name"].startswith("DataSet · ")]
