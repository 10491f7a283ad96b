"""Query results kept in the app process, looked up by a key that holds the whole query."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar, cast
from urllib.parse import parse_qsl, urlencode

from viz_app.ui.backends import QueryResult
from viz_app.ui.elements import merge_pages
from viz_app.ui.query_progress import ProgressBoard, QueryStopped
from viz_app.ui.query_state import QueryState, from_search

MAX_VIEWS: Final = 16
MAX_MEMOS: Final = 32
# Each merge step of a key is at least one QueryLineage call (on AWS, a real call): a key
# names at most this many, and is at most this long (a step holds an ARN, at most 2 KB).
MAX_STEPS: Final = 50
MAX_KEY_CHARS: Final = 8_192 + MAX_STEPS * 2_200
STEP: Final = "step"  # a view key's merge steps, after its question
T = TypeVar("T")


class ViewTooBig(ValueError):
    """A view key with more merge steps (or characters) than a page could have made."""

    def __init__(self) -> None:
        super().__init__(
            f"This view has too many expanded nodes and answers merged in (at most {MAX_STEPS})."
            " Re-root on the node you want to follow instead."
        )


def view_key(state: QueryState, ops: Sequence[Sequence[str]] = ()) -> str:
    """The key of the view `state` asks for, after `ops` (expand / question merges).

    One format, the URL's own: the query string that asks the question (`to_search`, without
    how the graph is arranged), then one `step` parameter per merge, its parts joined by
    spaces (`step=expand <ARN>`, `step=ask <ARN> <question>`; no part holds a space).
    """
    search = state.for_key().to_search()
    if not ops:
        return search
    return search + "&" + urlencode([(STEP, " ".join(op)) for op in ops])


def parse_key(key: str) -> tuple[QueryState, list[list[str]]]:
    """The query and the merge steps a key names (a ValueError for anything else;
    `ViewTooBig` past `MAX_STEPS` steps or `MAX_KEY_CHARS`)."""
    if len(key) > MAX_KEY_CHARS:
        raise ViewTooBig()
    if not key.startswith("?"):
        raise ValueError("not a view key")
    steps = [value for name, value in parse_qsl(key[1:], keep_blank_values=True) if name == STEP]
    if len(steps) > MAX_STEPS:
        raise ViewTooBig()
    ops = [step.split(" ") for step in steps]
    if not all(op and all(op) for op in ops):
        raise ValueError("not a view key")
    return from_search(key), ops


def with_op(key: str, *op: str) -> str:
    """The key of the view `key` with one more merge step."""
    state, ops = parse_key(key)
    return view_key(state, [*ops, list(op)])


@dataclass(frozen=True)
class View:
    """One view's merged graph (immutable once built) and how it was fetched."""

    key: str
    state: QueryState
    vertices: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    pages: int
    calls: int
    repeated_token: bool = False
    truncated: bool = False
    added: tuple[str, ...] = ()
    records: tuple[dict[str, Any], ...] = ()
    by_arn: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)
    # For a filtered view, what the unfiltered walk at the same depth found (see
    # `view_build.builder`): how many entities besides the start, and its largest hop count.
    # None when the view is unfiltered or the walk was not needed.
    walk_found: int | None = None
    walk_reach: int | None = None
    # For a filtered view, the vertices that matched the filters (QueryLineage without edges);
    # the others are only on a path to a match. None when unfiltered.
    matched: frozenset[str] | None = None

    @classmethod
    def build(
        cls,
        key: str,
        state: QueryState,
        result: QueryResult,
        record: dict[str, Any],
        walk: tuple[int, int] | None = None,
    ) -> View:
        """The view of one QueryLineage question (the start stands alone if nothing came back);
        `walk` is (entities found, largest hop count) of the same question without filters."""
        vertices, edges = merge_pages(result.pages)
        if not vertices and state.arn:
            vertices = [{"Arn": state.arn, "LineageType": "", "Type": None}]
        return cls(
            key=key,
            state=state,
            vertices=vertices,
            edges=edges,
            pages=len(result.pages),
            calls=result.calls,
            repeated_token=result.repeated_token,
            truncated=result.truncated,
            records=(record,),
            by_arn={v["Arn"]: v for v in vertices},
            walk_found=walk[0] if walk else None,
            walk_reach=walk[1] if walk else None,
        )

    def merged(self, key: str, results: Sequence[QueryResult], records: Sequence[Any]) -> View:
        """This view plus more query results; the new vertices are marked `added`."""
        pages = [page for result in results for page in result.pages]
        vertices, edges = merge_pages([{"Vertices": self.vertices, "Edges": self.edges}, *pages])
        new = {v["Arn"] for v in vertices} - set(self.by_arn)
        return View(
            key=key,
            state=self.state,
            vertices=vertices,
            edges=edges,
            pages=self.pages,
            calls=self.calls + sum(r.calls for r in results),
            repeated_token=self.repeated_token,
            truncated=self.truncated or any(r.truncated for r in results),
            added=tuple(sorted(set(self.added) | new)),
            records=(*self.records, *records),
            by_arn={v["Arn"]: v for v in vertices},
            walk_found=self.walk_found,
            walk_reach=self.walk_reach,
            matched=self.matched,
        )

    def vertex(self, arn: str | None) -> dict[str, Any]:
        """The vertex `arn` as QueryLineage returned it ({} when it is not in the view)."""
        return dict(self.by_arn.get(arn or "", {}))

    def as_data(self) -> dict[str, Any]:
        """The view as the plain dict the tables, status line and exports read."""
        return {
            "start": self.state.arn,
            "direction": self.state.direction,
            "depth": self.state.depth,
            "vertices": self.vertices,
            "edges": self.edges,
            "pages": self.pages,
            "calls": self.calls,
            "repeated_token": self.repeated_token,
            "truncated": self.truncated,
            "added": list(self.added),
            "walk_reach": self.walk_reach,
        }

    def summary(self) -> dict[str, Any]:
        """What the browser keeps: the key and a few small facts (never the graph itself)."""
        return {
            "key": self.key,
            "start": self.state.arn,
            "direction": self.state.direction,
            "depth": self.state.depth,
            "counts": [len(self.vertices), len(self.edges), self.pages],
            "added": list(self.added),
        }


class ViewCache:
    """A bounded, thread-safe LRU of views, plus memos derived from them (e.g. elements).

    A key that is not (or no longer) here is rebuilt from the key itself by `build`, so any
    worker of a multi-process deployment can answer for any key.
    """

    def __init__(self, build: Callable[[str, ViewCache], View], max_views: int = MAX_VIEWS) -> None:
        self._build = build
        self._max = max_views
        self._views: OrderedDict[str, View] = OrderedDict()
        self._memos: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, list[Any]] = {}  # key -> [lock, waiters, error]
        self._failed: OrderedDict[str, tuple[float, Exception]] = OrderedDict()
        self.progress = ProgressBoard()  # the paging of the views being built

    def __len__(self) -> int:
        with self._lock:
            return len(self._views)

    def put(self, view: View) -> View:
        """Keep `view` (evicting the least recently used beyond the bound)."""
        with self._lock:
            self._views[view.key] = view
            self._views.move_to_end(view.key)
            while len(self._views) > self._max:
                self._views.popitem(last=False)
        return view

    def peek(self, key: str) -> View | None:
        """The cached view for `key`, or None (never computes)."""
        with self._lock:
            view = self._views.get(key)
            if view is not None:
                self._views.move_to_end(key)
            return view

    @contextmanager
    def _one_at_a_time(self, key: Hashable) -> Iterator[list[Any]]:
        """Hold `key`'s build lock; the yielded entry's [2] carries a failed build's error."""
        with self._lock:
            entry = self._building.setdefault(key, [threading.Lock(), 0, None])
            entry[1] += 1
        try:
            with entry[0]:
                yield entry
        finally:
            with self._lock:
                entry[1] -= 1
                if entry[1] == 0:
                    del self._building[key]

    def get(self, key: str, recent_failure_s: float = 0.0) -> View:
        """The view for `key`, rebuilt from the key when it is not cached.

        Requests that want the same missing view at once (the page's query callback and its
        elements fetch) wait for one build rather than each querying the backend; if that
        build fails, they all get its error. With `recent_failure_s`, a build of `key` that
        failed that recently is not tried again either (its error is raised).
        """
        view = self.peek(key)
        if view is not None:
            return view
        with self._one_at_a_time(key) as building:
            view = self.peek(key)
            if view is not None:
                return view
            if building[2] is not None:
                raise building[2]
            with self._lock:
                failed = self._failed.get(key)
            if failed and time.monotonic() - failed[0] < recent_failure_s:
                raise failed[1]
            try:
                return self.put(self._build(key, self))
            except Exception as exc:
                building[2] = exc
                if isinstance(exc, QueryStopped):  # asked for; asking again is no retry storm
                    raise
                with self._lock:
                    self._failed[key] = (time.monotonic(), exc)
                    while len(self._failed) > MAX_MEMOS:
                        self._failed.popitem(last=False)
                raise

    def _memo_get(self, memo_key: tuple[Any, ...]) -> tuple[bool, Any]:
        with self._lock:
            if memo_key in self._memos:
                self._memos.move_to_end(memo_key)
                return True, self._memos[memo_key]
        return False, None

    def memo(self, name: str, parts: tuple[Any, ...], make: Callable[[], T]) -> T:
        """A value derived from views, computed once per (`name`, `parts`) while kept (callers
        asking at once wait for the one computation)."""
        memo_key = (name, *parts)
        found, value = self._memo_get(memo_key)
        if found:
            return cast(T, value)
        with self._one_at_a_time(("memo", memo_key)):
            found, value = self._memo_get(memo_key)
            if found:
                return cast(T, value)
            made = make()
            with self._lock:
                self._memos[memo_key] = made
                while len(self._memos) > MAX_MEMOS:
                    self._memos.popitem(last=False)
            return made
