"""The summary's creation timeline with one described entity: a date axis, not milliseconds."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_helpers import App
from test_explorer import wait_for_start
from test_question_wording import click_node

pytestmark = pytest.mark.browser


def test_one_described_entity_is_shown_on_a_date_axis_with_a_note(
    page: Any, app: App, sagemaker: Any
) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    name = endpoint.rsplit("/", 1)[1]
    created = sagemaker.describe_context(ContextName=name)["CreationTime"]
    page.goto(app.link(endpoint, direction="Ascendants", depth=1))
    wait_for_start(page, endpoint)
    click_node(page, endpoint)
    page.locator("div.tab").filter(has_text="Summary").click()
    ticks = page.locator("#summary-timeline .xtick text")
    day = created.strftime("%Y-%m-%d")
    page.wait_for_function(
        "d => [...document.querySelectorAll('#summary-timeline .xtick text')]"
        ".some(t => t.textContent === d)",
        arg=day,
    )
    labels = ticks.all_text_contents()
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", t) for t in labels), labels
    assert len(labels) >= 3  # at least a day either side
    # Creation times come from the clicks and from the names the app already knows (other
    # tests of this session may have taught it some): the note counts what is drawn.
    points = page.locator("#summary-timeline .scatterlayer .point").count()
    assert points >= 1
    if points < 3:
        word = "entity" if points == 1 else "entities"
        assert f"Only {points} {word} described so far" in page.inner_text("#summary-timeline")
