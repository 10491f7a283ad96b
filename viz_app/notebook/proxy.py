"""Where the user's browser reaches a notebook view: the Jupyter server's proxy, or 127.0.0.1.

Behind JupyterLab, Notebook 7, JupyterHub or a SageMaker Studio JupyterLab space the browser
talks only to the Jupyter server, often from another machine. jupyter-server-proxy serves
any port of the kernel's machine under `<base_url>proxy/<port>/` of that server, so the view
is shown there: the base URL is the one the server reports in its runtime file, and a probe
through the proxy checks that it really reaches this view before the IFrame uses it.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

HOST: Final = "127.0.0.1"
ENV_VAR: Final = "LINEAGE_VIZ_PROXY_URL"
HUB_PREFIX_VAR: Final = "JUPYTERHUB_SERVICE_PREFIX"  # set by JupyterHub for the user's server
LOCAL: Final = "local"  # proxy_url="local": the browser runs on the kernel's machine
PROBE_PATH: Final = "_lineage-viz/probe"
PROBE_TIMEOUT_S: Final = 5.0
VERIFIED: Final = "the Jupyter server's proxy"
_WILDCARDS: Final = frozenset({"", "0.0.0.0", "::", "*", "localhost"})


class ProxyUrlError(ValueError):
    """A `proxy_url` (argument or LINEAGE_VIZ_PROXY_URL) that cannot locate a view."""


@dataclass(frozen=True)
class Route:
    """How the browser reaches one view.

    `url` is the IFrame's address without the query (absolute, or rooted at the page's
    server); `prefix` is the path the app's own requests must carry (Dash's
    `requests_pathname_prefix`); `note` is a sentence for the output cell when the browser
    may not reach the view.
    """

    url: str
    prefix: str
    via: str
    note: str | None = None


def local_route(port: int, note: str | None = None) -> Route:
    """The view straight on 127.0.0.1: only a browser on the kernel's machine reaches it."""
    return Route(f"http://{HOST}:{port}/", "/", "127.0.0.1", note)


def explicit_route(template: str, port: int, source: str) -> Route:
    """The route a `proxy_url` names: `local`, or a URL or path with `{port}` in it."""
    text = template.strip()
    if text.lower() == LOCAL:
        return local_route(port)
    if "{port}" not in text:
        raise ProxyUrlError(
            f"{source} must contain {{port}} (for example "
            f"'https://jupyter.example.com/user/alice/proxy/{{port}}/' or '/proxy/{{port}}/'), "
            f"or be 'local'; got {text!r}."
        )
    url = text.replace("{port}", str(port))
    parts = urlsplit(url)
    if (parts.scheme not in ("http", "https") or not parts.netloc) and not url.startswith("/"):
        raise ProxyUrlError(
            f"{source} must be an http(s) URL or a path starting with '/'; got {text!r}."
        )
    if parts.query or parts.fragment:
        raise ProxyUrlError(f"{source} must not have a query or fragment; got {text!r}.")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    url = url if url.endswith("/") else url + "/"
    return Route(url, path, source)


def _ancestors() -> list[int]:
    """This process's parent, grandparent, ... (as far as /proc tells; the parent elsewhere)."""
    chain = [os.getppid()]
    while len(chain) < 16 and chain[-1] > 1:
        try:
            stat = Path(f"/proc/{chain[-1]}/stat").read_text()
        except OSError:
            break
        chain.append(int(stat.rsplit(")", 1)[1].split()[1]))
    return chain


def _runtime_dir() -> Path | None:
    try:
        from jupyter_core.paths import jupyter_runtime_dir
    except ImportError:  # not in a Jupyter kernel's environment
        return None
    return Path(jupyter_runtime_dir())


def kernel_server() -> dict[str, Any] | None:
    """The runtime info (base_url, port, token, ...) of the Jupyter server running this kernel.

    Every Jupyter server writes `jpserver-<pid>.json` (Notebook 6: `nbserver-<pid>.json`) to
    the runtime directory; the one whose pid is an ancestor of this process started it.
    """
    folder = _runtime_dir()
    if folder is None or not folder.is_dir():
        return None
    ancestors = set(_ancestors())
    for path in sorted([*folder.glob("jpserver-*.json"), *folder.glob("nbserver-*.json")]):
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(info, dict) and info.get("pid") in ancestors:
            return info
    return None


def _base_url(info: dict[str, Any]) -> str:
    base = str(info.get("base_url") or "/")
    base = base if base.startswith("/") else "/" + base
    return base if base.endswith("/") else base + "/"


def _server_root(info: dict[str, Any]) -> str:
    """Where the kernel itself reaches the server (loopback unless it binds one address)."""
    host = str(info.get("hostname") or "")
    host = HOST if host in _WILDCARDS else host
    host = f"[{host}]" if ":" in host else host
    scheme = "https" if info.get("secure") else "http"
    return f"{scheme}://{host}:{int(info['port'])}{_base_url(info)}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect (to a login page) is an answer, not something to follow


def probe(info: dict[str, Any], port: int, nonce: str) -> bool | None:
    """Ask the server's proxy for this view's probe: True if the nonce comes back, False if
    the server has no such route (404: no jupyter-server-proxy), None if it cannot tell."""
    url = f"{_server_root(info)}proxy/{port}/{PROBE_PATH}"
    request = urllib.request.Request(url)
    token = str(info.get("token") or os.environ.get("JUPYTERHUB_API_TOKEN") or "")
    if token:
        request.add_header("Authorization", f"token {token}")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=PROBE_TIMEOUT_S) as answer:
            return True if answer.read(256).decode("utf-8", "replace") == nonce else None
    except urllib.error.HTTPError as err:
        return False if err.code == 404 else None
    except (OSError, ValueError):
        return None


def proxied_route(base_url: str, port: int, via: str) -> Route:
    """`<base_url>proxy/<port>/`, rooted at the server the notebook page came from."""
    path = f"{base_url}proxy/{port}/"
    return Route(path, path, via)


def choose_route(port: int, proxy_url: str | None, nonce: str, *, in_jupyter: bool) -> Route:
    """The route for a view on `port`: `proxy_url`, else LINEAGE_VIZ_PROXY_URL, else (in a
    kernel) the proxy of the Jupyter server that runs it, else 127.0.0.1."""
    if proxy_url is not None:
        return explicit_route(proxy_url, port, "proxy_url")
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return explicit_route(configured, port, ENV_VAR)
    if not in_jupyter:
        return local_route(port)
    info = kernel_server()
    hub_prefix = os.environ.get(HUB_PREFIX_VAR, "").strip()
    if info is None:
        if hub_prefix:  # JupyterHub's single-user server, on this machine
            base = hub_prefix if hub_prefix.endswith("/") else hub_prefix + "/"
            return proxied_route(base, port, HUB_PREFIX_VAR)
        return local_route(port)
    reached = probe(info, port, nonce)
    if reached is False:
        note = (
            f"The Jupyter server at {_base_url(info)} has no jupyter-server-proxy, so this view "
            f"is served on 127.0.0.1:{port}, which only a browser on the kernel's machine "
            "reaches. Install jupyter-server-proxy where the server runs and restart it, or "
            f"set proxy_url= or {ENV_VAR}."
        )
        return local_route(port, note)
    # None: the server would not say (a login in the way); it reported the base URL, use it.
    via = VERIFIED if reached else "the Jupyter server's proxy (not verified)"
    return proxied_route(_base_url(info), port, via)
