"""The QueryLineage engine: `index` (ARNs interned to ints, neighbour lists), `keeper` (keeps
the index in step with the store file), `query` (the walk on the index) and `engine` (the
class the service calls: index, answer cache, pages)."""

from __future__ import annotations

from viz_app.core.engine.engine import LineagePage, QueryEngine, Question

__all__ = ["LineagePage", "QueryEngine", "Question"]
