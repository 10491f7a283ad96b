"""Run the lineage service over a store file for the HTTP benchmark (`--sql`: without the index)."""

from __future__ import annotations

import sys

from viz_app.api.server import start_service
from viz_app.core.engine import QueryEngine, Question
from viz_app.core.engine.engine import CachedAnswer
from viz_app.core.lineage import query_lineage
from viz_app.core.store import Store


class SqlWalkEngine(QueryEngine):
    """The service as it was before the adjacency index: every request walks SQL level by
    level (the reference walk), with no index and no answer cache."""

    def _cached(self, q: Question) -> CachedAnswer:
        result = query_lineage(
            self.source,
            q.start,
            direction=q.direction,
            max_depth=q.max_depth,
            filters=q.filters,
            include_edges=q.include_edges,
        )
        return CachedAnswer((0, 0), result)


class SqlStore(Store):
    engine_type = SqlWalkEngine


def main(argv: list[str]) -> None:
    store = SqlStore(argv[0]) if "--sql" in argv else Store(argv[0])
    service = start_service(store)
    print(service.url, flush=True)
    try:
        while sys.stdin.read(1):
            pass
    finally:
        service.close()
        store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
