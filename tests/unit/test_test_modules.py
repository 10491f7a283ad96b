"""Test modules are collected by basename (no packages under tests/): two files with one name
stop the whole suite at collection, which a run of one directory does not show."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_no_two_test_modules_share_a_name() -> None:
    names = Counter(p.name for p in TESTS.rglob("*.py") if p.name != "conftest.py")
    assert not [n for n, k in names.items() if k > 1], [n for n, k in names.items() if k > 1]
