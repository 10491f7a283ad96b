"""What a new URL makes of the page: the view's summary, the sentence over the graph and the
investigation trail. The query callback (`callbacks_query.run_query`) only wires this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from viz_app.ui.backends import Backend
from viz_app.ui.elements_route import FIRST_NAMES_S, packed_elements
from viz_app.ui.labels import short_label
from viz_app.ui.messages import empty_result, explain, region_unavailable
from viz_app.ui.query_state import QueryState
from viz_app.ui.start_state import state_for
from viz_app.ui.view_cache import ViewCache, view_key

TRAIL_STEPS: Final = 12

Trail = list[dict[str, str]]


@dataclass(frozen=True)
class Outcome:
    """The view's summary (None: no graph), the sentence to show ("" for none), and the trail
    (None: unchanged)."""

    summary: dict[str, Any] | None = None
    error: str = ""
    trail: Trail | None = None


def extend_trail(
    trail: Trail | None,
    state: QueryState,
    vertex_type: str | None,
    lineage_type: str,
    label: str | None = None,
) -> Trail:
    """The investigation trail after visiting `state`: revisiting a step cuts back to it."""
    steps = list(trail or [])
    assert state.arn is not None
    for i, step in enumerate(steps):
        if step["arn"] == state.arn:
            steps = steps[: i + 1]
            steps[i] = {**step, "search": state.to_search()}
            return steps
    label = label or short_label(state.arn, vertex_type, lineage_type)
    steps.append({"arn": state.arn, "label": label, "search": state.to_search()})
    return steps[-TRAIL_STEPS:]


def outcome_of(
    backend: Backend, views: ViewCache, search: str | None, trail: Trail | None
) -> Outcome:
    """Ask the URL's question (through the view cache) and say what came of it.

    A failed or refused query clears the graph: no earlier or partial view stays shown.
    """
    state = state_for(search, backend)
    if state.errors:
        return Outcome(error=" ".join(state.errors))
    if state.arn is None:
        return Outcome()
    unavailable = region_unavailable(backend.region)
    if unavailable:
        return Outcome(error=unavailable)
    try:
        view = views.get(view_key(state))
    except Exception as exc:
        return Outcome(error=explain(exc))
    if not state.arrange:
        # The elements the page is fetching beside the callback: made here, before its answer
        # sets off the next callbacks, so they do not compete with the graph. (A view arranged
        # by run is laid out by the route alone: its runs are asked there.)
        packed_elements(views, view, frozenset(), backend.names)
    start = view.vertex(state.arn)
    error = "" if len(view.vertices) > 1 else empty_result(state, view.walk_found)
    # The trail names its steps: the start's name is asked for here when nothing has yet (a
    # view arranged by run, with its direction in the link). Known names cost no call.
    backend.names.fill_within([state.arn], FIRST_NAMES_S)
    name = backend.names.labels([start])[state.arn] if start else None
    steps = extend_trail(trail, state, start.get("Type"), start.get("LineageType", ""), name)
    return Outcome(view.summary(), error, steps)
