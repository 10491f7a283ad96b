"""How far the QueryLineage paging behind a view has got, and a way to stop it.

A 20,000-vertex view takes 401 pages; the page shows pages and vertices so far while it
waits, and a Stop button. The board lives with the view cache, so it is per app process: where
several worker processes serve the app, only the worker doing the paging can report or stop it
(the page then just waits, as before).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Final

KEEP: Final = 64  # queries remembered (running or recently done)


class QueryStopped(Exception):
    """The person stopped the paging; nothing of the partial answer is drawn."""

    def __init__(self, pages: int, vertices: int) -> None:
        super().__init__(f"stopped after {pages} pages ({vertices} vertices)")
        self.pages = pages
        self.vertices = vertices


@dataclass
class Progress:
    """One query's paging so far (written by the thread paging, read by the others)."""

    pages: int = 0
    vertices: int = 0
    started: float = field(default_factory=time.monotonic)
    done: bool = False
    stop_asked: bool = False

    def page(self, vertices: int) -> None:
        """Count one more page; raises QueryStopped if a stop was asked meanwhile."""
        self.pages += 1
        self.vertices += vertices
        if self.stop_asked:
            raise QueryStopped(self.pages, self.vertices)

    def as_data(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "vertices": self.vertices,
            "seconds": round(time.monotonic() - self.started, 1),
            "done": self.done,
            "stopping": self.stop_asked and not self.done,
        }


class ProgressBoard:
    """The progress of the latest query for each view key (bounded, thread-safe)."""

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._lock = threading.Lock()
        self._by_key: OrderedDict[str, Progress] = OrderedDict()

    def begin(self, key: str) -> Progress:
        progress = Progress()
        with self._lock:
            self._by_key[key] = progress
            self._by_key.move_to_end(key)
            while len(self._by_key) > self._keep:
                self._by_key.popitem(last=False)
        return progress

    def get(self, key: str) -> Progress | None:
        with self._lock:
            return self._by_key.get(key)

    def stop(self, key: str) -> bool:
        """Ask the query of `key` to stop at its next page; False if none is running."""
        progress = self.get(key)
        if progress is None or progress.done:
            return False
        progress.stop_asked = True
        return True
