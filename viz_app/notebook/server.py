"""One quiet loopback server per notebook view, and the IFrame that shows it in Jupyter."""

from __future__ import annotations

import html
import importlib
import secrets
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any, Final

from dash import Dash
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from viz_app.notebook.proxy import HOST, PROBE_PATH, Route, choose_route

DEFAULT_HEIGHT: Final = 760


class _QuietHandler(WSGIRequestHandler):
    """Serves requests without writing a line anywhere (werkzeug would add a log handler)."""

    def log(self, type: str, message: str, *args: Any) -> None:
        return None


class _QuietServer(ThreadedWSGIServer):
    """A threaded WSGI server that never logs."""

    def log(self, type: str, message: str, *args: Any) -> None:
        return None


class _Switch:
    """The server's WSGI app: answers the proxy probe until the view's app is set."""

    def __init__(self, nonce: str) -> None:
        self.nonce = nonce
        self.app: Callable[..., Iterable[bytes]] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self.app is not None:
            return self.app(environ, start_response)
        found = str(environ.get("PATH_INFO", "")).endswith("/" + PROBE_PATH)
        body = self.nonce.encode() if found else b"starting"
        start_response("200 OK" if found else "503 Service Unavailable", [
            ("Content-Type", "text/plain"), ("Content-Length", str(len(body)))
        ])  # fmt: skip
        return [body]


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
    """A running notebook view: its URL, the app behind it, and how to stop it.

    `url` is what the browser opens (through the Jupyter server's proxy when there is one);
    `local_url` is the loopback address the kernel's machine itself can use.
    """

    def __init__(
        self,
        make_app: Callable[[str], Dash],
        search: str,
        *,
        title: str | None,
        height: int,
        proxy_url: str | None = None,
    ) -> None:
        self.title = title
        self.height = height
        switch = _Switch(secrets.token_urlsafe(16))
        self._server = _QuietServer(HOST, 0, switch, handler=_QuietHandler)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name=f"lineage-viz-view-{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._shown_in: int | None = None
        try:
            self.route: Route = choose_route(
                self.port, proxy_url, switch.nonce, in_jupyter=jupyter_shell() is not None
            )
            self.app = make_app(self.route.prefix)
        except BaseException:
            self.close()
            raise
        switch.app = self.app.server
        self.base_url = self.route.url
        self.url = self.base_url + search
        self.local_url = f"http://{HOST}:{self.port}/" + search

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
        note = (
            f'<div class="lineage-viz-note" style="color:#8a5a00;margin:4px 0">'
            f"{html.escape(self.route.note)}</div>"
            if self.route.note
            else ""
        )
        return (
            f'<div class="lineage-viz-view">{caption}'
            f'<iframe src="{html.escape(self.url, quote=True)}" width="100%" '
            f'height="{int(self.height)}" style="border:1px solid #ccc" '
            f'title="{html.escape(self.title or "lineage-viz", quote=True)}"></iframe>'
            f"{note}</div>"
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


def start_view(
    make_app: Callable[[str], Dash],
    search: str,
    *,
    title: str | None,
    height: int = DEFAULT_HEIGHT,
    proxy_url: str | None = None,
) -> View:
    """Serve the app `make_app(prefix)` builds on a free loopback port in a daemon thread (the
    kernel is never blocked); `prefix` is where the browser's requests for it arrive."""
    return View(make_app, search, title=title, height=height, proxy_url=proxy_url)
