"""The page's favicon is the app's own, not Dash's default."""

from __future__ import annotations

import pkgutil
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import App

ASSETS = Path(__file__).resolve().parents[2] / "assets"

pytestmark = pytest.mark.browser


def test_the_page_favicon_is_the_apps_own(page: Any, app: App) -> None:
    page.goto(app.url)
    href = page.evaluate("() => document.querySelector('link[rel~=icon]').href")
    served = page.request.get(href).body()
    ours = (ASSETS / "favicon.ico").read_bytes()
    assert served == ours
    assert ours != pkgutil.get_data("dash", "favicon.ico")  # not Dash's default
