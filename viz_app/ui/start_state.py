"""The query a URL asks for, with the direction the start's type suggests when none is given."""

from __future__ import annotations

from dataclasses import replace

from viz_app.ui.backends import Backend
from viz_app.ui.query_state import QueryState, chooses_direction, default_direction, from_search


def state_for(search: str | None, backend: Backend) -> QueryState:
    """`from_search`, where a URL without `direction` opens the start's natural question:
    Ascendants for an endpoint, model or model package ("what made this?"), Descendants for
    a dataset or image ("where did this go?"), Both otherwise (`default_direction`)."""
    state = from_search(search)
    if state.arn is None or state.errors or chooses_direction(search):
        return state
    try:
        entity_type = backend.names.entity_type(state.arn)
    except Exception:  # the query itself will say what is wrong with the start
        entity_type = ""
    return replace(state, direction=default_direction(entity_type))
