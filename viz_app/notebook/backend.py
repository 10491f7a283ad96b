"""What a notebook view's explorer asks: the given answer first, then a live or offline source.

A notebook view opens on an answer the user already has (a query_lineage response). Its
`NotebookBackend` answers exactly that question with the given pages; every other question
(re-root, expand, filters, details, search) goes to one of two subclasses:

- `LiveBackend` (`viz_app.notebook.live`): the user's client, through a read-only window;
- `OfflineBackend` (`viz_app.notebook.offline`): the given answer itself, walked and read.

`viz_app.notebook.show` picks the one its arguments call for.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any

from viz_app.core.model import DEFAULT_REGION, parse_arn
from viz_app.notebook.data import LineageInput
from viz_app.ui.backends import MAX_PAGES, Backend, QueryResult

OnPage = Callable[[dict[str, Any]], None]


class NotebookBackend(Backend, ABC):
    """The app's backend for one notebook view: its own question is answered by `data`."""

    def __init__(
        self,
        client: Any,
        data: LineageInput,
        *,
        start: str | None,
        direction: str,
        depth: int,
        filters: Mapping[str, Any] | None,
        region: str,
        label: str,
    ) -> None:
        super().__init__(client, region=region, label=label)
        parsed = parse_arn(start or "")
        self._account_id = parsed.account if parsed else None
        self.data = data
        self.pinned = (start, direction, depth)
        self.pinned_filters = dict(filters or {})

    def _is_pinned(
        self, start: str, direction: str, depth: int, filters: Mapping[str, Any]
    ) -> bool:
        return (start, direction, depth) == self.pinned and dict(filters) == self.pinned_filters

    def _pinned_result(self) -> QueryResult:
        pages = [dict(p) for p in self.data.pages]
        return QueryResult(
            vertices=[v for p in pages for v in p["Vertices"]],
            edges=[e for p in pages for e in p["Edges"]],
            pages=pages,
            calls=len(pages),
        )

    def query_all_pages(
        self,
        start_arn: str,
        direction: str,
        depth: int,
        filters: dict[str, Any] | None = None,
        *,
        max_pages: int = MAX_PAGES,
        on_page: OnPage | None = None,
    ) -> QueryResult:
        """The given answer for the notebook's own question; any other from `_ask`."""
        if not self._is_pinned(start_arn, direction, depth, filters or {}):
            return self._ask(
                start_arn, direction, depth, filters or {}, max_pages=max_pages, on_page=on_page
            )
        result = self._pinned_result()
        for page in result.pages:  # answered at once: the pages are seen all together
            if on_page is not None:
                on_page(page)
        return result

    @abstractmethod
    def _ask(
        self,
        start_arn: str,
        direction: str,
        depth: int,
        filters: dict[str, Any],
        *,
        max_pages: int,
        on_page: OnPage | None,
    ) -> QueryResult:
        """A question other than the notebook's own."""


def start_region(start: str | None) -> str:
    """The region named by the start ARN (the default region without one)."""
    parsed = parse_arn(start or "")
    return parsed.region if parsed else DEFAULT_REGION
