"""Progress of a view's paging, the Stop that ends it, and the first look (peek) route."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlencode

import pytest
from test_ui_elements_route import PageBackend, elements
from test_ui_view_cache import A, SlowBackend, cache

from viz_app.ui.app import create_app
from viz_app.ui.query_progress import ProgressBoard, QueryStopped
from viz_app.ui.query_state import QueryState
from viz_app.ui.view_cache import view_key


def test_the_board_counts_pages_and_stops_only_running_queries() -> None:
    board = ProgressBoard(keep=2)
    assert board.get("a") is None and not board.stop("a")
    running = board.begin("a")
    running.page(50)
    running.page(20)
    assert running.as_data()["pages"] == 2 and running.as_data()["vertices"] == 70
    assert board.stop("a")
    assert running.as_data()["stopping"]
    with pytest.raises(QueryStopped) as stopped:
        running.page(50)
    assert (stopped.value.pages, stopped.value.vertices) == (3, 120)
    running.done = True
    assert not board.stop("a")  # done: nothing left to stop
    board.begin("b")
    board.begin("c")
    assert board.get("a") is None  # only the latest `keep` are remembered


def test_a_stopped_build_raises_and_is_not_remembered_as_a_failure() -> None:
    backend = SlowBackend()
    views = cache(backend)
    key = view_key(QueryState(arn=A, direction="Both", depth=2))
    errors: list[BaseException] = []

    def build() -> None:
        try:
            views.get(key, recent_failure_s=60)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=build)
    thread.start()
    for _ in range(200):  # the build has begun paging (it waits on `release` for its page)
        if views.progress.get(key) is not None:
            break
        threading.Event().wait(0.01)
    assert views.progress.stop(key)
    backend.release.set()
    thread.join(timeout=10)
    assert len(errors) == 1 and isinstance(errors[0], QueryStopped)
    view = views.get(key, recent_failure_s=60)  # asked again: built, not the stop again
    assert view.key == key
    assert views.progress.get(key) is not None and views.progress.get(key).done  # type: ignore[union-attr]


def test_progress_and_peek_routes() -> None:
    backend = PageBackend()
    client = create_app(backend).server.test_client()  # type: ignore[arg-type]
    search = "?" + urlencode({"arn": A, "direction": "Both", "depth": 4})
    progress: Any = client.get("/_lineage-viz/progress?" + urlencode({"search": search}))
    assert progress.get_json() == {"pages": None}  # nothing asked yet
    peek, _ = elements(client, search=search, peek="1")
    assert "peek" in peek["key"]
    assert backend.queries == [(A, "Both", 1)]  # the first look asks at depth 1
    elements(client, search=search)
    progress = client.get("/_lineage-viz/progress?" + urlencode({"search": search})).get_json()
    assert progress["pages"] == 1 and progress["done"] and not progress["stopping"]
    stop = client.post("/_lineage-viz/stop", json={"search": search}).get_json()
    assert stop == {"stopping": False}  # done already
    for body in ({}, {"search": 3}, {"search": "?arn=nope"}):
        assert client.post("/_lineage-viz/stop", json=body).get_json() == {"stopping": False}
