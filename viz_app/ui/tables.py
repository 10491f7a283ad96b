"""Vertex and edge tables (pandas), their grid columns, and the plotly summary of a result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast

import pandas as pd
import plotly.graph_objects as go

from viz_app.render.stylesheet import COLOR_BY_LINEAGE_TYPE
from viz_app.ui.grid import DATE, ROW_KEY, Column
from viz_app.ui.labels import distinct_labels, short_label

VERTEX_COLUMNS = ("Name", "Type", "LineageType", "Source URI", "Created", "Arn")
TIMELINE_MIN_SPAN: Final = pd.Timedelta(days=2)
TIMELINE_PAD: Final = pd.Timedelta(days=1)
TIMELINE_FEW: Final = 3
EDGE_COLUMNS = ("Source", "AssociationType", "Destination", "SourceArn", "DestinationArn")
VERTEX_GRID: Final = (
    Column("Name", "Name"),
    Column("Type", "Type", width=150),
    Column("LineageType", "Lineage type", width=150),
    Column("Source URI", "Source URI"),
    Column("Created", "Created (UTC)", DATE, width=230),
    Column("Arn", "ARN"),
)
EDGE_GRID: Final = (
    Column("Source", "Source"),
    Column("AssociationType", "Association", width=170),
    Column("Destination", "Destination"),
    Column("SourceArn", "Source ARN"),
    Column("DestinationArn", "Destination ARN"),
)


def _name(
    arn: str, by_arn: Mapping[str, Mapping[str, Any]], described: Mapping[str, Mapping[str, Any]]
) -> str:
    label = (described.get(arn) or {}).get("label")
    if label:
        return str(label)
    v = by_arn.get(arn, {})
    return short_label(arn, v.get("Type"), str(v.get("LineageType", "")))


def _names(
    vertices: list[dict[str, Any]], described: Mapping[str, Mapping[str, Any]]
) -> dict[str, str]:
    """Each vertex's name as the graph labels it: same names told apart (two `churn-prod`
    deployments and the endpoint are three different rows)."""
    by_arn = {v["Arn"]: v for v in vertices}
    return distinct_labels(vertices, {a: _name(a, by_arn, described) for a in by_arn})


def vertex_frame(
    vertices: list[dict[str, Any]],
    described: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    keyed: bool = False,
    ordered: bool = True,
) -> pd.DataFrame:
    """One row per vertex, sorted by lineage type, type and name (in the given order unless
    `ordered`); with `keyed`, a ROW_KEY column holds each row's index in `vertices`."""
    described = described or {}
    names = _names(vertices, described)
    rows = [
        {
            ROW_KEY: i,
            "Name": names[v["Arn"]],
            "Type": v.get("Type") or "",
            "LineageType": v.get("LineageType") or "",
            "Source URI": (described.get(v["Arn"]) or {}).get("uri") or "",
            "Created": (described.get(v["Arn"]) or {}).get("created") or "",
            "Arn": v["Arn"],
        }
        for i, v in enumerate(vertices)
    ]
    frame = pd.DataFrame(rows, columns=[ROW_KEY, *VERTEX_COLUMNS])
    if ordered:
        frame = frame.sort_values(["LineageType", "Type", "Name"], kind="stable")
    frame = frame.reset_index(drop=True)
    return frame if keyed else frame.drop(columns=ROW_KEY)


def edge_frame(
    edges: list[dict[str, Any]],
    vertices: list[dict[str, Any]],
    described: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    keyed: bool = False,
) -> pd.DataFrame:
    """One row per edge with readable endpoint names; with `keyed`, a ROW_KEY column holds
    each row's index in `edges`."""
    described = described or {}
    by_arn = {v["Arn"]: v for v in vertices}
    names = _names(vertices, described)

    def name(arn: str) -> str:
        return names.get(arn) or _name(arn, by_arn, described)

    rows = [
        {
            ROW_KEY: i,
            "Source": name(e["SourceArn"]),
            "AssociationType": e.get("AssociationType") or "",
            "Destination": name(e["DestinationArn"]),
            "SourceArn": e["SourceArn"],
            "DestinationArn": e["DestinationArn"],
        }
        for i, e in enumerate(edges)
    ]
    frame = pd.DataFrame(rows, columns=[ROW_KEY, *EDGE_COLUMNS])
    return frame if keyed else frame.drop(columns=ROW_KEY)


def grid_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows for a grid's `rowData`."""
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def _layout(fig: go.Figure, title: str, dark: bool) -> go.Figure:
    fig.update_layout(
        title=title,
        template="plotly_dark" if dark else "plotly_white",
        height=320,
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        legend_title_text="",
    )
    return fig


def counts_figure(vertices: list[dict[str, Any]], dark: bool = False) -> go.Figure:
    """Vertex counts by type, one bar colour per lineage type."""
    frame = vertex_frame(vertices)
    fig = go.Figure()
    if not frame.empty:
        frame["Type"] = frame["Type"].replace("", "(none)")
        grouped = frame.groupby(["LineageType", "Type"]).size().reset_index(name="Count")
        for lineage_type, part in grouped.groupby("LineageType"):
            fig.add_bar(
                x=part["Type"],
                y=part["Count"],
                name=str(lineage_type),
                marker_color=COLOR_BY_LINEAGE_TYPE.get(str(lineage_type), "#999999"),
            )
    fig.update_layout(barmode="stack")
    return _layout(fig, "Entities by type", dark)


def timeline_figure(
    vertices: list[dict[str, Any]],
    described: Mapping[str, Mapping[str, Any]] | None,
    dark: bool = False,
) -> go.Figure:
    """Creation times of the entities described so far (clicked), by type."""
    frame = vertex_frame(vertices, described)
    frame = frame[frame["Created"] != ""]
    fig = go.Figure()
    if frame.empty:
        fig.add_annotation(
            text="Click nodes to collect their creation times here.",
            showarrow=False,
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    else:
        frame = frame.assign(When=pd.to_datetime(frame["Created"], utc=True))
        for lineage_type, part in frame.groupby("LineageType"):
            fig.add_scatter(
                x=part["When"],
                y=part["Type"].replace("", "(none)"),
                mode="markers",
                name=str(lineage_type),
                text=part["Name"],
                marker={"size": 11},
                marker_color=COLOR_BY_LINEAGE_TYPE.get(str(lineage_type), "#999999"),
            )
        _date_axis(fig, frame["When"])
    return _layout(fig, "Creation timeline (described entities)", dark)


def _date_axis(fig: go.Figure, when: pd.Series) -> None:
    """A date axis for creation times: one time (or a few close ones) would get plotly's
    millisecond axis, so a span under TIMELINE_MIN_SPAN is widened to a day either side and
    ticked by day; with few entities described, a note says how to add more."""
    first, last = when.min(), when.max()
    if last - first < TIMELINE_MIN_SPAN:
        # Naive UTC text, as plotly writes the points' times (plotly.js has no time zones).
        # Whole days, so the first and last ticks sit at the ends.
        ends = (first.floor("D") - TIMELINE_PAD, last.ceil("D") + TIMELINE_PAD)
        low, high = (t.tz_convert(None).isoformat() for t in ends)
        fig.update_xaxes(
            range=[low, high],
            tickformat="%Y-%m-%d",
            dtick=TIMELINE_PAD.total_seconds() * 1000,  # one tick a day (plotly counts ms)
        )
    if len(when) < TIMELINE_FEW:
        count = f"{len(when)} entit{'y' if len(when) == 1 else 'ies'}"
        fig.add_annotation(
            text=f"Only {count} described so far: click more nodes to add their creation times.",
            showarrow=False,
            x=0.5,
            y=1.0,
            xref="paper",
            yref="paper",
            yanchor="bottom",
        )
