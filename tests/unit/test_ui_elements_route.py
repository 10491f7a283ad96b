"""The elements route assets/graph.js fetches: packed elements of a view, or no view."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from test_ui_view_cache import A, B, FakeBackend

from viz_app.ui.app import create_app
from viz_app.ui.query_state import QueryState
from viz_app.ui.view_cache import view_key


class PageBackend(FakeBackend):
    """The fake QueryLineage graph plus what the page's header and resolve need."""

    region = "us-east-1"
    label = "local"
    account_id = "123456789012"


@pytest.fixture()
def client() -> Any:
    app = create_app(PageBackend())  # type: ignore[arg-type]
    return app.server.test_client()


def elements(client: Any, **params: Any) -> tuple[Any, Any]:
    reply = client.get("/_lineage-viz/elements?" + urlencode(params, doseq=True))
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.headers["Cache-Control"] == "no-store"
    return reply.get_json(), reply


def test_the_url_search_of_a_view_gives_its_packed_elements() -> None:
    backend = PageBackend()
    app = create_app(backend)  # type: ignore[arg-type]
    client = app.server.test_client()
    search = "?" + urlencode({"arn": A, "direction": "Both", "depth": 2})
    packed, _ = elements(client, search=search)
    assert packed["key"] == view_key(QueryState(arn=A, direction="Both", depth=2))
    assert {node[0] for node in packed["nodes"]} == {A, B}
    assert len(packed["edges"]) == 1
    again, _ = elements(client, key=packed["key"])  # by key: the same elements, no new query
    assert again == packed
    assert len(backend.queries) == 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"search": ""},
        {"search": "?direction=Both"},
        {"search": "?arn=" + A + "&depth=99"},
        {"search": "?arn=arn:aws:sagemaker:us-east-1:123456789012:endpoint/x"},
        {"key": "not a key"},
        {"key": '["?arn=x", [[1]]]'},
        {"key": "?arn=x&step="},
        {"search": "?arn=" + A, "group": [f"group:{n}" for n in range(201)]},
    ],
)
def test_anything_that_names_no_view_answers_no_view(client: Any, params: dict[str, Any]) -> None:
    packed, _ = elements(client, **params)
    assert packed == {"key": None}


def test_a_failing_query_answers_no_view_and_is_not_asked_again_at_once() -> None:
    class Failing(PageBackend):
        def query_all_pages(self, *args: Any, **kwargs: Any) -> Any:
            super().query_all_pages(*args, **kwargs)
            raise RuntimeError("ThrottlingException")

    backend = Failing()
    client = create_app(backend).server.test_client()  # type: ignore[arg-type]
    search = "?" + urlencode({"arn": A})
    assert elements(client, search=search)[0] == {"key": None}
    assert elements(client, search=search)[0] == {"key": None}
    assert len(backend.queries) == 1  # the page's query callback reports it, once
