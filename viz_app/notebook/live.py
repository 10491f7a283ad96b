"""A notebook view with the user's client: other questions go to SageMaker, read only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from viz_app.notebook.backend import NotebookBackend, OnPage, start_region
from viz_app.notebook.data import LineageInput
from viz_app.notebook.window import ReadOnlyClient, unwrap_client
from viz_app.ui.backends import Backend, QueryResult


class LiveBackend(NotebookBackend):
    """Re-root, expand, details, tags, trials and search through a read-only window on the
    caller's client (the app's own calls, as on any backend)."""

    def __init__(
        self,
        data: LineageInput,
        client: Any,
        *,
        start: str | None,
        direction: str,
        depth: int,
        filters: Mapping[str, Any] | None = None,
    ) -> None:
        raw = unwrap_client(client)
        region = str(raw.meta.region_name or start_region(start))
        endpoint = str(getattr(raw.meta, "endpoint_url", "") or "")
        label = "aws" if endpoint.endswith(".amazonaws.com") else "local"
        super().__init__(
            ReadOnlyClient(raw),
            data,
            start=start,
            direction=direction,
            depth=depth,
            filters=filters,
            region=region,
            label=label,
        )

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
        return Backend.query_all_pages(
            self, start_arn, direction, depth, filters, max_pages=max_pages, on_page=on_page
        )
