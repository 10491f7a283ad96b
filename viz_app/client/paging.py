"""Following NextToken: every page of a List*, QueryLineage or ListTags answer, one loop."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

Call = Callable[..., Mapping[str, Any]]


class Pages:
    """Iterating calls `call(**params)`, then again with each page's NextToken, and yields
    every page (without ResponseMetadata) until one has no NextToken.

    It also stops after `max_pages` pages with a NextToken still to follow (`truncated`), and
    when a page repeats a token already followed (`repeated_token`): a service that does that
    would page forever. The caller may stop early by leaving the loop; `calls` counts the
    pages asked for so far.
    """

    def __init__(
        self, call: Call, params: Mapping[str, Any] | None = None, *, max_pages: int | None = None
    ) -> None:
        self._call = call
        self._params = dict(params or {})
        self._max_pages = max_pages
        self.calls = 0
        self.truncated = False
        self.repeated_token = False

    @property
    def cut_short(self) -> bool:
        """True when the paging ended before the service's last page."""
        return self.truncated or self.repeated_token

    def __iter__(self) -> Iterator[dict[str, Any]]:
        params = dict(self._params)
        followed: set[str] = set()
        while True:
            page = dict(self._call(**params))
            self.calls += 1
            page.pop("ResponseMetadata", None)
            yield page
            token = page.get("NextToken")
            if not token:
                return
            if self._max_pages is not None and self.calls >= self._max_pages:
                self.truncated = True
                return
            if token in followed:
                self.repeated_token = True
                return
            followed.add(token)
            params["NextToken"] = token


def items(
    call: Call, key: str, params: Mapping[str, Any] | None = None, *, max_pages: int | None = None
) -> Iterator[Any]:
    """The members under `key` (e.g. `ArtifactSummaries`) of every page, in order."""
    for page in Pages(call, params, max_pages=max_pages):
        yield from page.get(key) or ()
