"""An error goes when a new start is chosen: no stale banner over a new candidate."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import App
from test_explorer import url_params, wait_for_start

pytestmark = pytest.mark.browser


# Errors go when a new start is chosen.


def test_picking_a_suggestion_clears_the_error_of_a_bad_start(page: Any, app: App) -> None:
    page.goto(app.url)
    page.click("#export-svg")  # nothing to export yet
    page.locator("#export-error").get_by_text("nothing to export").wait_for()
    page.fill("#start-input", "not a start!")
    page.click("#start-go")
    page.locator("#input-error").get_by_text("not an ARN").wait_for()
    page.locator("#suggestions a.candidate").first.click()
    page.wait_for_function("() => location.search.includes('arn=')")
    wait_for_start(page, url_params(page)["arn"])
    assert page.inner_text("#input-error").strip() == ""
    assert page.inner_text("#export-error").strip() == ""
    assert page.inner_text("#query-error").strip() == ""


def test_typing_a_valid_start_after_a_failed_query_clears_the_banner(page: Any, app: App) -> None:
    missing = "arn:aws:sagemaker:us-east-1:123456789012:artifact/0123456789abcdef0123456789abcdef"
    page.goto(app.link(missing))
    page.locator("#query-error").get_by_text("was not found").wait_for()
    page.fill("#start-input", app.demo.training_dataset_uri)
    page.click("#start-go")
    page.locator("#candidates a.candidate").first.wait_for()
    page.wait_for_function("() => document.getElementById('query-error').innerText.trim() === ''")
    page.locator("#candidates a.candidate").first.click()
    wait_for_start(page, url_params(page)["arn"])
    assert page.inner_text("#query-error").strip() == ""
