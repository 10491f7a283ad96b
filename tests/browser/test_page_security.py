"""Security of the app as `lineage-viz serve` runs it: DNS rebinding refused in Chromium, the
embedded service read-only, expand steps capped, CSV cells defused through real clicks, a body
limit, security headers, and idle sockets that do not lock people out."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from botocore.exceptions import ClientError
from browser_helpers import local_client, start_app
from test_explorer import wait_for_start

from viz_app.api.server import start_service
from viz_app.chromium import CHROMIUM, LAUNCH_ARGS
from viz_app.core.demo import DemoSummary, build_demo
from viz_app.core.store import Store
from viz_app.ui.view_cache import view_key

pytestmark = pytest.mark.browser

FORMULA_TYPE = '=HYPERLINK("http://x")'
OTHER_FORMULA_TYPE = "-2+3+cmd|' /C calc'!A0"
GUARD_S = 30  # hang guard for plain HTTP calls


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str
    demo: DemoSummary
    formula_arn: str
    other_formula_arn: str
    endpoint: str

    @property
    def port(self) -> int:
        return int(urlsplit(self.url).port or 0)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`python -m viz_app serve` on the demo plus an artifact whose type is a formula."""
    db = tmp_path_factory.mktemp("security") / "demo.db"
    store = Store(db)
    demo = build_demo(store)
    service = start_service(store)
    client = local_client(service.url)
    endpoint = demo.endpoint_context_arns[0]
    arns = [
        client.create_artifact(
            ArtifactType=kind, Source={"SourceUri": f"s3://formula-bucket/{i}.csv"}
        )["ArtifactArn"]
        for i, kind in enumerate((FORMULA_TYPE, OTHER_FORMULA_TYPE))
    ]
    client.add_association(SourceArn=arns[0], DestinationArn=arns[1])
    service.close()
    store.close()
    proc, url = start_app(db)
    yield Served(proc, url, demo, arns[0], arns[1], endpoint)
    proc.terminate()
    proc.wait(timeout=10)


def listening_ports(pid: int) -> set[int]:
    """TCP ports process `pid` listens on (from /proc: its socket inodes in the TCP tables)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().as_posix()
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def service_url(served: Served) -> str:
    (port,) = listening_ports(served.proc.pid) - {served.port}
    return f"http://127.0.0.1:{port}"


@pytest.fixture()
def rebinding_page(browser: Any) -> Iterator[Any]:
    """A page in a Chromium whose resolver maps evil.example to 127.0.0.1 (a rebound name)."""
    rebound = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *LAUNCH_ARGS,
            "--host-resolver-rules=MAP evil.example 127.0.0.1",
            # As a browser without local network protection: only our servers may refuse.
            "--disable-features=BlockInsecurePrivateNetworkRequests,"
            "PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,"
            "LocalNetworkAccessChecks",
        ],
    )
    page = rebound.new_page()
    yield page
    rebound.close()


# -- DNS rebinding -----------------------------------------------------------------------------


def attacker_page(page: Any, origin: str) -> None:
    """Open a page of `origin` as the attacker's site had served it before the name was
    rebound to 127.0.0.1: its requests to `origin` now reach our servers, same-origin."""
    page.route(
        origin + "/attack.html",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>hi</p>"),
    )
    page.goto(origin + "/attack.html")


READ = """async ([path, init]) => {
    const r = await fetch(path, init);
    return [r.status, await r.text()];
}"""


def test_a_page_from_a_rebound_name_is_refused_by_the_app_and_the_service(
    rebinding_page: Any, served: Served
) -> None:
    page = rebinding_page
    attacker_page(page, f"http://evil.example:{served.port}")
    status, text = page.evaluate(
        READ, ["/_lineage-viz/elements?search=?arn=" + served.endpoint, {}]
    )
    assert status == 400 and "not allowed" in text and served.endpoint not in text
    status, text = page.evaluate(READ, ["/", {}])
    assert status == 400 and "lineage-viz" not in text

    service_port = urlsplit(service_url(served)).port
    attacker_page(page, f"http://evil.example:{service_port}")
    context = served.endpoint.rsplit("/", 1)[1]
    init = {
        "method": "POST",
        "headers": {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "SageMaker.DeleteContext",
        },
        "body": json.dumps({"ContextName": context}),
    }
    status, text = page.evaluate(READ, ["/", init])
    assert status == 403 and json.loads(text)["__type"] == "AccessDeniedException"
    assert local_client(service_url(served)).describe_context(ContextName=context)

    # The same browser, on the loopback name, gets the explorer.
    page.goto(served.url)
    assert page.title() == "lineage-viz"


# -- read-only embedded service ---------------------------------------------------------------


def test_the_embedded_service_is_read_only(served: Served) -> None:
    client = local_client(service_url(served))
    assert client.describe_context(ContextName=served.endpoint.rsplit("/", 1)[1])
    with pytest.raises(ClientError) as caught:
        client.delete_context(ContextName=served.endpoint.rsplit("/", 1)[1])
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
    assert client.describe_context(ContextName=served.endpoint.rsplit("/", 1)[1])


# -- expand steps ------------------------------------------------------------------------------


def _key(served: Served, steps: int) -> str:
    from viz_app.ui.query_state import QueryState

    state = QueryState(arn=served.endpoint, direction="Ascendants", depth=1)
    return view_key(state, [["expand", served.endpoint]] * steps)


def test_an_elements_key_with_too_many_expand_steps_is_refused(served: Served) -> None:
    reply = requests.get(
        served.url + "_lineage-viz/elements", params={"key": _key(served, 1700)}, timeout=GUARD_S
    )
    assert reply.status_code == 400
    assert reply.headers["Content-Type"].startswith("text/plain")
    assert "too many expanded nodes" in reply.text
    ok = requests.get(
        served.url + "_lineage-viz/elements", params={"key": _key(served, 3)}, timeout=GUARD_S
    )
    assert ok.status_code == 200 and ok.json()["key"] == _key(served, 3)


def test_the_expand_callback_says_so_in_a_sentence_for_too_many_steps(served: Served) -> None:
    deps = requests.get(served.url + "_dash-dependencies", timeout=GUARD_S).json()
    (dep,) = [d for d in deps if {"id": "expand", "property": "n_clicks"} in d["inputs"]]
    outputs = [
        {"id": part.split(".", 1)[0], "property": part.split(".", 1)[1]}
        for part in dep["output"].strip(".").split("...")
    ]
    state_values = {"selected-store": served.endpoint, "graph-store": {"key": _key(served, 2400)}}
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{"id": "expand", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["expand.n_clicks"],
        "state": [{**s, "value": state_values.get(s["id"])} for s in dep["state"]],
    }
    reply = requests.post(served.url + "_dash-update-component", json=body, timeout=GUARD_S)
    assert reply.status_code == 200
    error = reply.json()["response"]["query-error"]["children"]
    assert error.startswith("This view has too many expanded nodes"), error


# -- CSV ---------------------------------------------------------------------------------------


def _download(page: Any, selector: str, folder: Path) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.click(selector)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_formula_cells_come_out_defused_from_both_csv_buttons(
    page: Any, served: Served, tmp_path: Path
) -> None:
    page.goto(served.url + "?arn=" + served.formula_arn + "&direction=Descendants&depth=1")
    wait_for_start(page, served.formula_arn)
    bar = _download(page, "#export-vertices", tmp_path)
    page.locator("div.tab").filter(has_text="Vertices").click()
    table = _download(page, "#download-vertices", tmp_path)
    for rows in (bar, table):
        types = {r["Arn"]: r["Type"] for r in rows}
        assert types[served.formula_arn] == "'" + FORMULA_TYPE
        assert types[served.other_formula_arn] == "'" + OTHER_FORMULA_TYPE
        starts = {cell[:1] for r in rows for cell in r.values() if cell}
        assert not starts & set("=+-@\t\r"), starts


# -- body limit, headers, idle sockets ---------------------------------------------------------


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_40_mb_callback_body_is_refused_without_growing_the_app(served: Served) -> None:
    before = rss_kb(served.proc.pid)
    blob = json.dumps({"output": "x", "inputs": [{"value": ["a" * 60] * 700_000}]}).encode()
    assert len(blob) > 40_000_000
    reply = requests.post(
        served.url + "_dash-update-component",
        data=blob,
        headers={"Content-Type": "application/json"},
        timeout=GUARD_S,
    )
    assert reply.status_code == 413
    assert (rss_kb(served.proc.pid) - before) / 1024 < 50
    assert requests.get(served.url, timeout=GUARD_S).status_code == 200


def test_the_app_sends_security_headers(served: Served) -> None:
    for path in ("", "_lineage-viz/elements", "_dash-layout"):
        headers = requests.get(served.url + path, timeout=GUARD_S).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"] == "same-origin"


def test_idle_sockets_do_not_make_the_app_unreachable(served: Served) -> None:
    """waitress stopped accepting at 100 connections and kept idle ones 120 s."""
    sockets = [
        socket.create_connection(("127.0.0.1", served.port), timeout=GUARD_S) for _ in range(150)
    ]
    try:
        assert requests.get(served.url, timeout=GUARD_S).status_code == 200
    finally:
        for sock in sockets:
            sock.close()
