"""The WSGI entry point: env settings, no import side effects, a real server, one seeding per db."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from viz_app import wsgi
from viz_app.api.server import LineageService, start_service
from viz_app.core.demo import DemoSummary, build_demo
from viz_app.core.store import Store

RUN_QUERY = (
    "..graph-store.data...query-error.children...selected-store.data...answer-store.data"
    "...groups-store.data...trail-store.data.."
)


@pytest.fixture(scope="module")
def service() -> Iterator[tuple[LineageService, DemoSummary]]:
    store = Store()
    summary = build_demo(store)
    running = start_service(store)
    yield running, summary
    running.close()
    store.close()


def run_python(code: str, cwd: Path, env: dict[str, str] | None = None) -> Any:
    """Run `code` in a fresh interpreter; its last stdout line, parsed as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_settings_are_read_from_the_lineage_viz_environment_variables() -> None:
    settings = wsgi.Settings.from_env(
        {
            "LINEAGE_VIZ_BACKEND": " AWS ",
            "LINEAGE_VIZ_ENDPOINT_URL": "http://127.0.0.1:4599",
            "LINEAGE_VIZ_DB": "/tmp/x.db",
            "LINEAGE_VIZ_REGION": "eu-west-1",
            "LINEAGE_VIZ_PROFILE": "audit",
        }
    )
    assert settings == wsgi.Settings(
        backend="aws",
        endpoint_url="http://127.0.0.1:4599",
        db="/tmp/x.db",
        region="eu-west-1",
        profile="audit",
    )


def test_blank_settings_count_as_unset_and_local_is_the_default_backend() -> None:
    settings = wsgi.Settings.from_env({"LINEAGE_VIZ_DB": "/tmp/x.db", "LINEAGE_VIZ_REGION": "  "})
    assert settings == wsgi.Settings(backend="local", db="/tmp/x.db")


def test_an_unknown_backend_is_refused_with_the_choices() -> None:
    with pytest.raises(wsgi.SettingsError, match="'local' or 'aws'"):
        wsgi.Settings.from_env({"LINEAGE_VIZ_BACKEND": "azure", "LINEAGE_VIZ_DB": "x.db"})


def test_the_local_backend_without_a_shared_service_or_store_is_refused() -> None:
    with pytest.raises(wsgi.SettingsError, match="LINEAGE_VIZ_ENDPOINT_URL"):
        wsgi.Settings.from_env({})


def test_importing_the_module_starts_no_server_opens_no_store_and_builds_no_app(
    tmp_path: Path,
) -> None:
    seen = run_python(
        """
        import json, os, sys, threading
        import viz_app.wsgi as w
        print(json.dumps({
            "threads": threading.active_count(),
            "app": w._app is not None,
            "heavy": sorted(m for m in ("dash", "boto3", "viz_app.core.store") if m in sys.modules),
            "files": os.listdir("."),
        }))
        """,
        tmp_path,
    )
    assert seen == {"threads": 1, "app": False, "heavy": [], "files": []}


def test_the_lazy_application_serves_the_page_and_a_query_through_a_real_server(
    service: tuple[LineageService, DemoSummary], monkeypatch: pytest.MonkeyPatch
) -> None:
    from waitress.server import create_server

    running, summary = service
    monkeypatch.setenv("LINEAGE_VIZ_BACKEND", "local")
    monkeypatch.setenv("LINEAGE_VIZ_ENDPOINT_URL", running.url)
    monkeypatch.delenv("LINEAGE_VIZ_DB", raising=False)
    monkeypatch.setattr(wsgi, "_app", None)
    server: Any = create_server(wsgi.application, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.effective_port}"
        start = summary.endpoint_context_arns[0]
        search = "?" + urlencode({"arn": start, "direction": "Both", "depth": 3})
        page = requests.get(base + "/" + search, timeout=30)
        assert page.status_code == 200
        assert "<title>lineage-viz</title>" in page.text
        body = {
            "output": RUN_QUERY,
            "outputs": [
                {"id": part.split(".")[0], "property": part.split(".")[1]}
                for part in RUN_QUERY.strip(".").split("...")
            ],
            "inputs": [{"id": "url", "property": "search", "value": search}],
            "changedPropIds": ["url.search"],
            "parsedChangedPropsIds": ["url.search"],
            "state": [{"id": "trail-store", "property": "data", "value": []}],
        }
        reply = requests.post(base + "/_dash-update-component", json=body, timeout=30)
        assert reply.status_code == 200
        data = reply.json()["response"]["graph-store"]["data"]
        assert data["start"] == start and data["counts"][0] > 1
        drawn = requests.get(
            base + "/_lineage-viz/elements", params={"search": search}, timeout=30
        ).json()
        arns = {node[0] for node in drawn["nodes"]}
        assert drawn["key"] == data["key"]
        assert start in arns
        assert summary.model_package_artifact_arn in arns
    finally:
        server.close()
        thread.join(timeout=5)


def test_two_workers_on_one_fresh_db_seed_the_demo_only_once(
    tmp_path: Path, service: tuple[LineageService, DemoSummary]
) -> None:
    one_demo = service[1].entities
    db = tmp_path / "shared.db"
    go = tmp_path / "go"
    worker = f"""
        import json, os, sys, time
        from viz_app.core.store import Store
        from viz_app.wsgi import create_wsgi_app
        open(sys.argv[1], "w").close()
        for _ in range(6000):  # both processes start building at the same moment
            if os.path.exists({str(go)!r}):
                break
            time.sleep(0.01)
        app = create_wsgi_app({{"LINEAGE_VIZ_DB": {str(db)!r}}})
        page = app.test_client().get("/")
        store = Store({str(db)!r})
        print(json.dumps({{"status": page.status_code, "entities": store.count_entities()}}))
        store.close()
    """
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(worker), str(tmp_path / f"ready-{i}")],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    for _ in range(6000):
        if all((tmp_path / f"ready-{i}").exists() for i in range(2)):
            break
        time.sleep(0.01)
    go.touch()
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    reports = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
    assert reports == [{"status": 200, "entities": one_demo}] * 2
    shared = Store(db)
    try:
        assert shared.count_entities() == one_demo
    finally:
        shared.close()
