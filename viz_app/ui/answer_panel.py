"""The answer under the questions: heading, notes, why an empty answer is empty (with the
question that answers), a table whose rows select their node, and the rows its CSV holds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from dash import html

from viz_app.ui import ids
from viz_app.ui.answers import Answer
from viz_app.ui.impact import rows as impact_rows
from viz_app.ui.questions import Question

PLAIN_COLUMNS: Final = ("name", "type", "created_utc", "source_uri", "arn")


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


def _table(rows: list[dict[str, Any]], impact: bool) -> html.Table:
    heads = ["Name", "Kind", "Hops", "Created"] if impact else ["Name", "Type", "Created"]
    body = []
    for row in rows:
        created = str(row["created_utc"])[:16].replace("T", " ")
        name: list[Any] = [html.Div(row["name"], className="answer-name")]
        if impact:  # the path under the name, so both get the row's width
            name.append(html.Div(_via(row["path"]), className="answer-path"))
        cells = [html.Td(name, title=row["arn"])]
        cells += (
            [html.Td(row["kind"]), html.Td(str(row["hops"]))] if impact else [html.Td(row["type"])]
        )
        cells.append(html.Td(created, className="answer-created"))
        body.append(
            html.Tr(
                cells,
                className="answer-row",
                title=f"Select, centre and describe {row['name']}",
                **{"data-arn": row["arn"]},
            )
        )
    return html.Table(
        [html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(body)],
        className="answer-table impact-table" if impact else "answer-table",
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
        out.append(_table(rows, bool(ans.reached)))
    return out
