"""The answer under the questions: heading, notes, why an empty answer is empty (with the
question that answers), a grid whose rows select their node, and the rows its CSV holds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from dash import html

from viz_app.ui import ids
from viz_app.ui.answers import Answer
from viz_app.ui.grid import DATE, NUMBER, Column, data_grid
from viz_app.ui.impact import rows as impact_rows
from viz_app.ui.questions import Question

PLAIN_COLUMNS: Final = ("name", "type", "created_utc", "source_uri", "arn")
PLAIN_GRID: Final = (
    Column("name", "Name", wrap=True),
    Column("type", "Type", width=120),
    Column("created_utc", "Created (UTC)", DATE, width=150),
    Column("source_uri", "Source URI", hidden=True),
    Column("arn", "ARN", hidden=True),
)
IMPACT_GRID: Final = (
    Column("name", "Name", wrap=True),
    Column("kind", "Kind", width=92),
    Column("hops", "Hops", NUMBER, width=70),
    Column("via", "Via", wrap=True, grow=2),
    Column("created_utc", "Created (UTC)", DATE, width=150, hidden=True),
    Column("path", "Path", hidden=True),
    Column("source_uri", "Source URI", hidden=True),
    Column("arn", "ARN", hidden=True),
)
FEW_ROWS: Final = 10  # up to this many, the grid fits its rows; more scroll inside it


def answer_rows(ans: Answer, named: Mapping[str, Mapping[str, str]]) -> list[dict[str, Any]]:
    """The answer as plain rows, every entity by its name (`named`: NameBook.described):
    the impact columns for an impact list, else name, type, creation, source and ARN."""
    if ans.reached:
        return impact_rows(ans.reached, named)
    out = []
    for v in ans.vertices:
        known = named.get(v["Arn"]) or {}
        out.append(
            {
                "name": str(known.get("label") or v["Arn"]).replace("\n", " "),
                "type": v.get("Type") or v.get("LineageType") or "",
                "created_utc": str(known.get("created") or ""),
                "source_uri": str(known.get("uri") or ""),
                "arn": v["Arn"],
            }
        )
    return out


def _via(path: str) -> str:
    """The steps between the start and the entity: `via job → model.tar.gz`, or `direct`."""
    steps = path.split(" → ")[1:-1]
    return "via " + " → ".join(steps) if steps else "direct"


def _table(rows: list[dict[str, Any]], impact: bool) -> html.Div:
    """The answer's grid (the impact list's with hops and the path between), a row per entity."""
    shown = [{**row, "via": _via(row["path"])} for row in rows] if impact else rows
    return data_grid(
        ids.ANSWER_GRID,
        IMPACT_GRID if impact else PLAIN_GRID,
        row_id="arn",
        pick="arn",
        height="320px",
        auto_height=len(rows) <= FEW_ROWS,
        floating_filters=False,  # the card is narrow: filters are in each column's menu
        row_data=shown,
    )


def answer_view(
    ans: Answer,
    title: str,
    rows: list[dict[str, Any]],
    why: tuple[str, Question] | None = None,
) -> list[Any]:
    """The answer panel: heading with the count and the CSV button, notes, the reason an empty
    answer is empty with a button for the question that answers (`why`), and the table."""
    count = len(rows)
    head = html.Div(
        className="answer-head",
        children=[
            html.H4(f"{title} — {count} found", className="answer-title"),
            html.Button(
                "CSV",
                id={"type": ids.ANSWER_CSV, "key": "answer"},
                n_clicks=0,
                className="btn small",
                title="Download this answer as CSV (names, ARNs, creation times)",
                disabled=not count,
            ),
        ],
    )
    out: list[Any] = [head]
    out += [html.P(note, className="answer-note") for note in ans.notes]
    if why is not None and not count:
        reason, offered = why
        out.append(html.P(reason, className="answer-why"))
        out.append(
            html.Button(
                offered.label,
                id={"type": ids.QUESTION_HINT, "key": offered.key},
                n_clicks=0,
                className="btn question primary",
            )
        )
    if count:
        impact = bool(ans.reached)
        out.append(
            html.Div(
                _table(rows, impact), className="answer-grid impact" if impact else "answer-grid"
            )
        )
    return out
