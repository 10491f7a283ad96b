"""Notebook API: `render`, `explore` and a drop-in `Visualizer` that show lineage inline.

In a Jupyter kernel each call serves the explorer for its answer on a free loopback port and
displays it in an IFrame; anywhere else it writes one self-contained HTML file and returns
its path. Nothing global is created and the caller's client, environment and logging are
left as they were.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from viz_app.notebook_backend import NotebookBackend, unwrap_client
from viz_app.notebook_data import LineageInput, guess_start, to_input
from viz_app.notebook_html import write_html
from viz_app.notebook_server import DEFAULT_HEIGHT, View, jupyter_shell, start_view
from viz_app.ui.query_state import QueryState

__all__ = ["View", "Visualizer", "explore", "render", "serve"]

DEFAULT_DIRECTION: Final = "Ascendants"
DEFAULT_DEPTH: Final = 10
MAX_DESCRIBES: Final = 500  # the HTML file describes at most this many vertices


def _as_input(query_response: Any) -> LineageInput:
    return query_response if isinstance(query_response, LineageInput) else to_input(query_response)


def serve(
    query_response: Any,
    title: str | None = None,
    client: Any | None = None,
    *,
    start_arn: str | None = None,
    direction: str = DEFAULT_DIRECTION,
    depth: int = DEFAULT_DEPTH,
    height: int = DEFAULT_HEIGHT,
) -> View:
    """Start a view of the answer without displaying it; `view.url` opens it in a browser.

    The view first shows exactly the given answer. With a `client` (boto3 SageMaker client or
    `sagemaker.Session`), every other question goes to whatever that client talks to, read
    only; without one, it is answered from the given answer.
    """
    from viz_app.ui.app import create_app  # Dash is only imported when a view is made

    data = _as_input(query_response)
    start = start_arn or guess_start(data, direction)
    backend = NotebookBackend(data, start=start, direction=direction, depth=depth, client=client)
    search = QueryState(arn=start, direction=direction, depth=depth).to_search()
    # Jupyter's page frames the view: framing stays allowed; the Host check and limits apply.
    app = create_app(backend, framed=True)
    return start_view(app, search, title=title, height=height)


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
    backend = NotebookBackend(data, start=start, direction=direction, depth=depth, client=client)
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
) -> View | Path:
    """Draw a query_lineage response (dict, list of pages or LineageQueryResult).

    In Jupyter: shows the explorer inline and returns its `View`. Elsewhere, or when `output`
    is given: writes a self-contained HTML file (a temporary one by default), returns its path.
    A response does not say where it started: pass `start_arn` when the guess is wrong.
    """
    data = _as_input(query_response)
    start = start_arn or guess_start(data, direction)
    if output is None and jupyter_shell() is not None:
        view = serve(
            data, title, client, start_arn=start, direction=direction, depth=depth, height=height
        )
        view.show()
        return view
    return _write(
        data,
        title=title,
        client=client,
        start=start,
        direction=direction,
        depth=depth,
        output=output,
    )


def explore(
    arn: str,
    direction: str = DEFAULT_DIRECTION,
    client: Any | None = None,
    depth: int = DEFAULT_DEPTH,
    *,
    title: str | None = None,
    output: str | Path | None = None,
    height: int = DEFAULT_HEIGHT,
) -> View | Path:
    """Query the lineage of `arn` (every page, with edges) and show it like `render`.

    Without a `client`, a boto3 SageMaker client on the default credential chain is used.
    """
    if client is None:
        import boto3

        client = boto3.client("sagemaker")
    asker = NotebookBackend(
        LineageInput(pages=[]), start=None, direction=direction, depth=depth, client=client
    )
    result = asker.query_all_pages(arn, direction, depth)
    data = to_input(result.pages)
    data.start_arns = [arn]
    return render(
        data,
        title or arn,
        client,
        start_arn=arn,
        direction=direction,
        depth=depth,
        output=output,
        height=height,
    )


class Visualizer:
    """Drop-in for the AWS example notebooks' `visualizer.Visualizer`, with the same call shape.

    `Visualizer().render(query_response, "Endpoint")` shows the interactive explorer instead
    of a static picture. Pass `client=` to look further than the response (read only).
    """

    def __init__(self, client: Any | None = None, *, height: int = DEFAULT_HEIGHT) -> None:
        self.client = unwrap_client(client) if client is not None else None
        self.height = height

    def render(
        self, query_lineage_response: Any, scenario_name: str | None = None, **options: Any
    ) -> View | Path:
        """Draw one query_lineage response under the title `scenario_name`."""
        options.setdefault("height", self.height)
        return render(query_lineage_response, scenario_name, self.client, **options)
