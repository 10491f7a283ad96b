"""A notebook view without a client: every question is answered from the given answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from botocore.exceptions import ClientError

from viz_app.client.describe import DESCRIBERS
from viz_app.client.directions import DIRECTIONS
from viz_app.core.lineage import walk
from viz_app.core.model import ARTIFACT, EntityRecord, parse_arn
from viz_app.notebook.backend import NotebookBackend, OnPage, start_region
from viz_app.notebook.data import LineageInput
from viz_app.notebook.window import Meta
from viz_app.ui import resolve as resolve_mod
from viz_app.ui.backends import QueryResult
from viz_app.ui.labels import short_label

OFFLINE_NOTE: Final = (
    "Drawn from the query response only: pass client= to render() for Describe details, "
    "tags and live re-rooting."
)
_SUGGESTED_TYPES: Final = ("Endpoint", "ModelDeployment", "Model", "ModelPackage", "DataSet")


class OfflineClient:
    """Stands in for a client when there is none: every call explains why it cannot be made."""

    def __init__(self) -> None:
        self.meta = Meta(None)

    def __getattr__(self, name: str) -> Any:
        def refuse(**_: Any) -> Any:
            response: Any = {"Error": {"Code": "NoClient", "Message": OFFLINE_NOTE}}
            raise ClientError(response, name)

        return refuse


class _Adjacency:
    """The answer's edges in the shape `core.lineage.walk` reads."""

    def __init__(self, edges: Iterable[Mapping[str, Any]]) -> None:
        self.out: dict[str, list[tuple[str, str, str | None]]] = {}
        self.into: dict[str, list[tuple[str, str, str | None]]] = {}
        for e in edges:
            edge = (e["SourceArn"], e["DestinationArn"], e.get("AssociationType"))
            self.out.setdefault(edge[0], []).append(edge)
            self.into.setdefault(edge[1], []).append(edge)

    def edges_from(self, arns: Sequence[str], forward: bool) -> list[tuple[str, str, str | None]]:
        table = self.out if forward else self.into
        return [edge for arn in arns for edge in table.get(arn, [])]

    def get_entities(self, arns: Iterable[str]) -> Mapping[str, EntityRecord]:
        return {}  # the walk alone is used here; filters are applied to the answer's vertices


class OfflineBackend(NotebookBackend):
    """Other questions (re-root, expand, type filters) walk the given answer; details come
    from its vertices; there are no tags, and trials cannot be known."""

    def __init__(
        self,
        data: LineageInput,
        *,
        start: str | None,
        direction: str,
        depth: int,
        filters: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            OfflineClient(),
            data,
            start=start,
            direction=direction,
            depth=depth,
            filters=filters,
            region=start_region(start),
            label="response",
        )
        self._by_arn = {v["Arn"]: v for v in data.vertices}

    def _ask(
        self,
        start_arn: str,
        direction: str,
        depth: int,
        filters: dict[str, Any],
        *,
        max_pages: int,
        on_page: OnPage | None,
    ) -> QueryResult:
        result = self._walk(start_arn, direction, depth, filters)
        for page in result.pages:  # answered at once: the pages are seen all together
            if on_page is not None:
                on_page(page)
        return result

    def _walk(self, start: str, direction: str, depth: int, filters: dict[str, Any]) -> QueryResult:
        if start not in self._by_arn or direction not in DIRECTIONS:
            return QueryResult(pages=[{"Vertices": [], "Edges": []}], calls=1)
        distance, _ = walk(_Adjacency(self.data.edges), start, direction, depth)
        types = set(filters.get("Types") or [])
        lineage_types = set(filters.get("LineageTypes") or [])
        chosen = {
            arn
            for arn in distance
            if arn == start
            or (
                (not types or self._by_arn[arn].get("Type") in types)
                and (not lineage_types or self._by_arn[arn].get("LineageType") in lineage_types)
            )
        }
        vertices = [self._by_arn[a] for a in sorted(chosen)]
        edges = [
            e for e in self.data.edges if e["SourceArn"] in chosen and e["DestinationArn"] in chosen
        ]
        page = {"Vertices": vertices, "Edges": edges}
        return QueryResult(vertices=vertices, edges=edges, pages=[page], calls=1)

    def describe(self, arn: str) -> dict[str, Any]:
        """What the answer itself says about the vertex, shaped like its Describe answer."""
        vertex = self._by_arn.get(arn) or {"Arn": arn, "LineageType": ""}
        parsed = parse_arn(arn)
        kind = str(vertex.get("LineageType") or (parsed.kind if parsed else "") or "")
        describer = DESCRIBERS.get(kind)
        arn_key, name_key, type_key = (
            (describer.arn_field, describer.name_field, describer.type_field)
            if describer is not None
            else ("Arn", "Name", None)
        )
        out: dict[str, Any] = {arn_key: arn, "Description": OFFLINE_NOTE, "Tags": []}
        if parsed is not None and kind != ARTIFACT:
            out[name_key] = parsed.name
        if vertex.get("Type"):
            if type_key is not None:
                out[type_key] = vertex["Type"]
            else:
                out["Source"] = {"SourceType": vertex["Type"]}
        return out

    def tags(self, arn: str) -> list[dict[str, str]]:
        """None: the answer has no tags."""
        return []

    def trials_of(self, arn: str) -> list[dict[str, str]] | None:
        """Unknown (None): the answer does not say which trials hold a trial component."""
        return None

    def _candidate(self, vertex: Mapping[str, Any]) -> resolve_mod.Candidate:
        arn = str(vertex["Arn"])
        label = short_label(arn, vertex.get("Type"), str(vertex.get("LineageType", "")))
        return resolve_mod.Candidate(arn, label, f"{vertex.get('Type') or ''} in this answer")

    def resolve(self, text: str) -> resolve_mod.Resolution:
        """Look it up among the answer's vertices."""
        needle = text.strip().lower()
        found = [self._candidate(v) for v in self.data.vertices if needle in v["Arn"].lower()]
        if not needle or not found:
            return resolve_mod.Resolution(
                error=f"Nothing in this answer matches '{text}'. " + OFFLINE_NOTE
            )
        return resolve_mod.Resolution(candidates=found[: resolve_mod.MAX_CANDIDATES])

    def suggestions(self, limit: int = 6) -> list[resolve_mod.Candidate]:
        """Good starts: the answer's endpoints, models and datasets."""
        ranked = sorted(
            (v for v in self.data.vertices if v.get("Type") in _SUGGESTED_TYPES),
            key=lambda v: (_SUGGESTED_TYPES.index(v["Type"]), v["Arn"]),
        )
        return [self._candidate(v) for v in ranked[:limit]]
