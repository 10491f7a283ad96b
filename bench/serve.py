"""Run the lineage service over a store file for the HTTP benchmark (`--sql`: without the index)."""

from __future__ import annotations

import sys

from viz_app.api.server import start_service
from viz_app.core.lineage import LineageResult, QueryFilters
from viz_app.core.store import Store


class SqlStore(Store):
    """The store as it was before the adjacency index: every query walks SQL level by level."""

    def indexed_query(
        self, start: str, direction: str, max_depth: int, filters: QueryFilters, inc: bool
    ) -> LineageResult | None:  # type: ignore[override]
        return None


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
