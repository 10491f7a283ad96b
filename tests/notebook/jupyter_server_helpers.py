"""A real Jupyter server (jupyter_server + jupyter-server-proxy) and a kernel it started."""

from __future__ import annotations

import json
import os
import queue
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90


class JupyterServer:
    """A running server: where it listens, its base URL and token, and kernels it starts."""

    def __init__(self, info: dict[str, Any], runtime: Path) -> None:
        self.info = info
        self.runtime = runtime
        self.port = int(info["port"])
        self.base_url = str(info["base_url"])
        self.token = str(info["token"])
        self.origin = f"http://127.0.0.1:{self.port}"
        self.root = self.origin + self.base_url

    def get(self, path: str, host: str | None = None) -> tuple[int, bytes]:
        """GET a path under the server's origin (e.g. an IFrame's src), with the token, and
        with `host` as the Host header the browser sent (a JupyterHub's public name)."""
        headers = {"Authorization": f"token {self.token}"}
        if host:
            headers["Host"] = host
        request = urllib.request.Request(self.origin + path, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()

    def _api(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            self.root + path,
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    @contextmanager
    def kernel(self) -> Iterator[Kernel]:
        """A python3 kernel started by this server (REST API), driven over its channels."""
        from jupyter_client import BlockingKernelClient

        kernel_id = self._api("POST", "api/kernels", {"name": "python3"})["id"]
        connection = self.runtime / f"kernel-{kernel_id}.json"
        deadline = time.monotonic() + START_TIMEOUT_S
        while not connection.is_file():
            assert time.monotonic() < deadline, "the kernel's connection file did not appear"
            time.sleep(0.1)
        client = BlockingKernelClient()
        client.load_connection_file(str(connection))
        client.start_channels()
        try:
            _until_subscribed(client, deadline)
            yield Kernel(client)
        finally:
            client.stop_channels()
            self._api("DELETE", f"api/kernels/{kernel_id}")


def _until_subscribed(client: Any, deadline: float) -> None:
    """Ask kernel_info until its idle status arrives on IOPub too, so no output is missed
    (a ZeroMQ subscription drops what is published before it is connected). Queued requests
    wait for a kernel still starting; jupyter_client's wait_for_ready would instead call a
    kernel whose heartbeat has not answered yet dead."""
    while time.monotonic() < deadline:
        asked = client.kernel_info()
        client.get_shell_msg(timeout=START_TIMEOUT_S)
        try:
            while True:
                msg = client.get_iopub_msg(timeout=2)
                if (
                    msg["parent_header"].get("msg_id") == asked
                    and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"
                ):
                    return
        except queue.Empty:
            continue
    raise AssertionError("the kernel's IOPub channel never answered")


class Kernel:
    """Runs a cell's code and returns its outputs the way a notebook stores them."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def run(self, code: str) -> list[dict[str, Any]]:
        outputs: list[dict[str, Any]] = []

        def keep(message: dict[str, Any]) -> None:
            kind = message["msg_type"]
            if kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append({"output_type": kind, **message["content"]})

        reply = self.client.execute_interactive(code, output_hook=keep, timeout=240)
        errors = [o for o in outputs if o["output_type"] == "error"]
        assert reply["content"]["status"] == "ok", "\n".join(
            line for e in errors for line in e.get("traceback", [])
        )
        return outputs


@contextmanager
def jupyter_server(tmp: Path, base_url: str) -> Iterator[JupyterServer]:
    """`python -m jupyter_server` with jupyter-server-proxy, on a free port under `base_url`.

    It has a runtime directory of its own, and its kernels import this checkout's viz_app.
    """
    runtime, root = tmp / "runtime", tmp / "root"
    root.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in ("LINEAGE_VIZ_PROXY_URL",)}
    env.pop("JUPYTERHUB_SERVICE_PREFIX", None)
    env["JUPYTER_RUNTIME_DIR"] = str(runtime)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            "--allow-root",
            "--port=0",
            f"--ServerApp.base_url={base_url}",
            f"--IdentityProvider.token={secrets.token_hex(16)}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.jpserver_extensions={'jupyter_server_proxy': True}",
            # As JupyterHub's and Studio's servers are: reached by a public name, not loopback.
            "--ServerApp.allow_remote_access=True",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        info_file = runtime / f"jpserver-{proc.pid}.json"
        deadline = time.monotonic() + START_TIMEOUT_S
        info = None
        while info is None:
            assert proc.poll() is None, (tmp / "server.log").read_text()
            assert time.monotonic() < deadline, "the Jupyter server did not start"
            try:
                info = json.loads(info_file.read_text())
            except (OSError, ValueError):  # not written yet, or half written
                time.sleep(0.1)
        yield JupyterServer(info, runtime)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
