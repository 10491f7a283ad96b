"""`GET _lineage-viz/elements`: a view's packed Cytoscape elements, fetched by assets/graph.js.

The graph is the page's largest payload (≈400 KB at 2,000 vertices). Served on a plain route
it skips Dash's store handling, and the browser asks for it as soon as the URL changes,
while the Dash callbacks for the status line, trail and details run beside it.

Parameters: `search` (the page's URL query, as the browser has it) or `key` (a view key, for
views that merged more results), `group` (repeatable: expanded group ids), and `peek=1` (with
`search`: only the first page of the question at depth 1, drawn while a big answer pages).
Beside it, `GET _lineage-viz/progress?search=` tells how far that paging got and
`POST _lineage-viz/stop` (JSON `{"search": ...}`) stops it. The answer is
the packed elements (`packing.pack`), or `{"key": null}` when there is no view to draw (no
start, an invalid query, a failed call): the page's callbacks say why in a sentence.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from dash import Dash
from flask import Response, request

from viz_app.render.stylesheet import PATH_ONLY
from viz_app.ui.backends import Backend
from viz_app.ui.elements import to_elements
from viz_app.ui.labels import shown_labels, wrap_label
from viz_app.ui.layout_keep import keep_positions
from viz_app.ui.messages import region_unavailable
from viz_app.ui.names import NameBook
from viz_app.ui.packing import pack
from viz_app.ui.query_state import ARRANGE, BY_RUN, from_search
from viz_app.ui.runs import run_groups, run_titles
from viz_app.ui.start_state import state_for
from viz_app.ui.view_build import PEEK
from viz_app.ui.view_cache import View, ViewCache, ViewTooBig, parse_key, view_key

PATH: Final = "_lineage-viz/elements"
NAMES_PATH: Final = "_lineage-viz/names"
PROGRESS_PATH: Final = "_lineage-viz/progress"
STOP_PATH: Final = "_lineage-viz/stop"
NO_PROGRESS: Final = b'{"pages":null}'

FIRST_NAMES_S: Final = 0.25  # names fetched before a view's first draw, at most this long
NAMED_BEFORE_DRAW: Final = 300  # more unnamed artifacts: only the start's neighbours wait
MAX_NAMES: Final = 1000  # artifacts named per request (the page asks in batches)
MAX_GROUPS: Final = 200  # more expanded groups than a page could have asked for is no request
NO_VIEW: Final = b'{"key":null}'
RECENT_FAILURE_S: Final = 5.0


@dataclass(frozen=True)
class ViewNames:
    """A view's vertices as named now: one-line labels, the labels the graph shows (wrapped,
    same names told apart) and source URIs."""

    labels: dict[str, str]
    shown: dict[str, str]
    uris: dict[str, str]


def view_names(names: NameBook, view: View, views: ViewCache) -> ViewNames:
    """The view's names, made once per view for each state of the name book (the elements,
    their relabelling and the names route share them)."""

    def make() -> ViewNames:
        known = names.known(view.by_arn)
        labels = names.labels(view.vertices)
        return ViewNames(
            labels=labels,
            shown=shown_labels(view.vertices, labels),
            uris={arn: n.uri for arn, n in known.items() if n.uri},
        )

    return views.memo("names", (view.key, names.version), make)


def mark_path_only(
    elements: list[dict[str, Any]], matched: frozenset[str], start: str | None
) -> list[dict[str, Any]]:
    """Nodes of a filtered view that did not match (only on a path to a match) get PATH_ONLY;
    a group node when none of its members matched."""
    out = []
    for e in elements:
        data = e["data"]
        members = data.get("members") or [data.get("id")]
        on_path = "source" not in data and data.get("id") != start
        if on_path and not any(m in matched for m in members):
            e = {**e, "classes": f"{e.get('classes', '')} {PATH_ONLY}".strip()}
        out.append(e)
    return out


def _grown_from(views: ViewCache, view: View) -> View | None:
    """The view `view` merged an answer or an expand into, if the cache still holds it."""
    state, ops = parse_key(view.key)
    return views.peek(view_key(state, ops[:-1])) if ops else None


def laid_out(
    views: ViewCache,
    view: View,
    expanded: frozenset[str],
    names: NameBook,
    unnamed: list[str],
    runs: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The view's positioned elements, made once per view (and arrangement: `runs` maps
    vertices to the title of their pipeline run, to draw each run in a frame); a view grown
    by a merge keeps the positions of the view it grew from (`layout_keep`), so nothing
    drawn moves."""

    def layout() -> list[dict[str, Any]]:
        named = view_names(names, view, views)
        fresh = to_elements(
            view.vertices,
            view.edges,
            start_arn=view.state.arn,
            expanded_groups=expanded,
            labels=named.labels,
            uris=named.uris,
            pending=frozenset(unnamed),
            runs=runs,
        )
        if view.matched is not None:
            fresh = mark_path_only(fresh, view.matched, view.state.arn)
        before = _grown_from(views, view)
        if before is None:
            return fresh
        if runs:  # frames are laid out anew: a run's block grows with what joined it
            return fresh
        old = laid_out(views, before, expanded, names, names.unnamed(before.by_arn))
        return keep_positions(old, fresh)

    return views.memo("laid", (view.key, expanded, _arranged(runs)), layout)


def _arranged(runs: Mapping[str, str] | None) -> frozenset[tuple[str, str]]:
    """A memo key part for an arrangement: the runs as known now (a job whose tags could not
    be read joins its run later, and the view is laid out again)."""
    return frozenset((runs or {}).items())


def view_runs(backend: Backend, view: View) -> dict[str, str]:
    """{vertex ARN: title of its pipeline run} for the view (ListTags on jobs not asked
    before; `viz_app.ui.runs`)."""
    grouped = run_groups(view.vertices, view.edges, backend.runs.runs(view.by_arn))
    titles = run_titles(grouped.values())
    return {arn: titles[run] for arn, run in grouped.items()}


def packed_elements(
    views: ViewCache,
    view: View,
    expanded: frozenset[str],
    names: NameBook,
    runs: Mapping[str, str] | None = None,
) -> bytes:
    """The view's elements with `expanded` groups open, packed and serialised (memoised
    while the names known for the view stay the same). `unnamed` lists the nodes whose
    names the page still has to ask for (`names` route). Names are fetched first for up to
    `FIRST_NAMES_S`: a view of up to `NAMED_BEFORE_DRAW` unnamed artifacts opens named (and
    laid out for its names); in a bigger one only the start's neighbours are, and the page
    asks for the rest once drawn, those in view first. The layout is made once per view:
    names that come later change labels, never positions (they had room kept for them)."""
    unnamed = names.unnamed(view.by_arn)
    if len(unnamed) <= NAMED_BEFORE_DRAW:
        names.fill_within(unnamed, FIRST_NAMES_S)
    else:  # a big view: the start's neighbours now, the rest behind the drawing
        start = view.state.arn
        near = {start} | {
            e["SourceArn"] if e["DestinationArn"] == start else e["DestinationArn"]
            for e in view.edges
            if start in (e["SourceArn"], e["DestinationArn"])
        }
        names.fill_within([a for a in unnamed if a in near], FIRST_NAMES_S)
    unnamed = names.unnamed(view.by_arn)

    laid = laid_out(views, view, expanded, names, unnamed, runs)

    def make() -> bytes:
        named = view_names(names, view, views)
        packed = pack(view.key, [_relabelled(e, named.shown, named.uris) for e in laid])
        packed["unnamed"] = sorted(unnamed)
        packed["arrange"] = BY_RUN if runs else ""
        return json.dumps(packed, separators=(",", ":")).encode()

    return views.memo("packed", (view.key, expanded, len(unnamed), _arranged(runs)), make)


def _relabelled(
    element: dict[str, Any], shown: dict[str, str], uris: dict[str, str]
) -> dict[str, Any]:
    """`element` with the label and source known now (a copy; the laid-out one is shared)."""
    data = element["data"]
    arn = data.get("id")
    if "source" in data or arn not in shown:
        return element
    fresh = {**data, "label": shown[arn]}
    if uris.get(arn):
        fresh["uri"] = uris[arn]
    return {**element, "data": fresh}


def named_labels(names: NameBook, view: View, views: ViewCache, arns: list[str]) -> dict[str, Any]:
    """Fetch the names of `arns` (artifacts of `view`) and answer their graph labels, plus
    those of nodes now told apart from a same-named one, as the graph shows them."""
    wanted = {a for a in arns if a in view.by_arn}
    names.fill(wanted)
    named = view_names(names, view, views)
    out = {
        arn: {"label": text, "uri": named.uris.get(arn, "")}
        for arn, text in named.shown.items()
        if arn in wanted or text != wrap_label(named.labels[arn])
    }
    return {"key": view.key, "names": out, "unnamed": len(names.unnamed(view.by_arn))}


def _json(body: bytes) -> Response:
    response = Response(body, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _search_key(backend: Backend, search: str, peek: bool = False) -> str | None:
    """The view key of the page's URL query (None: no view to draw)."""
    state = state_for(search, backend)
    if state.errors or state.arn is None or region_unavailable(backend.region):
        return None
    return view_key(state, [[PEEK]] if peek else [])


def _view(backend: Backend, views: ViewCache, args: Any) -> View | None:
    # The page's query callback reports failures; this fetch does not query again for them.
    if args.get("key"):
        return views.get(str(args["key"]), RECENT_FAILURE_S)
    search, peek = str(args.get("search", "")), args.get("peek") == "1"
    key = _search_key(backend, search, peek)
    if key is None:
        return None
    if peek and views.peek(str(_search_key(backend, search))) is not None:
        return None  # the whole view is here already: no first look to ask for
    return views.get(key, RECENT_FAILURE_S)


def register(app: Dash, backend: Backend, views: ViewCache) -> None:
    """Serve the route under the app's routes prefix."""
    prefix = str(app.config.routes_pathname_prefix or "/")

    def elements() -> Response:
        groups = request.args.getlist("group")
        if len(groups) > MAX_GROUPS:
            return _json(NO_VIEW)
        try:
            view = _view(backend, views, request.args)
        except ViewTooBig as exc:  # refused before any call: no view has that many steps
            return Response(str(exc), status=400, mimetype="text/plain")
        except Exception:  # the query callback shows the sentence; the graph stays empty
            return _json(NO_VIEW)
        if view is None:
            return _json(NO_VIEW)
        runs = None
        if BY_RUN in (request.args.get(ARRANGE), from_search(request.args.get("search")).arrange):
            try:
                runs = view_runs(backend, view)
            except Exception:  # drawn by flow instead; the tags are asked again next time
                runs = None
        return _json(packed_elements(views, view, frozenset(groups), backend.names, runs))

    def names() -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("key"), str):
            return _json(NO_VIEW)
        arns = body.get("arns")
        if not isinstance(arns, list) or len(arns) > MAX_NAMES:
            return _json(NO_VIEW)
        try:
            view = views.get(body["key"], RECENT_FAILURE_S)
        except Exception:
            return _json(NO_VIEW)
        found = named_labels(backend.names, view, views, [a for a in arns if isinstance(a, str)])
        return _json(json.dumps(found, separators=(",", ":")).encode())

    def progress() -> Response:
        key = _search_key(backend, str(request.args.get("search", "")))
        found = views.progress.get(key) if key else None
        if found is None:
            return _json(NO_PROGRESS)
        return _json(json.dumps(found.as_data(), separators=(",", ":")).encode())

    def stop() -> Response:
        body = request.get_json(silent=True)
        search = body.get("search") if isinstance(body, dict) else None
        key = _search_key(backend, search) if isinstance(search, str) else None
        stopping = bool(key) and views.progress.stop(str(key))
        return _json(b'{"stopping":true}' if stopping else b'{"stopping":false}')

    app.server.add_url_rule(
        prefix + PATH, endpoint="lineage_viz_elements", view_func=elements, methods=["GET"]
    )
    app.server.add_url_rule(
        prefix + PROGRESS_PATH,
        endpoint="lineage_viz_progress",
        view_func=progress,
        methods=["GET"],
    )
    app.server.add_url_rule(
        prefix + STOP_PATH, endpoint="lineage_viz_stop", view_func=stop, methods=["POST"]
    )
    app.server.add_url_rule(
        prefix + NAMES_PATH, endpoint="lineage_viz_names", view_func=names, methods=["POST"]
    )
