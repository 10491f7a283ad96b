"""One quiet loopback server per notebook view, and the IFrame that shows it in Jupyter."""

from __future__ import annotations

import html
import importlib
import sys
import threading
from typing import Any, Final

from dash import Dash
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

HOST: Final = "127.0.0.1"
DEFAULT_HEIGHT: Final = 760


class _QuietHandler(WSGIRequestHandler):
    """Serves requests without writing a line anywhere (werkzeug would add a log handler)."""

    def log(self, type: str, message: str, *args: Any) -> None:
        return None


class _QuietServer(ThreadedWSGIServer):
    """A threaded WSGI server that never logs."""

    def log(self, type: str, message: str, *args: Any) -> None:
        return None


def jupyter_shell() -> Any | None:
    """The running IPython shell when it belongs to a Jupyter kernel, else None.

    IPython is only looked at if it is already imported, so plain Python stays untouched.
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    shell = ipython.get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    return shell


class View:
    """A running notebook view: its URL, the app behind it, and how to stop it."""

    def __init__(self, app: Dash, search: str, *, title: str | None, height: int) -> None:
        self.app = app
        self.title = title
        self.height = height
        self._server = _QuietServer(HOST, 0, app.server, handler=_QuietHandler)
        self.port = int(self._server.server_address[1])
        self.base_url = f"http://{HOST}:{self.port}/"
        self.url = self.base_url + search
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name=f"lineage-viz-view-{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._shown_in: int | None = None

    @property
    def running(self) -> bool:
        """True until `close()`."""
        return self._thread.is_alive()

    def close(self) -> None:
        """Stop serving this view (its IFrame then shows nothing new)."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=10)

    def iframe_html(self) -> str:
        """The output cell's HTML: a caption (the title) over an IFrame on the view."""
        caption = (
            f'<div class="lineage-viz-title" style="font-weight:600;margin:4px 0">'
            f"{html.escape(self.title)}</div>"
            if self.title
            else ""
        )
        return (
            f'<div class="lineage-viz-view">{caption}'
            f'<iframe src="{html.escape(self.url, quote=True)}" width="100%" '
            f'height="{int(self.height)}" style="border:1px solid #ccc" '
            f'title="{html.escape(self.title or "lineage-viz", quote=True)}"></iframe></div>'
        )

    def show(self) -> None:
        """Display the IFrame in the running kernel's output."""
        display: Any = importlib.import_module("IPython.display")
        shell = jupyter_shell()
        self._shown_in = getattr(shell, "execution_count", None)
        display.display(display.HTML(self.iframe_html()))

    def _ipython_display_(self) -> None:
        # `render()` already showed the view; when it is also the cell's last value, show it once.
        shell = jupyter_shell()
        if shell is not None and self._shown_in == getattr(shell, "execution_count", -1):
            return
        self.show()

    def __repr__(self) -> str:
        state = "running" if self.running else "closed"
        return f"<lineage-viz view {self.title or ''!r} {state} at {self.url}>"


def start_view(app: Dash, search: str, *, title: str | None, height: int = DEFAULT_HEIGHT) -> View:
    """Serve `app` on a free loopback port in a daemon thread; the kernel is never blocked."""
    return View(app, search, title=title, height=height)
