"""Progress of `report` and `snapshot` on stderr: counts so far, shown on a terminal (or when
asked), never on stdout, so scripts read the same output either way."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest
from evidence_helpers import Source

REPO = Path(__file__).resolve().parents[2]
PAGES = re.compile(r"QueryLineage: (\d+) pages \[[^\]]*, (\d+) vertices\]")
DESCRIBED = re.compile(r"Describe: 100%\S* (\d+)/(\d+) ")
ENTITIES = re.compile(r"snapshot: 100%\S* (\d+)/(\d+) .*?, (\d+) associations\]")


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "viz_app", *args]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def run_piped(argv: list[str]) -> tuple[str, str]:
    done = subprocess.run(argv, capture_output=True, text=True, env=environment(), timeout=240)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def run_on_terminal(argv: list[str]) -> tuple[str, str]:
    """stdout into a pipe, stderr on a pseudo-terminal (as in a shell with `| tee`)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=follower, text=True, env=environment()
    )
    os.close(follower)
    seen: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    stdout, _ = proc.communicate(timeout=240)
    reader.join(timeout=30)
    os.close(leader)
    assert proc.returncode == 0, b"".join(seen).decode(errors="replace")
    return stdout, b"".join(seen).decode(errors="replace")


def last(pattern: re.Pattern[str], stderr: str) -> tuple[int, ...]:
    found = [m.groups() for m in pattern.finditer(stderr.replace("\r", "\n"))]
    assert found, stderr
    return tuple(int(n) for n in found[-1])


@pytest.fixture(scope="module")
def report_args(source: Source, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("progress-report")
    arn = source.summary.endpoint_context_arns[0]
    return command(
        "report", "--endpoint-url", source.service.url, "--arn", arn, "--out", str(out), "--no-png"
    )


def test_report_counts_pages_and_vertices_on_stderr_only_when_asked_or_on_a_terminal(
    report_args: list[str],
) -> None:
    quiet_out, quiet_err = run_piped(report_args)
    assert "QueryLineage" not in quiet_err and "Describe" not in quiet_err
    asked_out, asked_err = run_piped([*report_args, "--progress"])
    term_out, term_err = run_on_terminal(report_args)
    assert quiet_out == asked_out == term_out, "stdout is the same with or without progress"
    assert all(Path(line).is_file() for line in quiet_out.splitlines())
    out_dir = Path(report_args[report_args.index("--out") + 1])
    exchanges = json.loads((out_dir / "query.json").read_text())["exchanges"]
    pages = [x for x in exchanges if x["operation"] == "QueryLineage"]
    vertices = len({v["Arn"] for x in pages for v in x["response"]["Vertices"]})
    assert len(pages) > 1, "the question must need several pages"
    for stderr in (asked_err, term_err):
        assert last(PAGES, stderr) == (len(pages), vertices)
        assert last(DESCRIBED, stderr) == (vertices, vertices)
    _, silenced = run_on_terminal([*report_args, "--quiet"])
    assert "QueryLineage" not in silenced


def test_snapshot_counts_entities_and_associations_when_asked_and_is_quiet_in_a_pipe(
    source: Source, tmp_path: Path
) -> None:
    root = source.summary.model_package_artifact_arn
    base = ["snapshot", "--endpoint-url", source.service.url, "--arn", root, "--depth", "2"]
    _, quiet = run_piped(command(*base, "--db", str(tmp_path / "quiet.db")))
    assert len(quiet.splitlines()) == 1 and "%" not in quiet and "\r" not in quiet, quiet
    _, shown = run_piped(command(*base, "--db", str(tmp_path / "shown.db"), "--progress"))
    done, known, associations = last(ENTITIES, shown)
    summary = re.search(r"snapshot: (\d+) entities, (\d+) associations", shown)
    assert summary is not None and done == known == int(summary.group(1))
    assert associations == int(summary.group(2))
