"""The export bar and the tables save the same CSV files under the same names."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import App
from test_explorer import wait_for_start

pytestmark = pytest.mark.browser


# Both vertex CSV buttons save one file.


def _save(page: Any, selector: str, folder: Path) -> tuple[str, str]:
    with page.expect_download() as info:
        page.click(selector)
    path = folder / ("x-" + info.value.suggested_filename)
    info.value.save_as(path)
    return info.value.suggested_filename, path.read_text(encoding="utf-8")


def test_the_export_bar_and_the_tables_save_the_same_csv_files(
    page: Any, app: App, tmp_path: Path
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    page.goto(app.link(endpoint, direction="Ascendants", depth=3))
    wait_for_start(page, endpoint)
    stamp = re.compile(r"-\d{8}T\d{6}Z-")
    for bar, tab, button in (
        ("#export-vertices", "Vertices", "#download-vertices"),
        ("#export-edges", "Edges", "#download-edges"),
    ):
        bar_name, bar_csv = _save(page, bar, tmp_path)
        page.locator("div.tab").filter(has_text=tab).click()
        tab_name, tab_csv = _save(page, button, tmp_path)
        assert stamp.sub("-T-", bar_name) == stamp.sub("-T-", tab_name), (bar_name, tab_name)
        assert list(csv.reader(io.StringIO(bar_csv))) == list(csv.reader(io.StringIO(tab_csv)))
