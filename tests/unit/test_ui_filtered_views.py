"""Filtered views: why an answer is empty, and whether the depth cut the walk off."""

from __future__ import annotations

import itertools
from typing import Any

from test_ui_view_cache import FakeBackend

from viz_app.ui.backends import QueryResult
from viz_app.ui.callbacks_query import status_line
from viz_app.ui.messages import empty_result
from viz_app.ui.query_state import QueryState, validate
from viz_app.ui.view_build import builder
from viz_app.ui.view_cache import ViewCache, view_key

ART = "arn:aws:sagemaker:us-east-1:123456789012:artifact/"
CHAIN = [ART + c * 32 for c in "abcd"]  # a -> b -> c -> d; b is the only Model
TYPES = {CHAIN[0]: "DataSet", CHAIN[1]: "Model", CHAIN[2]: "DataSet", CHAIN[3]: "DataSet"}


class ChainBackend(FakeBackend):
    """QueryLineage on a four-vertex chain, with the service's filter semantics (Descendants)."""

    def __init__(self) -> None:
        super().__init__()
        self.filters: list[Any] = []

    def query_all_pages(
        self, start: str, direction: str, depth: int, filters: Any = None, **_: Any
    ) -> QueryResult:
        self.queries.append((start, direction, depth))
        self.filters.append(filters or {})
        first = CHAIN.index(start)
        reached = CHAIN[first : first + depth + 1]
        wanted = (filters or {}).get("Types")
        matched = [a for a in reached[1:] if not wanted or TYPES[a] in wanted]
        # The start, the matches and every vertex on the path to a match.
        last = max((reached.index(a) for a in matched), default=-1)
        kept = reached[: last + 1] if matched else []
        vertices = [{"Arn": a, "LineageType": "Artifact", "Type": TYPES[a]} for a in kept]
        edges = [
            {"SourceArn": s, "DestinationArn": d, "AssociationType": "ContributedTo"}
            for s, d in itertools.pairwise(kept)
        ]
        page = {"Vertices": vertices, "Edges": edges}
        return QueryResult(vertices, edges, [page], calls=1)


def views(backend: ChainBackend) -> ViewCache:
    return ViewCache(builder(backend))  # type: ignore[arg-type]


def status_text(data: dict[str, Any]) -> str:
    return " ".join(str(part.children) for part in status_line(data))


def test_a_filter_that_removes_everything_is_named_with_what_the_walk_found() -> None:
    backend = ChainBackend()
    state = QueryState(arn=CHAIN[1], direction="Descendants", depth=2, types=("Model",))
    view = views(backend).get(view_key(state))
    assert [v["Arn"] for v in view.vertices] == [CHAIN[1]]  # the start stands alone
    assert view.walk_found == 2 and view.walk_reach == 2
    text = empty_result(state, view.walk_found)
    assert text.startswith("The filter on entity types (Model) removed all 2 entities")
    assert "clear it" in text and "try Both" not in text
    assert text.count(".") == 1  # one sentence


def test_several_filters_are_all_named() -> None:
    state = validate(
        CHAIN[0], "Ascendants", 3, ["Artifact"], ["Model"], {"created_after": "2024-05-31"}, "k=v"
    )
    text = empty_result(state, 5)
    for name in (
        "entity types (Model)",
        "lineage types (Artifact)",
        "created after (2024-05-31)",
        "property (k=v)",
    ):
        assert name in text
    assert "clear them" in text


def test_without_filters_an_empty_result_still_points_at_the_direction() -> None:
    text = empty_result(QueryState(arn=CHAIN[3], direction="Descendants", depth=3))
    assert "try Both or a larger depth" in text and "filter" not in text
    both = empty_result(QueryState(arn=CHAIN[3], direction="Both", depth=10))
    assert "its own" not in both and "filter" not in both  # never "not its own bot"
    assert both.endswith("it has no recorded lineage.")


def test_a_filtered_view_that_misses_the_depth_limit_still_warns() -> None:
    backend = ChainBackend()
    # From a, Descendants, depth 3: the walk reaches d (3 hops); only b (1 hop) is a Model.
    state = QueryState(arn=CHAIN[0], direction="Descendants", depth=3, types=("Model",))
    view = views(backend).get(view_key(state))
    assert [v["Arn"] for v in view.vertices] == CHAIN[:2]
    assert view.walk_reach == 3
    assert "Some entities sit at depth 3" in status_text(view.as_data())
    assert backend.filters == [{"Types": ["Model"]}, {}]  # one extra, unfiltered question


def test_the_walk_is_asked_only_when_the_filtered_graph_stops_short() -> None:
    backend = ChainBackend()
    cache = views(backend)
    unfiltered = cache.get(view_key(QueryState(arn=CHAIN[0], direction="Descendants", depth=3)))
    assert unfiltered.walk_reach is None and len(backend.queries) == 1
    assert "Some entities sit at depth 3" in status_text(unfiltered.as_data())
    reaching = QueryState(arn=CHAIN[0], direction="Descendants", depth=3, types=("DataSet",))
    cache.get(view_key(reaching))
    assert len(backend.queries) == 2  # d matches, at the depth: no walk needed
    # A filtered view whose walk is already cached asks nothing more.
    short = QueryState(arn=CHAIN[0], direction="Descendants", depth=3, types=("Model",))
    assert cache.get(view_key(short)).walk_reach == 3
    assert len(backend.queries) == 3


def test_a_filtered_view_inside_the_depth_has_no_warning() -> None:
    backend = ChainBackend()
    state = QueryState(arn=CHAIN[0], direction="Descendants", depth=5, types=("Model",))
    view = views(backend).get(view_key(state))
    assert view.walk_reach == 3
    assert "depth" not in status_text(view.as_data())
