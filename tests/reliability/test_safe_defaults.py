"""Safe defaults of `lineage-viz service`: loopback unless told, a warning when exposed, clean
exits on SIGTERM/SIGINT, and a clear error (no traceback) for a store path it cannot use."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import service_process
from reliability_helpers import post, reply_problems

EXIT_GUARD_SECONDS = 30


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) of sockets listening on `port`."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A = LISTEN
                found.add(address)
    return found


def stop(running: service_process.ServiceProcess, sig: signal.Signals) -> int:
    running.proc.send_signal(sig)
    return running.proc.wait(timeout=EXIT_GUARD_SECONDS)


def test_the_service_binds_loopback_only_by_default(tmp_path: Path) -> None:
    running = service_process.start("--port", "0", "--db", str(tmp_path / "a.db"))
    try:
        assert running.url.startswith("http://127.0.0.1:"), (running.url, running.stderr_text())
        port = int(running.url.rsplit(":", 1)[1])
        assert listening_addresses(port) == {"0100007F"}, listening_addresses(port)
        reply = post(running.url, "ListArtifacts", b"{}")
        assert reply.status == 200 and not reply_problems("ListArtifacts", reply)
        assert "warning" not in running.stderr_text().lower()
    finally:
        stop(running, signal.SIGTERM)


def test_binding_all_interfaces_prints_a_warning_on_stderr(tmp_path: Path) -> None:
    running = service_process.start(
        "--host", "0.0.0.0", "--port", "0", "--db", str(tmp_path / "b.db")
    )
    try:
        assert running.url, running.stderr_text()
    finally:
        code = stop(running, signal.SIGTERM)
    assert code == 0
    stderr = running.stderr_text()
    assert "warning" in stderr.lower() and "0.0.0.0" in stderr, stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_the_service_exits_cleanly_with_code_0_on(sig: signal.Signals, tmp_path: Path) -> None:
    running = service_process.start("--port", "0", "--db", str(tmp_path / "c.db"))
    assert running.url, running.stderr_text()
    assert post(running.url, "ListContexts", b"{}").status == 200
    assert stop(running, sig) == 0
    assert "Traceback" not in running.stderr_text(), running.stderr_text()


def _bad_db_paths(tmp_path: Path) -> dict[str, str]:
    directory = tmp_path / "a-directory"
    directory.mkdir()
    garbage = tmp_path / "not-sqlite.db"
    garbage.write_bytes(b"this is not a SQLite database\x00" * 200)
    return {
        "missing-parent": str(tmp_path / "no" / "such" / "dir" / "x.db"),
        "a-directory": str(directory),
        "not-sqlite": str(garbage),
    }


@pytest.mark.parametrize("case", ["missing-parent", "a-directory", "not-sqlite"])
def test_a_store_path_the_service_cannot_use_gives_a_clear_error_and_no_traceback(
    case: str, tmp_path: Path
) -> None:
    path = _bad_db_paths(tmp_path)[case]
    result = service_process.run_to_exit("--port", "0", "--db", path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "error" in result.stderr.lower(), result.stderr
    assert result.stdout.strip() == "", "no URL may be printed for a service that is not running"
