"""Fresh machines: the README's first command where Python is "externally managed" (PEP 668),
and a built wheel in a fresh virtual environment serving the app with its assets."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
WHEEL_SOURCES = ("pyproject.toml", "README.md", "viz_app", "assets")
DEBIAN_PYTHON = "/usr/bin/python3"  # Debian's Python 3.11 is externally managed
INSTALL_TIMEOUT_S = 600


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without anything pointing Python at this checkout or a venv."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env.update(extra)
    return env


def run(argv: list[str | Path], **options: Any) -> str:
    done = subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
        check=False,
        **options,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return str(done.stdout)


@contextmanager
def served(
    argv: list[str | Path], cwd: Path, env: dict[str, str]
) -> Iterator[tuple[str, list[str]]]:
    """Start a command that serves the app; yield the URL it prints first and its stderr."""
    proc = subprocess.Popen(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    errors: list[str] = []
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout, proc.stderr
    threading.Thread(target=lambda: [lines.put(x) for x in out], daemon=True).start()
    threading.Thread(target=lambda: errors.extend(err), daemon=True).start()
    try:
        try:
            url = lines.get(timeout=INSTALL_TIMEOUT_S).strip()
        except queue.Empty:
            raise AssertionError("".join(errors)[-4000:]) from None
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url), (url, "".join(errors)[-4000:])
        yield url, errors
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.status, answer.read()


def assert_serves_the_app_and_its_assets(url: str) -> None:
    status, page = fetch(url)
    assert status == 200 and b"<title>lineage-viz</title>" in page
    for name in ("graph.js", "style.css"):
        assert f"/assets/{name}".encode() in page, f"the page does not load {name}"
        status, body = fetch(f"{url}assets/{name}")
        assert status == 200 and body == (REPO / "assets" / name).read_bytes()


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One wheel per session, built from a copy of what the wheel is made of."""
    source = tmp_path_factory.mktemp("source")
    for name in WHEEL_SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(REPO / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, source])
    (built,) = out.glob("lineage_viz-*.whl")
    return built


def test_a_wheel_in_a_fresh_venv_serves_the_app_with_its_assets(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], env=clean_env())
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "-q", wheel], env=clean_env(), cwd=tmp_path)
    where = run([python, "-c", "import viz_app; print(viz_app.__file__)"], cwd=tmp_path)
    assert where.startswith(str(venv)), "the wheel's package, not this checkout"
    command = [venv / "bin" / "lineage-viz", "serve", "--port", "0"]
    with served(command, cwd=tmp_path, env=clean_env()) as (url, _):
        assert_serves_the_app_and_its_assets(url)


def readme_first_command() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block is not None
    return block.group(1).splitlines()[0].split("#")[0].strip()


def externally_managed_python() -> str:
    """Debian's Python, whose pip refuses to install (skipped where there is none, but not
    under CI: .ci/run installs it)."""
    probe = (
        "import os, sys, sysconfig; sys.exit(not (sys.version_info >= (3, 11) and os.path.isfile("
        "os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED'))))"
    )
    if (
        os.path.exists(DEBIAN_PYTHON)
        and subprocess.run([DEBIAN_PYTHON, "-c", probe]).returncode == 0
    ):
        return DEBIAN_PYTHON
    if os.environ.get("CI"):
        pytest.fail(f"{DEBIAN_PYTHON} is missing or not externally managed under CI")
    pytest.skip(f"no externally managed Python at {DEBIAN_PYTHON}")


def test_the_readmes_first_command_makes_a_venv_where_python_is_externally_managed(
    tmp_path: Path,
) -> None:
    python = externally_managed_python()
    refused = subprocess.run(
        [python, "-m", "pip", "install", "--dry-run", "--no-deps", "tqdm"],
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stderr
    command = readme_first_command()
    assert command == "bash scripts/start"
    venv = tmp_path / "venv"
    env = clean_env(PYTHON=python, LINEAGE_VIZ_VENV=str(venv))
    with served([*command.split(), "--port", "0"], cwd=REPO, env=env) as (url, stderr):
        assert_serves_the_app_and_its_assets(url)
    said = "".join(stderr)
    assert "externally managed" in said and str(venv) in said
    where = run(
        [venv / "bin" / "python", "-c", "import viz_app; print(viz_app.__file__)"], cwd=tmp_path
    )
    assert where.strip() == str(REPO / "viz_app" / "__init__.py"), "this checkout, editable"
