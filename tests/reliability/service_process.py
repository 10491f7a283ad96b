"""Run `python -m viz_app service` as a child process for crash and safe-default tests."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field

STARTUP_GUARD_SECONDS = 60.0


@dataclass
class ServiceProcess:
    proc: subprocess.Popen[str]
    url: str
    stderr_lines: list[str] = field(default_factory=list)

    def stderr_text(self) -> str:
        return "".join(self.stderr_lines)


def start(*args: str) -> ServiceProcess:
    """Start the service with `args`; wait (bounded) for the URL it prints first."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "viz_app", "service", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    url_box: list[str] = []
    got_url = threading.Event()

    def read_stdout() -> None:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url_box.append(first.strip())
        got_url.set()
        proc.stdout.read()

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)

    threading.Thread(target=read_stdout, daemon=True).start()
    threading.Thread(target=read_stderr, daemon=True).start()
    got_url.wait(STARTUP_GUARD_SECONDS)  # hang guard only
    return ServiceProcess(proc, url_box[0] if url_box else "", lines)


def run_to_exit(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the service command expecting it to exit on its own (bad arguments)."""
    return subprocess.run(
        [sys.executable, "-m", "viz_app", "service", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=STARTUP_GUARD_SECONDS,
        check=False,
    )
