"""Questions that fit the entity's source, and answer titles that read naturally."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_helpers import App, node_point
from test_explorer import wait_for_start

pytestmark = pytest.mark.browser


def click_node(page: Any, arn: str) -> None:
    x, y = node_point(page, arn)
    page.mouse.click(x, y)
    page.wait_for_function(
        "a => document.querySelector('#details') && "
        "document.querySelector('#details').innerText.includes(a)",
        arg=arn,
    )


def question_labels(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#questions button").all_inner_texts()]


# "Same source" only where the source is an S3 URI; images get their own wording.


def test_the_same_s3_uri_question_follows_the_source_of_a_model(
    page: Any, app: App, sagemaker: Any
) -> None:
    package_model = app.demo.model_package_artifact_arn
    assert sagemaker.describe_artifact(ArtifactArn=package_model)["Source"]["SourceUri"].startswith(
        "arn:"
    )
    page.goto(app.link(package_model, direction="Both", depth=1))
    wait_for_start(page, package_model)
    click_node(page, package_model)
    page.locator("#questions button").first.wait_for()
    assert "Which artifacts use the same S3 URI?" not in question_labels(page)
    models = sagemaker.list_artifacts(ArtifactType="Model", MaxResults=50)["ArtifactSummaries"]
    s3_model = next(m for m in models if m["Source"]["SourceUri"].startswith("s3://"))
    arn, uri = s3_model["ArtifactArn"], s3_model["Source"]["SourceUri"]
    page.goto(app.link(arn, direction="Both", depth=1))
    wait_for_start(page, arn)
    click_node(page, arn)
    same = page.get_by_role("button", name="Which artifacts use the same S3 URI?")
    same.click()
    page.locator("#answer .answer-title").wait_for()
    expected = sagemaker.list_artifacts(SourceUri=uri)["ArtifactSummaries"]
    assert f"{len(expected)} found" in (page.text_content("#answer .answer-title") or "")


def test_an_image_asks_which_artifacts_use_the_same_image(
    page: Any, app: App, sagemaker: Any
) -> None:
    uri = app.demo.shared_image_uri
    (image,) = sagemaker.list_artifacts(SourceUri=uri)["ArtifactSummaries"]
    page.goto(app.link(image["ArtifactArn"], direction="Both", depth=1))
    wait_for_start(page, image["ArtifactArn"])
    click_node(page, image["ArtifactArn"])
    page.locator("#questions button").first.wait_for()
    assert "Which artifacts use the same S3 URI?" not in question_labels(page)
    page.get_by_role("button", name="Which artifacts use the same image?").click()
    page.locator("#answer .answer-title").wait_for()
    assert uri in (page.text_content("#answer") or "")
    assert "1 found" in (page.text_content("#answer .answer-title") or "")


# Titles read naturally.


def test_an_answer_title_names_the_entity_without_repeating_its_type(page: Any, app: App) -> None:
    endpoint = app.demo.endpoint_context_arns[0]
    name = app.demo.endpoint_arns[0].rsplit("/", 1)[1]
    page.goto(app.link(endpoint, direction="Both", depth=2))
    wait_for_start(page, endpoint)
    page.get_by_role("button", name="Which datasets went into it?").click()
    title = page.locator("#answer .answer-title")
    title.wait_for()
    assert (title.text_content() or "").startswith(f"Datasets behind endpoint {name} — ")
    page.fill("#start-input", name)
    page.click("#start-go")
    page.locator("#candidates a.candidate").first.wait_for()
    text = page.inner_text("#candidates")
    assert not re.search(r"\b(\w+) of \1\b", text, re.IGNORECASE), text
