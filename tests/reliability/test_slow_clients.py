"""Slow and greedy clients against `lineage-viz service` as a process: idle sockets may not take
a thread each for ever, and huge bad bodies may not cost memory in proportion to their errors.
Threads and memory are read from /proc/<pid>/status, never from the clock."""

from __future__ import annotations

import json
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import service_process
from botocore.config import Config
from reliability_helpers import HANG_GUARD_SECONDS, post

from viz_app.api.server import MAX_CONNECTIONS

IDLE_SOCKETS = 600  # more than the cap, and what a browser tab or a script opens in seconds


def status(pid: int) -> dict[str, int]:
    """Threads, VmRSS and VmHWM (kB) of a process."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("Threads", "VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


@pytest.fixture()
def running(tmp_path: Path) -> Iterator[service_process.ServiceProcess]:
    proc = service_process.start("--port", "0", "--db", str(tmp_path / "s.db"), "--demo")
    assert proc.url, proc.stderr_text()
    yield proc
    proc.proc.send_signal(signal.SIGTERM)
    proc.proc.wait(timeout=HANG_GUARD_SECONDS)
    assert "Traceback" not in proc.stderr_text(), proc.stderr_text()


def boto3_client(url: str) -> Any:
    return boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
    )


def test_idle_sockets_do_not_hold_a_thread_each_and_boto3_is_still_answered(
    running: service_process.ServiceProcess,
) -> None:
    host, port = running.url.removeprefix("http://").split(":")
    sockets = []
    try:
        stalled = socket.create_connection((host, int(port)), timeout=HANG_GUARD_SECONDS)
        stalled.sendall(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: SageMaker.ListContexts\r\n"
            b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 5000000\r\n\r\n"
        )
        sockets.append(stalled)
        for _ in range(IDLE_SOCKETS):
            sockets.append(socket.create_connection((host, int(port)), timeout=HANG_GUARD_SECONDS))
        client = boto3_client(running.url)
        # Accepted after every idle socket (one listen queue): the service has seen them all.
        assert client.list_contexts(ContextType="Endpoint")["ContextSummaries"]
        threads = status(running.proc.pid)["Threads"]
        assert threads <= MAX_CONNECTIONS + 8, threads
        assert client.list_artifacts()["ArtifactSummaries"]
    finally:
        for sock in sockets:
            sock.close()


def test_an_idle_connection_is_closed_by_the_service() -> None:
    """With a short idle timeout (30 s by default), a silent client is disconnected."""
    from viz_app.api.server import LineageService
    from viz_app.core.store import Store

    store = Store()
    service = LineageService(store, idle_timeout_s=0.5)
    try:
        host, port = service.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=HANG_GUARD_SECONDS) as sock:
            assert sock.recv(1) == b""  # closed by the service, not by the hang guard
        with socket.create_connection((host, int(port)), timeout=HANG_GUARD_SECONDS) as sock:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{")
            assert sock.recv(1) == b""
    finally:
        service.close()
        store.close()


def test_huge_bodies_of_bad_start_arns_get_small_errors_and_bounded_memory(
    running: service_process.ServiceProcess,
) -> None:
    """The issue's body: 4.8 MB, 1.2M StartArns; four at once."""
    body = json.dumps({"StartArns": ["x"] * 1_200_000}, separators=(",", ":")).encode()
    assert 4_500_000 < len(body) < 5 * 1024 * 1024
    warm = post(running.url, "QueryLineage", {"StartArns": ["x", "y"]})
    assert warm.status == 400
    before = status(running.proc.pid)
    replies: list[Any] = []

    def send() -> None:
        replies.append(post(running.url, "QueryLineage", body))

    workers = [threading.Thread(target=send) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(HANG_GUARD_SECONDS)
    assert len(replies) == 4
    for reply in replies:
        assert reply.status == 400, reply
        assert len(reply.body) < 2_000
        assert json.loads(reply.body)["__type"] == "ValidationException"
    after = status(running.proc.pid)
    grown_mb = (after["VmHWM"] - before["VmRSS"]) / 1024
    assert grown_mb < 250, (before, after)
