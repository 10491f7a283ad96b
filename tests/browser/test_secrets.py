"""No credential reaches the page, its URLs, its callbacks' answers, the exports or the logs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import node_point
from test_explorer import wait_for_start

from viz_app.api.server import LineageService, start_service
from viz_app.core.demo import DemoSummary, build_demo
from viz_app.core.store import Store

pytestmark = pytest.mark.browser

KEY_ID = "AKIALINEAGEVIZFAKE7Q"
SECRET = "lvFakeSecret/9QzXw+TopSecretValue000"
TOKEN = "lvFakeSessionTokenAbCdEf0123456789"
SECRETS = (KEY_ID, SECRET, TOKEN)


@pytest.fixture(scope="module")
def aws_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, DemoSummary, Path]]:
    """The app on its AWS backend (standard credential chain) pointed at a local service."""
    folder = tmp_path_factory.mktemp("secrets")
    store = Store()
    demo = build_demo(store)
    service: LineageService = start_service(store)
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_SESSION_TOKEN": TOKEN,
        "AWS_ENDPOINT_URL_STS": service.url,  # keeps GetCallerIdentity on loopback
        "AWS_CONFIG_FILE": str(folder / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(folder / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    log = folder / "app.log"
    args = ["serve", "--port", "0", "--backend", "aws", "--region", "us-east-1"]
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "viz_app", *args, "--endpoint-url", service.url],
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), log.read_text()
        yield url, demo, log
        proc.terminate()
        rest = proc.stdout.read()
        proc.wait(timeout=10)
    log.write_text(url + "\n" + rest + log.read_text())
    service.close()
    store.close()


def test_distinctive_fake_keys_appear_nowhere_the_app_writes(
    page: Any, aws_app: tuple[str, DemoSummary, Path], tmp_path: Path
) -> None:
    url, demo, log = aws_app
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url + " " + (r.post_data or "")))
    page.on("response", lambda r: seen.append(r.text() if "_dash-update" in r.url else r.url))
    endpoint = demo.endpoint_context_arns[0]
    page.goto(f"{url}?arn={endpoint}&direction=Ascendants&depth=10")
    wait_for_start(page, endpoint)
    x, y = node_point(page, endpoint)
    page.mouse.click(x, y)
    page.locator("#details .start-summary").wait_for(state="detached")
    page.locator("#details code").get_by_text(endpoint, exact=True).wait_for()
    page.fill("#start-input", demo.training_dataset_uri)
    page.click("#start-go")
    page.locator("#candidates a.candidate").first.wait_for()
    exported = []
    for button in ("#export-svg", "#export-png", "#export-vertices", "#export-edges"):
        with page.expect_download() as info:
            page.click(button)
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        exported.append(path.read_bytes().decode("utf-8", errors="replace"))
    with page.expect_download() as info:
        page.click("#export-pages")
    info.value.save_as(tmp_path / "pages.json")
    pages = (tmp_path / "pages.json").read_text(encoding="utf-8")
    assert endpoint in pages
    everything = [page.content(), page.url, pages, *exported, *seen, log.read_text()]
    for secret in SECRETS:
        assert not any(secret in text for text in everything), secret
