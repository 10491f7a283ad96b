"""Start suggestions a new user can read: the name first, with what it is and when it was made."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from browser_helpers import App

pytestmark = pytest.mark.browser


def test_the_suggestions_show_readable_endpoint_names_with_their_creation_date(
    page: Any, app: App, sagemaker: Any
) -> None:
    page.goto(app.url)
    first = page.locator("#suggestions a.candidate").first
    first.wait_for()
    endpoints = sagemaker.list_contexts(ContextType="Endpoint", MaxResults=50)["ContextSummaries"]
    names = {c["ContextArn"]: c["ContextName"] for c in endpoints}
    shown = page.locator("#suggestions a.candidate")
    checked = 0
    for i in range(shown.count()):
        link = shown.nth(i)
        arn = parse_qs(urlparse(link.get_attribute("href") or "").query)["arn"][0]
        if arn not in names:
            continue
        full = names[arn]
        auto = re.match(r"(.+)-(\d{10})-aws-endpoint$", full)
        if auto is None:  # a test record named without SageMaker's suffix
            continue
        readable, epoch = auto.groups()
        day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d")
        assert link.locator(".cand-label").inner_text() == readable
        assert day in link.inner_text()
        label = link.locator(".cand-label")  # cut with an ellipsis by CSS when too wide
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth"), f"{readable} is cut"
        assert full in (link.get_attribute("title") or "")  # the full name on hover
        checked += 1
    assert checked >= 2
