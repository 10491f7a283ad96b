"""The app's view cache: results stay on the server, looked up (or rebuilt) by their key."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from viz_app.ui.backends import QueryResult
from viz_app.ui.elements import to_elements
from viz_app.ui.packing import pack
from viz_app.ui.query_state import QueryState
from viz_app.ui.view_build import EXPAND, builder
from viz_app.ui.view_cache import ViewCache, parse_key, view_key, with_op

A = "arn:aws:sagemaker:us-east-1:123456789012:artifact/" + "a" * 32
B = "arn:aws:sagemaker:us-east-1:123456789012:artifact/" + "b" * 32
C = "arn:aws:sagemaker:us-east-1:123456789012:context/c"


class FakeBackend:
    """Answers QueryLineage from a fixed three-vertex graph and counts the questions."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, str, int]] = []
        self.lock = threading.Lock()

    def query_all_pages(
        self, start: str, direction: str, depth: int, filters: Any = None
    ) -> QueryResult:
        with self.lock:
            self.queries.append((start, direction, depth))
        edges = [{"SourceArn": A, "DestinationArn": B, "AssociationType": "ContributedTo"}]
        vertices = [{"Arn": A, "LineageType": "Artifact", "Type": "DataSet"}]
        vertices.append({"Arn": B, "LineageType": "Artifact", "Type": "Model"})
        if start == B and depth == 1:  # expanding B also finds C
            vertices.append({"Arn": C, "LineageType": "Context", "Type": "Endpoint"})
            edges.append({"SourceArn": B, "DestinationArn": C, "AssociationType": "Produced"})
        page = {"Vertices": vertices, "Edges": edges}
        return QueryResult(vertices, edges, [page], calls=1, request={"StartArns": [start]})


def cache(backend: FakeBackend, size: int = 16) -> ViewCache:
    return ViewCache(builder(backend), max_views=size)  # type: ignore[arg-type]


def test_a_second_lookup_of_a_view_asks_query_lineage_nothing_more() -> None:
    backend = FakeBackend()
    views = cache(backend)
    key = view_key(QueryState(arn=A, direction="Both", depth=3))
    first = views.get(key)
    second = views.get(key)
    assert second is first
    assert backend.queries == [(A, "Both", 3)]
    assert {v["Arn"] for v in first.vertices} == {A, B}


def test_an_evicted_view_is_rebuilt_from_its_key_alone() -> None:
    backend = FakeBackend()
    views = cache(backend, size=1)
    key_a = view_key(QueryState(arn=A))
    key_b = view_key(QueryState(arn=B))
    views.get(key_a)
    views.get(key_b)
    assert len(views) == 1
    again = views.get(key_a)
    assert again.state.arn == A
    assert [q[0] for q in backend.queries] == [A, B, A]


def test_a_fresh_cache_rebuilds_an_expanded_view_by_replaying_its_steps() -> None:
    key = with_op(view_key(QueryState(arn=A)), EXPAND, B)
    other_worker = FakeBackend()
    view = cache(other_worker).get(key)
    assert {v["Arn"] for v in view.vertices} == {A, B, C}
    assert view.added == (C,)
    assert other_worker.queries == [(A, "Both", 4), (B, "Both", 1)]
    assert len(view.records) == 2


def test_the_store_summary_holds_the_key_and_no_edges() -> None:
    view = cache(FakeBackend()).get(view_key(QueryState(arn=A)))
    summary = view.summary()
    assert summary["key"] == view.key
    assert "edges" not in summary
    assert summary["counts"] == [2, 1, 1]


@pytest.mark.parametrize("key", ["", "[]", '{"a": 1}', '["?arn=x", [[1]]]', "not json"])
def test_anything_but_a_view_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError):
        parse_key(key)


def test_a_memo_is_computed_once_per_parts() -> None:
    views = cache(FakeBackend())
    made: list[int] = []

    def make() -> int:
        made.append(1)
        return len(made)

    assert [views.memo("x", (1,), make) for _ in range(3)] == [1, 1, 1]
    assert made == [1]


def test_packed_elements_name_edge_ends_by_node_index_and_list_each_class_once() -> None:
    view = cache(FakeBackend()).get(view_key(QueryState(arn=A)))
    elements = to_elements(view.vertices, view.edges, start_arn=A)
    packed = pack(view.key, elements)
    ids = [n[0] for n in packed["nodes"]]
    assert sorted(ids) == [A, B]
    (edge,) = packed["edges"]
    assert (ids[edge[0]], ids[edge[1]]) == (A, B)
    assert edge[2] == "ContributedTo"
    assert len(packed["classes"]) == len(set(packed["classes"]))
    start = packed["nodes"][ids.index(A)]
    assert start[7] == {"is_start": True}
