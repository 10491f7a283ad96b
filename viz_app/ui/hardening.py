"""What every Flask server of lineage-viz does before and after a request: refuse a Host it
does not serve (DNS rebinding), cap request bodies, and send the browser's security headers.

Used by the explorer (`lineage-viz serve`, the WSGI entry point), the notebook view and the
compare view.
"""

from __future__ import annotations

from typing import Final

from flask import Flask, Response, request

from viz_app.binding import HostAllowList, allowed_hosts

# The app's own posts are small: the names route asks for at most 1,000 ARNs (measured: 43 KB
# for a 1,079-vertex view), Dash callbacks carry keys, never graphs (at most 3.5 KB measured;
# a view key is capped near 120 KB). 2 MB is far above that and stops a 40 MB body unread.
MAX_BODY_BYTES: Final = 2 * 1024 * 1024
HEADERS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# The page may only be framed by itself (the notebook view, which Jupyter frames, skips these).
FRAME_HEADERS: Final = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
}


def harden(
    server: Flask,
    hosts: HostAllowList | None = None,
    *,
    framed: bool = False,
    proxied_at: str | None = None,
) -> None:
    """Install the Host check, the body limit and the headers on `server`.

    `hosts` defaults to loopback names plus `LINEAGE_VIZ_ALLOWED_HOSTS`; `framed` allows any
    page to frame the app (Jupyter's output cells do). `proxied_at` is the path a Jupyter
    server's proxy serves the app under: jupyter-server-proxy forwards the browser's Host
    (a JupyterHub's or Studio's name, which that server has checked) and says the path in
    `X-Forwarded-Prefix`, so a request carrying that prefix is served whatever its Host.
    """
    allow = hosts or allowed_hosts()
    forwarded = proxied_at.rstrip("/") if proxied_at and proxied_at != "/" else None
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    added = dict(HEADERS) if framed else {**HEADERS, **FRAME_HEADERS}

    def check_host() -> Response | None:
        host = request.headers.get("Host")
        if allow.allows(host):
            return None
        prefix = request.headers.get("X-Forwarded-Prefix", "").rstrip("/")
        if forwarded is not None and prefix == forwarded:
            return None
        return Response(allow.refusal(host) + "\n", status=400, mimetype="text/plain")

    def add_headers(response: Response) -> Response:
        for name, value in added.items():
            response.headers.setdefault(name, value)
        return response

    server.before_request_funcs.setdefault(None, []).insert(0, check_host)
    server.after_request(add_headers)
