"""Vertices and edges as pandas tables for reports (saved with `viz_app.ui.safe_csv`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import pandas as pd

from viz_app.ui.impact import COLUMNS as IMPACT_COLUMNS
from viz_app.ui.impact import reached
from viz_app.ui.impact import rows as impact_rows
from viz_app.ui.labels import distinct_labels, label_from_description, short_label

VERTEX_COLUMNS: Final = (
    "arn",
    "lineage_type",
    "type",
    "label",
    "name",
    "source_uri",
    "created_utc",
    "is_start",
)
EDGE_COLUMNS: Final = (
    "source_arn",
    "destination_arn",
    "association_type",
    "source_label",
    "destination_label",
)
_NAME_KEYS: Final = ("ArtifactName", "ContextName", "ActionName", "TrialComponentName")


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), UTC).isoformat().replace("+00:00", "Z")
    return "" if value is None else str(value)


def _source_uri(describe: Mapping[str, Any]) -> str:
    source = describe.get("Source")
    if isinstance(source, Mapping):
        return str(source.get("SourceUri") or source.get("SourceArn") or "")
    return ""


def vertex_labels(
    vertices: Sequence[Mapping[str, Any]], descriptions: Mapping[str, Mapping[str, Any]]
) -> dict[str, str]:
    """Node labels: from the Describe response when we have one, else from the ARN."""
    out: dict[str, str] = {}
    for vertex in vertices:
        arn = vertex["Arn"]
        described = descriptions.get(arn)
        if described is not None:
            out[arn] = label_from_description(described)
        else:
            out[arn] = short_label(arn, vertex.get("Type"), str(vertex.get("LineageType", "")))
    return out


def vertices_table(
    vertices: Sequence[Mapping[str, Any]],
    descriptions: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    start_arn: str | None = None,
) -> pd.DataFrame:
    """One row per vertex (sorted by ARN): type, label, name, source URI, creation time."""
    descriptions = descriptions or {}
    labels = vertex_labels(vertices, descriptions)
    rows = []
    for vertex in sorted(vertices, key=lambda v: str(v["Arn"])):
        arn = vertex["Arn"]
        described = descriptions.get(arn, {})
        name = next((str(described[k]) for k in _NAME_KEYS if described.get(k)), "")
        rows.append(
            {
                "arn": arn,
                "lineage_type": vertex.get("LineageType") or "",
                "type": vertex.get("Type") or "",
                "label": labels[arn],
                "name": name,
                "source_uri": _source_uri(described),
                "created_utc": _iso(described.get("CreationTime")),
                "is_start": arn == start_arn,
            }
        )
    return pd.DataFrame(rows, columns=list(VERTEX_COLUMNS))


def edges_table(
    edges: Sequence[Mapping[str, Any]], labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per edge (sorted by source, destination), with both ends' labels."""
    labels = labels or {}
    rows = [
        {
            "source_arn": edge["SourceArn"],
            "destination_arn": edge["DestinationArn"],
            "association_type": edge.get("AssociationType") or "",
            "source_label": labels.get(edge["SourceArn"], ""),
            "destination_label": labels.get(edge["DestinationArn"], ""),
        }
        for edge in sorted(edges, key=lambda e: (str(e["SourceArn"]), str(e["DestinationArn"])))
    ]
    return pd.DataFrame(rows, columns=list(EDGE_COLUMNS))


def impact_table(
    start: str,
    vertices: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    descriptions: Mapping[str, Mapping[str, Any]],
    side: str,
) -> pd.DataFrame:
    """The impact list of `start` (`viz_app.ui.impact`): what it reaches downstream, or what
    went into it upstream, with names, kinds, hops, paths and creation times."""
    # Named as the app names them: artifacts by their source, the rest by their own names.
    described = vertex_labels(vertices, descriptions)
    labels = distinct_labels(
        vertices,
        {
            v["Arn"]: described[v["Arn"]]
            if ":artifact/" in v["Arn"]
            else short_label(v["Arn"], v.get("Type"), str(v.get("LineageType", "")))
            for v in vertices
        },
    )
    named = {
        arn: {
            "label": label,
            "uri": _source_uri(descriptions.get(arn, {})),
            "created": _iso(descriptions.get(arn, {}).get("CreationTime")),
        }
        for arn, label in labels.items()
    }
    uris = {arn: d["uri"] for arn, d in named.items()}
    found = reached(start, vertices, edges, side, uris)
    return pd.DataFrame(impact_rows(found, named), columns=list(IMPACT_COLUMNS))
