"""QueryLineage on random small graphs against an independent reference (networkx shortest
paths, `bench.nxref`)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from api_helpers import ARN_PREFIX, make_client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import nxref
from viz_app.core.model import AssociationRecord, EntityRecord

KIND_RESOURCE = {
    "Artifact": "artifact",
    "Context": "context",
    "Action": "action",
    "TrialComponent": "experiment-trial-component",
}
TYPES_OF_KIND = {
    "Artifact": ["DataSet", "Model", "Image"],
    "Context": ["Endpoint", "ModelGroup"],
    "Action": ["ModelDeployment", "Approval"],
    "TrialComponent": ["SageMakerTrainingJob", "SageMakerProcessingJob", None],
}
FILTER_TYPES = ["DataSet", "Model", "Image", "Endpoint", "ModelDeployment", "TrainingJob"]
PROPERTY_PAIRS = [("stage", "prod"), ("stage", "dev"), ("team", "x")]
TIMES = [1000, 2000, 3000, 4000, 5000]
_counter = itertools.count()


@dataclass
class Node:
    kind: str
    entity_type: str | None
    created: int
    modified: int
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def vertex_type(self) -> str | None:
        if self.kind == "TrialComponent" and self.entity_type:
            return self.entity_type.removeprefix("SageMaker")
        return self.entity_type


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Node], list[tuple[int, int, str | None]]]:
    count = draw(st.integers(1, 9))
    nodes = []
    for _ in range(count):
        kind = draw(st.sampled_from(list(KIND_RESOURCE)))
        created = draw(st.sampled_from(TIMES))
        properties = (
            dict(draw(st.lists(st.sampled_from(PROPERTY_PAIRS), max_size=2)))
            if kind != "TrialComponent"
            else {}
        )
        nodes.append(
            Node(
                kind=kind,
                entity_type=draw(st.sampled_from(TYPES_OF_KIND[kind])),
                created=created,
                modified=created + draw(st.sampled_from([0, 1000, 2000])),
                properties=properties,
            )
        )
    pairs = [
        (a, b)
        for a in range(count)
        for b in range(count)
        if a != b and not (nodes[a].kind == nodes[b].kind == "TrialComponent")
    ]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=16)) if pairs else []
    edges = [(a, b, draw(st.sampled_from([None, "ContributedTo", "Produced"]))) for a, b in chosen]
    return nodes, edges


@st.composite
def queries(draw: st.DrawFn, size: int) -> dict[str, Any]:
    q: dict[str, Any] = {"start": draw(st.integers(0, size - 1))}
    for key, strategy in (
        ("Direction", st.sampled_from(["Both", "Ascendants", "Descendants"])),
        ("MaxDepth", st.integers(1, 10)),
        ("IncludeEdges", st.booleans()),
        ("MaxResults", st.integers(1, 50)),
    ):
        if draw(st.booleans()):
            q[key] = draw(strategy)
    filters: dict[str, Any] = {}
    if draw(st.integers(0, 3)) == 0:
        filters["Types"] = draw(st.lists(st.sampled_from(FILTER_TYPES), min_size=1, max_size=3))
    if draw(st.integers(0, 3)) == 0:
        filters["LineageTypes"] = draw(
            st.lists(st.sampled_from(list(KIND_RESOURCE)), min_size=1, max_size=2, unique=True)
        )
    for bound in ("CreatedBefore", "CreatedAfter", "ModifiedBefore", "ModifiedAfter"):
        if draw(st.integers(0, 5)) == 0:
            filters[bound] = draw(st.sampled_from([*TIMES, 6000, 7000]))
    if draw(st.integers(0, 4)) == 0:
        filters["Properties"] = dict(
            draw(st.lists(st.sampled_from(PROPERTY_PAIRS), min_size=1, max_size=2))
        )
    if filters or draw(st.booleans()):
        q["Filters"] = filters
    return q


# -- the reference -----------------------------------------------------------------------------


def _matches(node: Node, filters: dict[str, Any]) -> bool:
    if "Types" in filters and node.vertex_type not in filters["Types"]:
        return False
    if "LineageTypes" in filters and node.kind not in filters["LineageTypes"]:
        return False
    if "CreatedBefore" in filters and not node.created < filters["CreatedBefore"]:
        return False
    if "CreatedAfter" in filters and not node.created > filters["CreatedAfter"]:
        return False
    if "ModifiedBefore" in filters and not node.modified < filters["ModifiedBefore"]:
        return False
    if "ModifiedAfter" in filters and not node.modified > filters["ModifiedAfter"]:
        return False
    if "Properties" in filters:
        wanted = filters["Properties"].items()
        if not any(node.properties.get(k) == v for k, v in wanted):
            return False
    return True


def reference(
    nodes: list[Node], edges: list[tuple[int, int, str | None]], q: dict[str, Any]
) -> tuple[set[int], set[tuple[int, int]]]:
    """The expected vertices and edges by the spec's rules, from networkx's shortest paths."""
    graph = nxref.from_associations(((a, b) for a, b, _ in edges), range(len(nodes)))
    filters = q.get("Filters", {})
    vertices, kept_edges = nxref.by_shortest_paths(
        graph,
        q["start"],
        q.get("Direction", "Both"),
        q.get("MaxDepth", 10),
        lambda v: _matches(nodes[v], filters),  # type: ignore[index]
        q.get("IncludeEdges", False),
    )
    return vertices, kept_edges  # type: ignore[return-value]


# -- the system under test ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def property_service() -> Iterator[Any]:
    from viz_app.api.server import start_service
    from viz_app.core.store import Store

    store = Store()
    service = start_service(store)
    yield service
    service.close()
    store.close()


@pytest.fixture(scope="module")
def property_client(property_service: Any) -> Any:
    return make_client(property_service.url)


def _insert(service: Any, nodes: list[Node], edges: list[tuple[int, int, str | None]]) -> list[str]:
    """Write one example's graph under a fresh name prefix (examples never touch each other)."""
    graph_id = next(_counter)
    arns = []
    records = []
    for index, node in enumerate(nodes):
        resource = KIND_RESOURCE[node.kind]
        if node.kind == "Artifact":
            name = None
            arn = f"{ARN_PREFIX}:{resource}/{graph_id:016x}{index:016x}"
            uri = f"s3://bucket/g{graph_id}/{index}"
            doc: dict[str, Any] = {"Source": {"SourceUri": uri}, "Properties": node.properties}
        else:
            name = f"g{graph_id}-v{index}"
            arn = f"{ARN_PREFIX}:{resource}/{name}"
            uri = f"{ARN_PREFIX}:endpoint/{name}"
            doc = {"Source": {"SourceUri": uri}, "Properties": node.properties}
            if node.kind == "TrialComponent":
                uri = f"{ARN_PREFIX}:training-job/{name}"
                doc = (
                    {"Source": {"SourceArn": uri, "SourceType": node.entity_type}}
                    if node.entity_type
                    else {}
                )
        arns.append(arn)
        records.append(
            EntityRecord(
                arn, node.kind, name, node.entity_type, uri, node.created, node.modified, doc
            )
        )
    associations = [AssociationRecord(arns[a], arns[b], kind, 1.0) for a, b, kind in edges]
    service.store.bulk_insert(records, associations)
    return arns


def _run(client: Any, arns: list[str], q: dict[str, Any]) -> tuple[list[dict[str, Any]], list]:
    """All pages of the query; checks page size, duplicates and edge-end ordering on the way."""
    args: dict[str, Any] = {k: v for k, v in q.items() if k != "start"}
    if "Filters" in args:
        args["Filters"] = {
            k: dt.datetime.fromtimestamp(v, dt.UTC) if k.endswith(("Before", "After")) else v
            for k, v in args["Filters"].items()
        }
    vertices: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    token: str | None = None
    for _ in range(200):
        page = client.query_lineage(
            StartArns=[arns[q["start"]]], **args, **({"NextToken": token} if token else {})
        )
        assert len(page["Vertices"]) <= q.get("MaxResults", 50)
        vertices += page["Vertices"]
        seen = {v["Arn"] for v in vertices}
        for edge in page["Edges"]:
            assert edge["SourceArn"] in seen and edge["DestinationArn"] in seen
        edges += page["Edges"]
        token = page.get("NextToken")
        if not token:
            assert "NextToken" not in page
            return vertices, edges
    pytest.fail("paging did not end")


def _check(client: Any, service: Any, nodes: list[Node], edges: list, q: dict[str, Any]) -> None:
    arns = _insert(service, nodes, edges)
    index_of = {arn: i for i, arn in enumerate(arns)}
    got_vertices, got_edges = _run(client, arns, q)
    got_ids = [index_of[v["Arn"]] for v in got_vertices]
    got_pairs = [(index_of[e["SourceArn"]], index_of[e["DestinationArn"]]) for e in got_edges]
    assert len(got_ids) == len(set(got_ids)), "a vertex appeared twice"
    assert len(got_pairs) == len(set(got_pairs)), "an edge appeared twice"
    want_ids, want_pairs = reference(nodes, edges, q)
    assert set(got_ids) == want_ids, (q, edges)
    assert set(got_pairs) == want_pairs, (q, edges)
    for vertex in got_vertices:
        node = nodes[index_of[vertex["Arn"]]]
        assert vertex["LineageType"] == node.kind
        assert vertex.get("Type") == node.vertex_type
    kinds = {(a, b): kind for a, b, kind in edges}
    for edge in got_edges:
        pair = (index_of[edge["SourceArn"]], index_of[edge["DestinationArn"]])
        assert edge.get("AssociationType") == kinds[pair]


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Node], list, dict[str, Any]]:
    nodes, edges = draw(graphs())
    return nodes, edges, draw(queries(len(nodes)))


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_query_lineage_matches_a_reference_traversal_on_random_graphs(
    property_client: Any, property_service: Any, case: tuple[list[Node], list, dict[str, Any]]
) -> None:
    nodes, edges, q = case
    _check(property_client, property_service, nodes, edges, q)


@pytest.mark.slow
@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_query_lineage_matches_a_reference_traversal_on_many_random_graphs(
    property_client: Any, property_service: Any, case: tuple[list[Node], list, dict[str, Any]]
) -> None:
    nodes, edges, q = case
    _check(property_client, property_service, nodes, edges, q)
