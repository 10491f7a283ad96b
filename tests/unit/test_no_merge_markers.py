"""No merge left half done: conflict markers in a tracked text file (the README once carried
two for a whole stop) fail the suite."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)
TEXT = (".py", ".md", ".js", ".css", ".toml", ".json", ".ipynb", ".yml", ".yaml", ".txt", ".cfg")


def tracked() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        names = out.splitlines()
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (a built wheel)
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()]
    return [ROOT / n for n in names if n.endswith(TEXT) or n in ("scripts/start", ".ci/run")]


def test_no_file_carries_conflict_markers() -> None:
    marked = [
        str(p.relative_to(ROOT))
        for p in tracked()
        if p.is_file() and MARKER.search(p.read_text(errors="replace"))
    ]
    assert not marked, f"merge conflict markers in {marked}"


def test_the_check_sees_a_marker() -> None:
    assert MARKER.search("text\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n")
    assert not MARKER.search("a table\n|---|---|\n======== not a marker")
