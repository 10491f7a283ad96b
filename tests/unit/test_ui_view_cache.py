"""The app's view cache: results stay on the server, looked up (or rebuilt) by their key."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from viz_app.ui.backends import QueryResult
from viz_app.ui.elements import to_elements
from viz_app.ui.names import NameBook
from viz_app.ui.packing import pack
from viz_app.ui.query_state import QueryState, from_search
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
        # No service behind it: every name lookup fails, so labels stay ARN-derived.
        self.names = NameBook(client=None)

    def query_all_pages(
        self,
        start: str,
        direction: str,
        depth: int,
        filters: Any = None,
        *,
        max_pages: int = 500,
        on_page: Any = None,
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
        if on_page is not None:
            on_page(page)
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
    assert "edges" not in summary and "vertices" not in summary
    assert summary["counts"] == [2, 1, 1]


class SlowBackend(FakeBackend):
    """Holds every query until released, and can fail them."""

    def __init__(self, error: Exception | None = None) -> None:
        super().__init__()
        self.release = threading.Event()
        self.error = error

    def query_all_pages(
        self,
        start: str,
        direction: str,
        depth: int,
        filters: Any = None,
        *,
        max_pages: int = 500,
        on_page: Any = None,
    ) -> QueryResult:
        self.release.wait(timeout=10)
        result = super().query_all_pages(
            start, direction, depth, filters, max_pages=max_pages, on_page=on_page
        )
        if self.error is not None:
            raise self.error
        return result


def _at_once(views: ViewCache, key: str, n: int, backend: SlowBackend) -> list[Any]:
    out: list[Any] = []

    def ask() -> None:
        try:
            out.append(views.get(key))
        except Exception as exc:
            out.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(n)]
    for t in threads:
        t.start()
    for _ in range(1000):  # until every asker waits on the one build (at most ~10 s)
        if views._building.get(key, [None, 0])[1] == n:
            break
        threading.Event().wait(0.01)
    backend.release.set()
    for t in threads:
        t.join(timeout=10)
    return out


def test_askers_of_the_same_missing_view_share_one_build() -> None:
    backend = SlowBackend()
    views = cache(backend)
    key = view_key(QueryState(arn=A))
    found = _at_once(views, key, 4, backend)
    assert len(backend.queries) == 1
    assert len({id(v) for v in found}) == 1 and found[0].key == key


def test_a_failed_build_fails_everyone_who_waited_for_it_and_is_retried_later() -> None:
    backend = SlowBackend(error=RuntimeError("throttled"))
    views = cache(backend)
    key = view_key(QueryState(arn=A))
    found = _at_once(views, key, 3, backend)
    assert len(backend.queries) == 1
    assert all(isinstance(f, RuntimeError) for f in found)
    with pytest.raises(RuntimeError):  # a recent failure is reused when asked to
        views.get(key, recent_failure_s=60.0)
    assert len(backend.queries) == 1
    backend.error = None
    assert views.get(key).key == key  # the query callback always tries again
    assert len(backend.queries) == 2


@pytest.mark.parametrize(
    "key",
    ["", "[]", '{"a": 1}', '["?arn=x", [[1]]]', "not json", "?arn=x&step=", "?arn=x&step=a%20%20b"],
)
def test_anything_but_a_view_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError):
        parse_key(key)


def test_a_view_key_is_the_url_query_of_its_question_then_its_steps() -> None:
    arn = "arn:aws:sagemaker:us-east-1:123456789012:artifact/" + "a" * 32
    state = from_search(f"?arn={arn}&direction=Both&depth=6&types=Model&arrange=runs")
    assert view_key(state) == state.for_key().to_search()  # the link that asks it
    ops = [["expand", arn], ["ask", arn, "datasets-up"]]
    key = view_key(state, ops)
    assert key.startswith(view_key(state) + "&step=expand+arn")
    assert parse_key(key) == (state.for_key(), ops)
    assert parse_key(view_key(state)) == (state.for_key(), [])


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
