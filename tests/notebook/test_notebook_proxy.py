"""The inline view through a real Jupyter server's proxy (jupyter-server-proxy), as in
JupyterHub or SageMaker Studio: the browser reaches only the server, under its base URL."""

from __future__ import annotations

import html
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browser_helpers import node_point, wait_for_graph
from jupyter_server_helpers import JupyterServer, jupyter_server
from notebook_helpers import Demo, checked_page
from view_http import get

from viz_app.notebook import serve
from viz_app.notebook.proxy import ENV_VAR, ProxyUrlError, probe

BASE_URL = "/user/alice/"
IFRAME_SRC = re.compile(r'<iframe src="([^"]*)"')
FILTERS: dict[str, Any] = {"Types": ["DataSet", "Model"]}

CELL = """
import boto3
from viz_app.notebook import explore, render

sm = boto3.client("sagemaker", endpoint_url={url!r}, region_name="us-east-1",
                  aws_access_key_id="local", aws_secret_access_key="local")
response = sm.query_lineage(StartArns=[{start!r}], Direction="Ascendants", IncludeEdges=True)
view = render(response, "Endpoint", client=sm)
filtered = explore({start!r}, "Both", client=sm, types=["Model", "DataSet"],
                   created_after="2000-01-01")
print(view.route.via)
print(filtered.route.via)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    with jupyter_server(tmp_path_factory.mktemp("jupyter"), BASE_URL) as running:
        yield running


@pytest.fixture(scope="module")
def cell(server: JupyterServer, demo: Demo) -> Iterator[list[dict[str, Any]]]:
    """The notebook cell run in a kernel that the Jupyter server started (kept up)."""
    start = demo.summary.endpoint_context_arns[0]
    with server.kernel() as kernel:
        yield kernel.run(CELL.format(url=demo.url, start=start))


def iframe_srcs(outputs: list[dict[str, Any]]) -> list[str]:
    shown = [o["data"]["text/html"] for o in outputs if o["output_type"] == "display_data"]
    return [html.unescape(src) for h in shown for src in IFRAME_SRC.findall(h)]


def printed(outputs: list[dict[str, Any]]) -> list[str]:
    return "".join(o["text"] for o in outputs if o["output_type"] == "stream").splitlines()


def all_arns(demo: Demo, start: str, direction: str, filters: dict[str, Any]) -> set[str]:
    request: dict[str, Any] = {
        "StartArns": [start],
        "Direction": direction,
        "IncludeEdges": True,
        "Filters": filters,
    }
    arns: set[str] = set()
    while True:
        page = demo.client.query_lineage(**request)
        arns |= {v["Arn"] for v in page["Vertices"]}
        if not page.get("NextToken"):
            return arns
        request["NextToken"] = page["NextToken"]


def test_views_go_through_the_servers_proxy_under_its_base_url(
    server: JupyterServer, cell: list[dict[str, Any]], demo: Demo
) -> None:
    srcs = iframe_srcs(cell)
    assert len(srcs) == 2
    assert printed(cell) == ["the Jupyter server's proxy"] * 2, "the probe reached each view"
    for src in srcs:
        assert re.match(rf"^{BASE_URL}proxy/\d+/\?", src), src
        status, page = server.get(src)
        assert status == 200 and b"<title>lineage-viz</title>" in page
        config = re.search(
            rb'<script id="_dash-config" type="application/json">(.*?)</script>', page
        )
        assert config is not None
        prefix = urlsplit(src).path
        assert json.loads(config.group(1))["requests_pathname_prefix"] == prefix
        assert server.get(prefix + "assets/graph.js")[0] == 200
    # explore's filters are the app's: the view draws exactly the filtered answer.
    filtered = srcs[1]
    query = parse_qs(urlsplit(filtered).query)
    assert query["types"] == ["DataSet,Model"] and query["created_after"] == ["2000-01-01"]
    start = demo.summary.endpoint_context_arns[0]
    packed = json.loads(
        server.get(
            urlsplit(filtered).path
            + "_lineage-viz/elements?"
            + urlencode({"search": "?" + urlsplit(filtered).query})
        )[1]
    )
    drawn = {a for n in packed["nodes"] for a in ((n[7] or {}).get("members") or [n[0]])}
    assert drawn == all_arns(demo, start, "Both", FILTERS)


def test_behind_the_proxy_the_view_answers_the_name_the_jupyter_server_is_reached_by(
    server: JupyterServer, cell: list[dict[str, Any]]
) -> None:
    src = iframe_srcs(cell)[0]
    status, page = server.get(src, host="hub.example.org")  # jupyter-server-proxy forwards it
    assert status == 200 and b"<title>lineage-viz</title>" in page
    port = re.match(rf"^{BASE_URL}proxy/(\d+)/", src)
    assert port is not None
    direct = urllib.request.Request(
        f"http://127.0.0.1:{port.group(1)}/", headers={"Host": "hub.example.org"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:  # the same name, not proxied
        urllib.request.urlopen(direct, timeout=30)
    assert refused.value.code == 400


def test_clicking_a_node_in_the_view_opened_through_the_jupyter_server(
    server: JupyterServer, cell: list[dict[str, Any]], demo: Demo, chromium: Any
) -> None:
    start = demo.summary.endpoint_context_arns[0]
    response = demo.client.query_lineage(
        StartArns=[start], Direction="Ascendants", IncludeEdges=True
    )
    model = next(v["Arn"] for v in response["Vertices"] if v.get("Type") == "Model")
    output = next(o["data"]["text/html"] for o in cell if o["output_type"] == "display_data")
    view_port = urlsplit(iframe_srcs(cell)[0]).path.split("/")[-2]

    def steps(browser: Any) -> tuple[str, list[str]]:
        with checked_page(browser) as page:
            hosts: list[str] = []
            page.context.on("request", lambda r: hosts.append(urlsplit(r.url).netloc))
            # Logged in to the Jupyter server (its cookie), on a page it serves under its base
            # URL (with its CSP), as JupyterLab's output area is; the IFrame's src is rooted there.
            page.goto(f"{server.root}?token={server.token}")
            page.set_content(f"<!DOCTYPE html><html><body>{output}</body></html>")
            frame = page.locator("iframe").element_handle().content_frame()
            wait_for_graph(frame)
            frame.wait_for_function(
                "a => window.lineageViz.settled()"
                " && document.getElementById('graph')._cyreg.cy.$('node.start').id() === a",
                arg=start,
            )
            x, y = node_point(frame, model)
            box = page.locator("iframe").bounding_box()
            page.mouse.click(box["x"] + 1 + x, box["y"] + 1 + y)  # inside the 1px border
            frame.wait_for_function(
                "a => document.getElementById('details').innerText.includes(a)", arg=model
            )
            return str(frame.inner_text("#details")), hosts

    details, hosts = chromium(steps)
    assert "Model" in details and model in details
    assert set(hosts) == {f"127.0.0.1:{server.port}"}, "every request went to the Jupyter server"
    assert all(view_port not in h for h in hosts)


def test_the_probe_tells_a_server_without_the_proxy_route(server: JupyterServer) -> None:
    missing = {**server.info, "base_url": BASE_URL + "no-proxy-here/"}
    assert probe(missing, server.port, "nonce") is False


def ascendants(demo: Demo) -> dict[str, Any]:
    start = demo.summary.endpoint_context_arns[0]
    return dict(
        demo.client.query_lineage(StartArns=[start], Direction="Ascendants", IncludeEdges=True)
    )


def dash_prefix(view: Any) -> str:
    page = get(view.local_url)[1]
    found = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page)
    assert found is not None
    return str(json.loads(found.group(1))["requests_pathname_prefix"])


def test_an_explicit_proxy_url_and_the_environment_setting_place_the_view(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = ascendants(demo)
    explicit = serve(response, proxy_url="https://hub.example.com/user/bob/proxy/{port}")
    monkeypatch.setenv(ENV_VAR, "/studio/default/proxy/{port}/")
    from_env = serve(response)
    monkeypatch.setenv(ENV_VAR, "local")
    local = serve(response)
    try:
        port = explicit.port
        assert explicit.url.startswith(f"https://hub.example.com/user/bob/proxy/{port}/?arn=")
        assert dash_prefix(explicit) == f"/user/bob/proxy/{port}/"
        assert from_env.url.startswith(f"/studio/default/proxy/{from_env.port}/?arn=")
        assert dash_prefix(from_env) == f"/studio/default/proxy/{from_env.port}/"
        assert local.url.startswith(f"http://127.0.0.1:{local.port}/?arn=")
        assert dash_prefix(local) == "/"
    finally:
        for view in (explicit, from_env, local):
            view.close()


@pytest.mark.parametrize(
    ("proxy_url", "says"),
    [
        ("https://hub.example.com/user/bob/proxy/", "must contain {port}"),
        ("hub.example.com/proxy/{port}/", "http(s) URL or a path starting with '/'"),
        ("/proxy/{port}/?x=1", "must not have a query"),
    ],
)
def test_a_proxy_url_that_cannot_place_the_view_is_a_clear_error_and_serves_nothing(
    demo: Demo, proxy_url: str, says: str
) -> None:
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(ProxyUrlError, match=re.escape(says)):
        serve(ascendants(demo), proxy_url=proxy_url)
    after = {t.name for t in threading.enumerate()}
    assert not {n for n in after - before if n.startswith("lineage-viz-view-")}
