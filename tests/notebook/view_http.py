"""Read a running notebook view over HTTP: its page, its query callback, the graph it draws."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

IFRAME_RE = re.compile(r'<iframe src="(http://127\.0\.0\.1:\d+/[^"]*)"')


def iframe_urls(html: str) -> list[str]:
    """The view URLs of every IFrame in an output's HTML (entities unescaped)."""
    return [m.replace("&amp;", "&") for m in IFRAME_RE.findall(html)]


def base_and_search(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/", f"?{parts.query}"


def start_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["arn"][0]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def post_json(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def graph_store(url: str) -> dict[str, Any]:
    """What the page's query callback puts in the graph store for the view's URL.

    The callback is found in `/_dash-dependencies` (output `graph-store.data`, input
    `url.search`) and called the way the browser calls it.
    """
    base, search = base_and_search(url)
    deps = json.loads(get(base + "_dash-dependencies")[1])
    dep = next(
        d
        for d in deps
        if d["output"].startswith("..graph-store.data...")
        and [(i["id"], i["property"]) for i in d["inputs"]] == [("url", "search")]
    )
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
        for part in dep["output"].strip(".").split("...")
    ]
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{"id": "url", "property": "search", "value": search}],
        "changedPropIds": ["url.search"],
        "state": [{"id": s["id"], "property": s["property"], "value": None} for s in dep["state"]],
    }
    answer = post_json(base + "_dash-update-component", body)
    return dict(answer["response"]["graph-store"]["data"])


def drawn_arns(url: str) -> set[str]:
    """Every vertex ARN in the graph the view's page draws (its elements route, as graph.js
    asks it): node ids, with collapsed groups counted by their members."""
    base, search = base_and_search(url)
    packed = json.loads(get(base + "_lineage-viz/elements?" + urlencode({"search": search}))[1])
    arns: set[str] = set()
    for node in packed["nodes"]:
        extra = node[7] or {}
        arns.update(extra["members"] if "members" in extra else [node[0]])
    return arns
