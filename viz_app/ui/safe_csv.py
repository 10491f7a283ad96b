"""The one CSV writer for every table lineage-viz saves (the app's downloads, the report).

Lineage data is untrusted text: a cell a spreadsheet would run as a formula (starting with
=, +, -, @, a tab or a carriage return) gets a leading apostrophe, and fields holding line
breaks or quotes are quoted, so each record stays one row.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Final

import pandas as pd

FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: Any) -> Any:
    """`value`, with a leading apostrophe when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(table: pd.DataFrame) -> str:
    """CSV text of `table` (header row, `\\n` line ends, no index) with formulas defused."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(defuse)
    out = io.StringIO()
    safe.to_csv(out, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return out.getvalue()
