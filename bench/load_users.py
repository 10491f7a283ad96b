"""The simulated users of `bench.load`: an explorer tab sending Dash callbacks, and a boto3 client.

`DashUser` sends, for each view, the callback requests dash-renderer sends for it (checked
against the traffic of the real page in Chromium): payloads are built from the app's own
`/_dash-dependencies` and layout, and the values the browser derives without a server call
(`drawn-store.data` = the key of the drawn elements, set by assets/graph.js) are computed
here.
Like assets/graph.js, a user fetches each new URL's packed elements from the elements route.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from typing import Any, Final
from urllib.parse import parse_qs, urlencode

import boto3
import requests

REROOTS_PER_PAGE: Final = 3
MAX_VIEWS_PER_USER: Final = 100_000
REQUEST_TIMEOUT: Final = 60.0
#: Server-side callbacks, by the start of their output key (dependency outputs without "..").
NAVIGATE: Final = "url.search...start-input.value"
SUGGESTIONS: Final = "suggestions.children"
THEME: Final = "graph.stylesheet"
RUN_QUERY: Final = "graph-store.data...query-error"
BREADCRUMBS: Final = "breadcrumbs.children"
DRAW: Final = "elements-store.data...status.children"
DETAILS: Final = "details.children"
QUESTIONS: Final = "questions.children"
ASK: Final = "answer.children@"
TABLES: Final = "vertex-table.rowData"
TAP: Final = "selected-store.data@"
QUESTION_TYPE: Final = "question"
GROUP_PREFIX: Final = "group:"


class Stats:
    """Request and view latencies and errors of one load run, shared by its user threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.view_latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.by_kind: dict[str, list[float]] = {}

    def add(self, into: list[float], seconds: float, kind: str = "") -> None:
        with self.lock:
            into.append(seconds)
            if kind:
                self.by_kind.setdefault(kind, []).append(seconds)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what[:160]] += 1


def prop_id(component: Any, prop: str) -> str:
    """Dash's name of a prop: `id.prop`, a dict id as compact JSON with sorted keys."""
    if isinstance(component, dict):
        component = json.dumps(component, sort_keys=True, separators=(",", ":"))
    return f"{component}.{prop}"


class DashUser:
    """One browser tab: keeps component props, sends callbacks as dash-renderer does."""

    def __init__(self, base: str, stats: Stats, rng: random.Random) -> None:
        self.base, self.stats, self.rng = base, stats, rng
        self.http = requests.Session()
        self.props: dict[str, Any] = {}
        self.questions: list[dict[str, str]] = []
        self.deps: dict[str, dict[str, Any]] = {}
        self.packed: dict[str, Any] | None = None  # what graph.js fetched and drew
        self.reroots = 0

    def _timed(self, method: str, path: str, body: Any = None) -> requests.Response:
        started = time.perf_counter()
        reply = self.http.request(method, self.base + path, json=body, timeout=REQUEST_TIMEOUT)
        kind = body["output"].strip(".").split(".")[0] if body else path.split("?")[0]
        self.stats.add(self.stats.latencies, time.perf_counter() - started, kind)
        if reply.status_code not in (200, 204):  # 204: every output left as it was
            raise RuntimeError(f"{method} {path.split('?')[0]}: HTTP {reply.status_code}")
        return reply

    def _collect(self, node: Any) -> None:
        """Take the props of every component in `node` (a layout or a callback's children)."""
        if isinstance(node, list):
            for child in node:
                self._collect(child)
        elif isinstance(node, dict) and isinstance(node.get("props"), dict):
            props = node["props"]
            ident = props.get("id")
            if isinstance(ident, dict) and ident.get("type") == QUESTION_TYPE:
                self.questions.append(ident)
            if isinstance(ident, str | dict):
                for key, value in props.items():
                    if key not in ("id", "children"):
                        self.props[prop_id(ident, key)] = value
            self._collect(props.get("children"))

    def _derive(self) -> None:
        """What the clientside callbacks compute in the browser (no request)."""
        self.props["drawn-store.data"] = self.packed["key"] if self.packed else None

    def _arg(self, dep: dict[str, str]) -> Any:
        prop = dep["property"]
        if dep["id"].startswith("{"):  # a pattern (ALL): every matching component on the page
            found = [(q, self.props.get(prop_id(q, prop))) for q in self.questions]
            return [{"id": q, "property": prop, "value": value} for q, value in found]
        arg: dict[str, Any] = {"id": dep["id"], "property": prop}
        key = f"{dep['id']}.{prop}"
        if key in self.props:
            arg["value"] = self.props[key]
        return arg

    def callback(self, prefix: str, changed: list[str]) -> dict[str, Any]:
        """Send the callback whose output key starts with `prefix`; apply what it returns."""
        dep = next(d for key, d in self.deps.items() if key.strip(".").startswith(prefix))
        outputs = [
            dict(zip(("id", "property"), part.split("@")[0].split("."), strict=True))
            for part in dep["output"].strip(".").split("...")
        ]
        body: dict[str, Any] = {
            "output": dep["output"],
            "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": [self._arg(i) for i in dep["inputs"]],
            "changedPropIds": changed,
            "parsedChangedPropsIds": changed,
        }
        if dep["state"]:
            body["state"] = [self._arg(s) for s in dep["state"]]
        reply = self._timed("POST", "/_dash-update-component", body)
        answer: dict[str, Any] = reply.json() if reply.status_code == 200 else {}
        for comp, values in answer.get("response", {}).items():
            for prop, value in values.items():
                if prop == "children" and comp == "questions":
                    self.questions = []
                self.props[f"{comp}.{prop}"] = value
                if prop == "children":
                    self._collect(value)
        self._derive()
        return answer

    def open_page(self, search: str) -> None:
        """GET the deep link and what the page fetches to start; the page's first callbacks."""
        self._timed("GET", "/" + search)
        layout = self._timed("GET", "/_dash-layout").json()
        deps = self._timed("GET", "/_dash-dependencies").json()
        self.deps = {d["output"]: d for d in deps if not d.get("clientside_function")}
        self.props, self.questions, self.reroots, self.packed = {}, [], 0, None
        self._collect(layout)
        self.props.update({"url.search": search, "url.pathname": "/"})
        self._derive()
        self.callback(NAVIGATE, ["dbltap-store.data", "url.search"])
        self.callback(SUGGESTIONS, ["url.pathname"])
        self.callback(THEME, [])
        self.show_view()

    def _ask_list(self) -> None:
        """The question buttons are new components: the page sends their ALL callback (204)."""
        if self.questions:
            self.callback(ASK, [prop_id(q, "n_clicks") for q in self.questions])

    def show_view(self) -> None:
        """What a new URL sets off: query, breadcrumbs, draw, details, questions, tables."""
        started = time.perf_counter()
        query = urlencode({"search": self.props["url.search"]})
        self.packed = self._timed("GET", "/_lineage-viz/elements?" + query).json()
        self._derive()
        self.callback(RUN_QUERY, ["url.search"])
        graph = self.props.get("graph-store.data") or {}
        if graph.get("counts", [0])[0] < 2 or self.props.get("query-error.children"):
            raise RuntimeError(f"query: no graph ({self.props.get('query-error.children')!r})")
        self.callback(BREADCRUMBS, ["trail-store.data"])
        self.callback(DRAW, ["graph-store.data", "groups-store.data"])
        ref = self.props.get("elements-store.data") or {}
        packed = self.packed or {}
        if not ref.get("key") == packed.get("key") == graph["key"]:
            raise RuntimeError("draw: the elements are not those of the view")
        if graph["start"] not in {node[0] for node in packed.get("nodes", [])}:
            raise RuntimeError("draw: the start vertex is not among the graph elements")
        self.callback(DETAILS, ["selected-store.data", "graph-store.data"])
        self.callback(QUESTIONS, ["selected-store.data", "graph-store.data"])
        self._ask_list()
        self.callback(TABLES, ["drawn-store.data"])
        if not self.props.get("vertex-table.rowData"):
            raise RuntimeError("tables: no vertex rows for the drawn view")
        self.stats.add(self.stats.view_latencies, time.perf_counter() - started)

    def reroot(self) -> None:
        """Tap another node (its details load), press Re-root, show the new view."""
        packed = self.packed or {}
        start = self.props["graph-store.data"]["start"]
        nodes = [n for n in packed["nodes"] if n[0] != start and not n[0].startswith(GROUP_PREFIX)]
        node = self.rng.choice(nodes)
        self.props["graph.tapNodeData"] = {
            "id": node[0], "label": node[1], "lineage_type": node[2], "type": node[3],
            **(node[7] or {}),
        }  # fmt: skip
        described = self.props.get("describe-store.data")
        self.callback(TAP, ["graph.tapNodeData"])
        if self.props.get("selected-store.data") != node[0]:
            raise RuntimeError("tap: the tapped node was not selected")
        self.callback(DETAILS, ["selected-store.data"])
        self.callback(QUESTIONS, ["selected-store.data"])
        self._ask_list()
        if self.props.get("describe-store.data") != described:
            self.callback(TABLES, ["describe-store.data"])
        self.reroots += 1
        # Re-root is a clientside callback (assets/graph.js): the URL's question, new start.
        params = parse_qs(self.props["url.search"].lstrip("?"))
        params["arn"] = [node[0]]
        self.props["url.search"] = "?" + urlencode(params, doseq=True)
        self.callback(NAVIGATE, ["url.search"])
        self.show_view()


def app_user(base: str, starts: list[str], stats: Stats, seed: int, deadline: float) -> None:
    """Deep links, each followed by a few re-roots, until the deadline."""
    user = DashUser(base, stats, random.Random(seed))
    for n in range(MAX_VIEWS_PER_USER):
        if time.perf_counter() >= deadline:
            break
        try:
            if n % (REROOTS_PER_PAGE + 1) == 0 or not user.packed:
                arn = starts[(seed + n) % len(starts)]
                user.open_page("?" + urlencode({"arn": arn, "direction": "Both", "depth": 3}))
            else:
                user.reroot()
        except Exception as exc:
            stats.error(f"{type(exc).__name__}: {exc}")
            user.packed = None


def service_user(url: str, starts: list[str], stats: Stats, seed: int, deadline: float) -> None:
    """The same walk asked of the service directly: QueryLineage (all pages) per view."""
    client = boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    rng = random.Random(seed)
    arn = starts[seed % len(starts)]
    for n in range(MAX_VIEWS_PER_USER):
        if time.perf_counter() >= deadline:
            break
        started = time.perf_counter()
        try:
            kwargs: dict[str, Any] = {"StartArns": [arn], "Direction": "Both", "MaxDepth": 3}
            vertices: list[Any] = []
            for _ in range(50):
                t0 = time.perf_counter()
                page = client.query_lineage(IncludeEdges=True, **kwargs)
                stats.add(stats.latencies, time.perf_counter() - t0)
                vertices += page.get("Vertices", [])
                if not page.get("NextToken"):
                    break
                kwargs["NextToken"] = page["NextToken"]
            stats.add(stats.view_latencies, time.perf_counter() - started)
            others = sorted(v["Arn"] for v in vertices if v["Arn"] != arn)
            fresh = (n + 1) % (REROOTS_PER_PAGE + 1) == 0 or not others
            arn = starts[(seed + n + 1) % len(starts)] if fresh else rng.choice(others)
        except Exception as exc:
            stats.error(f"{type(exc).__name__}: {exc}")
            arn = starts[(seed + n + 1) % len(starts)]
