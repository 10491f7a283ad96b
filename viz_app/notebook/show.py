"""`render`, `explore`, `serve` and a drop-in `Visualizer` that show lineage inline.

In a Jupyter kernel each call serves the explorer for its answer on a free loopback port and
displays it in an IFrame, through the Jupyter server's proxy when there is one (see
`viz_app.notebook.proxy`); anywhere else it writes one self-contained HTML file and returns its
path. Nothing global is created and the caller's client, environment and logging are left
as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from viz_app.client import factory
from viz_app.client.directions import ASCENDANTS
from viz_app.notebook.backend import NotebookBackend
from viz_app.notebook.data import LineageInput, guess_start, to_input
from viz_app.notebook.html_file import write_html
from viz_app.notebook.live import LiveBackend
from viz_app.notebook.offline import OfflineBackend
from viz_app.notebook.server import DEFAULT_HEIGHT, View, jupyter_shell, start_view
from viz_app.notebook.window import unwrap_client
from viz_app.ui.query_state import QueryState, validate

__all__ = ["View", "Visualizer", "explore", "render", "serve"]

DEFAULT_DIRECTION: Final = ASCENDANTS
DEFAULT_DEPTH: Final = 10
MAX_DESCRIBES: Final = 500  # the HTML file describes at most this many vertices

DateLike = str | dt.date | None


def make_backend(
    data: LineageInput,
    *,
    start: str | None,
    direction: str,
    depth: int,
    client: Any | None = None,
    filters: Mapping[str, Any] | None = None,
) -> NotebookBackend:
    """A `LiveBackend` on `client` (a boto3 client or `sagemaker.Session`), or an
    `OfflineBackend` on the answer alone when there is no client."""
    if client is None:
        return OfflineBackend(data, start=start, direction=direction, depth=depth, filters=filters)
    return LiveBackend(data, client, start=start, direction=direction, depth=depth, filters=filters)


def _as_input(query_response: Any) -> LineageInput:
    return query_response if isinstance(query_response, LineageInput) else to_input(query_response)


def _serve(
    data: LineageInput,
    state: QueryState,
    *,
    title: str | None,
    client: Any | None,
    height: int,
    proxy_url: str | None,
) -> View:
    from viz_app.ui.app import create_app  # Dash is only imported when a view is made

    backend = make_backend(
        data,
        start=state.arn,
        direction=state.direction,
        depth=state.depth,
        client=client,
        filters=state.filters(),
    )
    return start_view(
        # Jupyter's page frames the view; behind its proxy the Host is the Jupyter server's.
        lambda prefix: create_app(
            backend, requests_pathname_prefix=prefix, framed=True, proxied=prefix != "/"
        ),
        state.to_search(),
        title=title,
        height=height,
        proxy_url=proxy_url,
    )


def serve(
    query_response: Any,
    title: str | None = None,
    client: Any | None = None,
    *,
    start_arn: str | None = None,
    direction: str = DEFAULT_DIRECTION,
    depth: int = DEFAULT_DEPTH,
    height: int = DEFAULT_HEIGHT,
    proxy_url: str | None = None,
) -> View:
    """Start a view of the answer without displaying it; `view.url` opens it in a browser.

    The view first shows exactly the given answer. With a `client` (boto3 SageMaker client or
    `sagemaker.Session`), every other question goes to whatever that client talks to, read
    only; without one, it is answered from the given answer. `proxy_url` says where the
    browser reaches the view (see `render`).
    """
    data = _as_input(query_response)
    state = QueryState(
        arn=start_arn or guess_start(data, direction), direction=direction, depth=depth
    )
    return _serve(data, state, title=title, client=client, height=height, proxy_url=proxy_url)


def _describe_all(backend: NotebookBackend, data: LineageInput) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for vertex in data.vertices[:MAX_DESCRIBES]:
        try:
            out[vertex["Arn"]] = backend.describe(vertex["Arn"])
        except Exception:  # a vertex the client cannot describe keeps its ARN label
            continue
    return out


def _write(
    data: LineageInput,
    *,
    title: str | None,
    client: Any | None,
    start: str | None,
    direction: str,
    depth: int,
    output: str | Path | None,
) -> Path:
    backend = make_backend(data, start=start, direction=direction, depth=depth, client=client)
    descriptions = _describe_all(backend, data) if client is not None else {}
    return write_html(
        data,
        start=start,
        direction=direction,
        depth=depth,
        title=title,
        path=output,
        descriptions=descriptions,
        source=backend.label,
        region=backend.region,
        account=backend.account_id,
    )


def _show(
    data: LineageInput,
    state: QueryState,
    *,
    title: str | None,
    client: Any | None,
    output: str | Path | None,
    height: int,
    proxy_url: str | None,
) -> View | Path:
    if output is None and jupyter_shell() is not None:
        view = _serve(data, state, title=title, client=client, height=height, proxy_url=proxy_url)
        view.show()
        return view
    return _write(
        data,
        title=title,
        client=client,
        start=state.arn,
        direction=state.direction,
        depth=state.depth,
        output=output,
    )


def render(
    query_response: Any,
    title: str | None = None,
    client: Any | None = None,
    *,
    start_arn: str | None = None,
    direction: str = DEFAULT_DIRECTION,
    depth: int = DEFAULT_DEPTH,
    output: str | Path | None = None,
    height: int = DEFAULT_HEIGHT,
    proxy_url: str | None = None,
) -> View | Path:
    """Draw a query_lineage response (dict, list of pages or LineageQueryResult).

    In Jupyter: shows the explorer inline and returns its `View`. Elsewhere, or when `output`
    is given: writes a self-contained HTML file (a temporary one by default), returns its path.
    A response does not say where it started: pass `start_arn` when the guess is wrong.

    Inline, the view goes through the proxy of the Jupyter server running the kernel
    (jupyter-server-proxy's `<base_url>proxy/<port>/`) when that proxy reaches it, else
    straight to 127.0.0.1. `proxy_url` (or the LINEAGE_VIZ_PROXY_URL environment variable)
    overrides that: a URL or path with `{port}` in it, or `"local"` for 127.0.0.1.
    """
    data = _as_input(query_response)
    state = QueryState(
        arn=start_arn or guess_start(data, direction), direction=direction, depth=depth
    )
    return _show(
        data,
        state,
        title=title,
        client=client,
        output=output,
        height=height,
        proxy_url=proxy_url,
    )


def _names(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _date_text(value: DateLike) -> str | None:
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    return value


def explore(
    arn: str,
    direction: str = DEFAULT_DIRECTION,
    client: Any | None = None,
    depth: int = DEFAULT_DEPTH,
    *,
    types: str | Iterable[str] | None = None,
    lineage_types: str | Iterable[str] | None = None,
    created_after: DateLike = None,
    created_before: DateLike = None,
    modified_after: DateLike = None,
    modified_before: DateLike = None,
    property: str | None = None,
    title: str | None = None,
    output: str | Path | None = None,
    height: int = DEFAULT_HEIGHT,
    proxy_url: str | None = None,
) -> View | Path:
    """Query the lineage of `arn` (every page, with edges) and show it like `render`.

    The filters are the app's: entity `types` (e.g. "Model"), `lineage_types` ("Artifact",
    "Context", "Action", "TrialComponent"), creation and modification dates (a date, a
    datetime or "2024-05-31"; the day counts) and one `property` written "key=value". A bad
    value raises ValueError saying what to write instead. Without a `client`, a boto3
    SageMaker client on the default credential chain is used.
    """
    dates = {
        "created_after": _date_text(created_after),
        "created_before": _date_text(created_before),
        "modified_after": _date_text(modified_after),
        "modified_before": _date_text(modified_before),
    }
    state = validate(arn, direction, depth, _names(lineage_types), _names(types), dates, property)
    if state.errors:
        raise ValueError(" ".join(state.errors))
    if client is None:
        client = factory.sagemaker_client(purpose="notebook")
    asker = LiveBackend(
        LineageInput(pages=[]), client, start=None, direction=direction, depth=depth
    )
    result = asker.query_all_pages(arn, state.direction, state.depth, state.filters())
    data = to_input(result.pages)
    data.start_arns = [arn]
    return _show(
        data,
        state,
        title=title or arn,
        client=client,
        output=output,
        height=height,
        proxy_url=proxy_url,
    )


class Visualizer:
    """Drop-in for the AWS example notebooks' `visualizer.Visualizer`, with the same call shape.

    `Visualizer().render(query_response, "Endpoint")` shows the interactive explorer instead
    of a static picture. Pass `client=` to look further than the response (read only).
    """

    def __init__(
        self,
        client: Any | None = None,
        *,
        height: int = DEFAULT_HEIGHT,
        proxy_url: str | None = None,
    ) -> None:
        self.client = unwrap_client(client) if client is not None else None
        self.height = height
        self.proxy_url = proxy_url

    def render(
        self, query_lineage_response: Any, scenario_name: str | None = None, **options: Any
    ) -> View | Path:
        """Draw one query_lineage response under the title `scenario_name`."""
        options.setdefault("height", self.height)
        options.setdefault("proxy_url", self.proxy_url)
        return render(query_lineage_response, scenario_name, self.client, **options)
