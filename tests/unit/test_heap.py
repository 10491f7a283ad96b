"""Servers settle their heap after startup (run in a child: freezing is process-wide)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CHILD = """
import gc, json
from viz_app import heap
before = gc.get_freeze_count()
kept = [object() for _ in range(1000)]
heap.settle()
print(json.dumps([before, gc.get_freeze_count(), gc.get_threshold()[0], len(kept)]))
"""


def test_settling_freezes_what_startup_made_and_raises_the_young_threshold() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, timeout=60
    )
    before, after, young, kept = json.loads(out.stdout)
    assert before == 0 and after >= kept
    assert young == 10_000


def test_the_app_server_and_the_service_settle_before_they_serve() -> None:
    root = Path(__file__).resolve().parents[2] / "viz_app"
    for module in ("ui/run.py", "api/server.py", "wsgi.py"):
        assert "heap.settle()" in (root / module).read_text(encoding="utf-8"), module
