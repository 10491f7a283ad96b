"""Turn what a notebook holds (a query_lineage response, pages, an SDK result) into API pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from viz_app.client.directions import DESCENDANTS
from viz_app.ui.elements import merge_pages


@dataclass
class LineageInput:
    """The pages of one answer, its vertices and edges merged, and the start ARNs if known."""

    pages: list[dict[str, Any]]
    vertices: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    start_arns: list[str] = field(default_factory=list)


def _clean_page(page: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of one QueryLineage page without ResponseMetadata or NextToken."""
    if "Vertices" not in page and "Edges" not in page:
        raise TypeError(
            "expected a query_lineage response (a dict with 'Vertices' and 'Edges'), got a "
            f"dict with keys {sorted(page)[:6]}"
        )
    return {
        "Vertices": [dict(v) for v in page.get("Vertices") or []],
        "Edges": [dict(e) for e in page.get("Edges") or []],
    }


def _from_sdk(result: Any) -> dict[str, Any]:
    """The API page behind a `sagemaker.lineage.query.LineageQueryResult` (read by attribute)."""
    vertices = [
        {"Arn": v.arn, "Type": v.lineage_source, "LineageType": v.lineage_entity}
        for v in result.vertices
    ]
    edges = [
        {
            "SourceArn": e.source_arn,
            "DestinationArn": e.destination_arn,
            **({"AssociationType": e.association_type} if e.association_type else {}),
        }
        for e in result.edges
    ]
    return {"Vertices": vertices, "Edges": edges}


def to_input(response: Any) -> LineageInput:
    """Accept a query_lineage response dict, a list of pages, or a LineageQueryResult."""
    starts: list[str] = []
    if isinstance(response, Mapping):
        pages = [_clean_page(response)]
    elif hasattr(response, "vertices") and hasattr(response, "edges"):
        pages = [_from_sdk(response)]
        starts = [str(a) for a in getattr(response, "startarn", None) or []]
    elif isinstance(response, Sequence) and not isinstance(response, str | bytes):
        pages = [_clean_page(p) for p in response]
    else:
        raise TypeError(
            "render() takes a query_lineage response dict, a list of pages or a "
            f"LineageQueryResult, not {type(response).__name__}"
        )
    vertices, edges = merge_pages(pages)
    return LineageInput(pages, [dict(v) for v in vertices], [dict(e) for e in edges], starts)


def guess_start(data: LineageInput, direction: str | None = None) -> str | None:
    """The start the answer was most likely asked from.

    A response does not repeat its StartArns. Ascendants end at the start (it has no outgoing
    edge among the answer); descendants begin there. Ties fall back to the first vertex.
    """
    arns = [str(v["Arn"]) for v in data.vertices]
    known = [a for a in data.start_arns if a in arns]
    if known:
        return known[0]
    if not arns:
        return data.start_arns[0] if data.start_arns else None
    sources = {e["SourceArn"] for e in data.edges}
    targets = {e["DestinationArn"] for e in data.edges}
    sinks = [a for a in arns if a not in sources and a in targets]
    roots = [a for a in arns if a not in targets and a in sources]
    order = (roots, sinks) if direction == DESCENDANTS else (sinks, roots)
    for candidates in order:
        if len(candidates) == 1:
            return candidates[0]
    return arns[0]
