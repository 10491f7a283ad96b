"""Impact analysis: what a node reaches downstream (models, model packages, endpoints), or what
went into it upstream (datasets, images, jobs), each with its shortest path, hops and creation.

Pure: it reads one QueryLineage answer (vertices and edges) and the names the NameBook knows,
so the app, its CSV and `lineage-viz report --impact` list the same rows.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from viz_app.client.directions import ASCENDANTS, DESCENDANTS

DOWNSTREAM: Final = "downstream"
UPSTREAM: Final = "upstream"
DIRECTION_OF: Final = {DOWNSTREAM: DESCENDANTS, UPSTREAM: ASCENDANTS}
COLUMNS: Final = ("name", "kind", "hops", "path", "created_utc", "source_uri", "arn")
_KIND_ORDER: Final = ("endpoint", "model package", "model", "dataset", "image")
_JOB_WORDS: Final = {
    "TrainingJob": "training job",
    "ProcessingJob": "processing job",
    "TransformJob": "transform job",
}


@dataclass(frozen=True)
class Reached:
    """One entity the start reaches: its kind in words, hop count and the ARNs of the shortest
    path from the start to it (both ends included)."""

    arn: str
    kind: str
    hops: int
    path: tuple[str, ...]


def is_model_package(uri: str) -> bool:
    """A Model artifact stands for a model package when its source is a model-package ARN."""
    return ":model-package/" in uri


def kind_of(vertex: Mapping[str, Any], uri: str, side: str) -> str | None:
    """What `vertex` is in an impact list on `side`, or None when it is only on the way."""
    ltype, vtype = vertex.get("LineageType"), vertex.get("Type")
    if side == DOWNSTREAM:
        if ltype == "Context" and vtype == "Endpoint":
            return "endpoint"
        if ltype == "Artifact" and vtype == "Model":
            return "model package" if is_model_package(uri) else "model"
        return None
    if ltype == "Artifact" and vtype == "DataSet":
        return "dataset"
    if ltype == "Artifact" and vtype == "Image":
        return "image"
    if ltype == "TrialComponent":
        return _JOB_WORDS.get(str(vtype), "job")
    return None


def shortest_paths(
    start: str, edges: Sequence[Mapping[str, Any]], side: str
) -> dict[str, tuple[str, ...]]:
    """Breadth-first from `start` along the edges (reversed upstream): the first shortest
    path to every vertex reached, neighbours taken in ARN order so the answer is stable."""
    forward = side == DOWNSTREAM
    adj: dict[str, list[str]] = {}
    for e in edges:
        a, b = (
            (e["SourceArn"], e["DestinationArn"])
            if forward
            else (
                e["DestinationArn"],
                e["SourceArn"],
            )
        )
        adj.setdefault(a, []).append(b)
    paths: dict[str, tuple[str, ...]] = {start: (start,)}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(set(adj.get(node, ()))):
            if nxt not in paths:
                paths[nxt] = (*paths[node], nxt)
                queue.append(nxt)
    return paths


def reached(
    start: str,
    vertices: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    side: str,
    uris: Mapping[str, str],
) -> list[Reached]:
    """The impact list of `start` on `side` from one QueryLineage answer (with edges); `uris`
    holds source URIs (to tell a model package from a model). Sorted by kind, hops, ARN."""
    by_arn = {v["Arn"]: v for v in vertices}
    out = []
    for arn, path in shortest_paths(start, edges, side).items():
        kind = kind_of(by_arn.get(arn, {}), uris.get(arn, ""), side) if arn != start else None
        if kind is not None:
            out.append(Reached(arn, kind, len(path) - 1, path))

    def order(r: Reached) -> tuple[int, int, str]:
        rank = _KIND_ORDER.index(r.kind) if r.kind in _KIND_ORDER else len(_KIND_ORDER)
        return rank, r.hops, r.arn

    return sorted(out, key=order)


def rows(items: Sequence[Reached], named: Mapping[str, Mapping[str, str]]) -> list[dict[str, Any]]:
    """One plain row per reached entity (COLUMNS), every entity by its name: the path reads
    `sagemaker-xgboost:1.7-1 → churn-train-001 → model.tar.gz → … → churn-prod`."""

    def name(arn: str) -> str:
        return str((named.get(arn) or {}).get("label") or arn).replace("\n", " ")

    return [
        {
            "name": name(r.arn),
            "kind": r.kind,
            "hops": r.hops,
            "path": " → ".join(name(a) for a in r.path),
            "created_utc": str((named.get(r.arn) or {}).get("created") or ""),
            "source_uri": str((named.get(r.arn) or {}).get("uri") or ""),
            "arn": r.arn,
        }
        for r in items
    ]
