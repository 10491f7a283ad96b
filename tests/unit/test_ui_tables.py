"""The summary's creation timeline: a readable date axis whatever the number of times."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from viz_app.ui.tables import timeline_figure

ART = "arn:aws:sagemaker:us-east-1:123456789012:artifact/"


def described(times: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    arns = [ART + f"{i:032x}" for i in range(len(times))]
    vertices = [{"Arn": a, "Type": "DataSet", "LineageType": "Artifact"} for a in arns]
    return vertices, {
        a: {"label": f"d{i}", "created": t}
        for i, (a, t) in enumerate(zip(arns, times, strict=True))
    }


def notes(fig: Any) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_one_creation_time_gets_a_day_either_side_and_date_ticks() -> None:
    vertices, desc = described(["2026-03-02T14:43:50+00:00"])
    fig = timeline_figure(vertices, desc)
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    when = pd.Timestamp("2026-03-02T14:43:50")  # plotly's axis is naive UTC
    assert low <= when - dt.timedelta(days=1) and high >= when + dt.timedelta(days=1)
    assert fig.layout.xaxis.tickformat == "%Y-%m-%d"
    assert fig.layout.xaxis.dtick == 86_400_000  # a tick a day, not a millisecond axis
    assert any("Only 1 entity described" in n for n in notes(fig))


def test_close_creation_times_are_widened_the_same_way() -> None:
    vertices, desc = described(["2026-03-02T14:43:50.001+00:00", "2026-03-02T14:43:50.004+00:00"])
    fig = timeline_figure(vertices, desc)
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert high - low >= pd.Timedelta(days=2)
    assert any("Only 2 entities described" in n for n in notes(fig))


def test_times_spread_over_weeks_keep_plotlys_own_axis_and_no_note() -> None:
    times = [f"2026-03-{day:02d}T10:00:00+00:00" for day in (1, 5, 9, 20, 28)]
    vertices, desc = described(times)
    fig = timeline_figure(vertices, desc)
    assert fig.layout.xaxis.range is None
    assert notes(fig) == []


def test_same_named_entities_are_told_apart_in_the_tables_as_in_the_graph() -> None:
    from viz_app.ui.tables import edge_frame, vertex_frame

    base = "arn:aws:sagemaker:us-east-1:123456789012:"
    endpoint = base + "context/churn-prod-1772462630-aws-endpoint"
    first = base + "action/churn-prod-1772462630-aws-model-deployment"
    second = base + "action/churn-prod-1772463101-aws-model-deployment"
    vertices = [
        {"Arn": endpoint, "Type": "Endpoint", "LineageType": "Context"},
        {"Arn": first, "Type": "ModelDeployment", "LineageType": "Action"},
        {"Arn": second, "Type": "ModelDeployment", "LineageType": "Action"},
    ]
    names = dict(zip(*[vertex_frame(vertices)[c] for c in ("Arn", "Name")], strict=True))
    assert len(set(names.values())) == 3, names
    assert names[endpoint] == "churn-prod"
    edges = [{"SourceArn": first, "DestinationArn": endpoint, "AssociationType": "AssociatedWith"}]
    row = edge_frame(edges, vertices).iloc[0]
    assert (row["Source"], row["Destination"]) == (names[first], "churn-prod")
