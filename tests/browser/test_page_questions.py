"""Every question of the AWS page on querying lineage (../shared/seeds/), and the ones issue 13
adds, from its natural start: a deep link, then at most two real clicks at 1440x900, the
answer equal to an independent reference through boto3 (QueryLineage, ListTags, ListArtifacts,
Describe), and the empty answers SageMaker's links make explained with a way on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from browser_helpers import App, grid_rows, node_ids, node_point, wait_for_graph, wait_for_grid
from reference_walk import impact
from test_explorer import all_pages, wait_for_start

pytestmark = pytest.mark.browser

PIPELINE_TAG = "sagemaker:pipeline-execution-arn"


def matching(client: Any, start: str, direction: str, **filters: list[str]) -> set[str]:
    """What QueryLineage answers without edges (the SDK's LineageQuery), every page."""
    request: dict[str, Any] = {"StartArns": [start], "Direction": direction}
    if filters:
        request["Filters"] = filters
    found, _, _ = all_pages(client, **request)
    return found - {start}


def one(summaries: list[dict[str, Any]], key: str) -> str:
    assert summaries, "the demo should hold one"
    return str(summaries[0][key])


def package_model(sm: Any, app: App) -> str:
    """The page's `Artifact.list(source_uri=model_package_arn)[0]`."""
    found = sm.list_artifacts(SourceUri=app.demo.model_package_arn)["ArtifactSummaries"]
    return one(found, "ArtifactArn")


def training_dataset(sm: Any, app: App) -> str:
    """The page's `Artifact.list(source_uri=training_data)[0]`."""
    found = sm.list_artifacts(SourceUri=app.demo.training_dataset_uri)["ArtifactSummaries"]
    return one(found, "ArtifactArn")


def endpoint(sm: Any, app: App) -> str:
    """The page's `Context.list(source_uri=endpoint_arn)[0]`."""
    found = sm.list_contexts(SourceUri=app.demo.endpoint_arns[0])["ContextSummaries"]
    return one(found, "ContextArn")


def shared_image(sm: Any, app: App) -> str:
    found = sm.list_artifacts(SourceUri=app.demo.shared_image_uri)["ArtifactSummaries"]
    return one(found, "ArtifactArn")


def model_group(sm: Any, app: App) -> str:
    return one(sm.list_contexts(ContextType="ModelGroup")["ContextSummaries"], "ContextArn")


def s3_model(sm: Any, app: App) -> str:
    """The model an endpoint's view shows upstream of it (a second click away)."""
    models = matching(sm, endpoint(sm, app), "Ascendants", Types=["Model"])
    return min(m for m in models if sm.describe_artifact(ArtifactArn=m)["Source"]["SourceUri"]
               .startswith("s3://"))  # fmt: skip


def pipeline_executions(sm: Any, start: str) -> set[str]:
    """The SDK's pipeline_execution_arn(): the tag on the training jobs' own ARNs."""
    out = set()
    for tc in matching(sm, start, "Ascendants", Types=["TrainingJob"]):
        name = tc.rsplit("/", 1)[-1]
        job = sm.describe_trial_component(TrialComponentName=name)["Source"]["SourceArn"]
        out |= {
            t["Value"] for t in sm.list_tags(ResourceArn=job)["Tags"] if t["Key"] == PIPELINE_TAG
        }
    return out


@dataclass(frozen=True)
class Case:
    """A question: where it starts, the node clicked first (None: the start), the button, and
    the reference (answer ARNs) or, for a note, the texts the answer must carry."""

    start: Callable[[Any, App], str]
    button: str
    expected: Callable[[Any, str], set[str]]
    node: Callable[[Any, App], str] | None = None
    notes: Callable[[Any, str], set[str]] | None = None


CASES = {
    # The page's LineageQuery examples and SDK helpers.
    "endpoint datasets": Case(
        endpoint, "Which datasets went into it?",
        lambda sm, s: matching(sm, s, "Ascendants", Types=["DataSet"], LineageTypes=["Artifact"]),
    ),
    "endpoint models": Case(
        endpoint, "Which models does it use?",
        lambda sm, s: matching(sm, s, "Ascendants", Types=["Model"], LineageTypes=["Artifact"]),
    ),
    "endpoint training jobs": Case(
        endpoint, "Which training jobs?",
        lambda sm, s: matching(sm, s, "Ascendants", Types=["TrainingJob"],
                               LineageTypes=["TrialComponent"]),
    ),
    "endpoint pipeline execution": Case(
        endpoint, "Which pipeline execution produced it?",
        lambda sm, s: matching(sm, s, "Ascendants", Types=["TrainingJob"]),
        notes=pipeline_executions,
    ),
    "model endpoints (descendants)": Case(
        package_model, "Which endpoints does it reach?",
        lambda sm, s: matching(sm, s, "Descendants", Types=["Endpoint"], LineageTypes=["Context"]),
    ),
    "model datasets (ascendants)": Case(
        package_model, "Which datasets went into it?",
        lambda sm, s: matching(sm, s, "Ascendants", Types=["DataSet"], LineageTypes=["Artifact"]),
    ),
    "model training jobs": Case(
        package_model, "Which training jobs?",
        lambda sm, s: matching(sm, s, "Ascendants", Types=["TrainingJob"]),
    ),
    "dataset endpoints": Case(
        training_dataset, "Which endpoints does it reach?",
        lambda sm, s: matching(sm, s, "Descendants", Types=["Endpoint"], LineageTypes=["Context"]),
    ),
    "s3 model endpoints, two clicks from the endpoint": Case(
        endpoint, "Which endpoints does it reach?",
        lambda sm, s: matching(sm, s, "Descendants", Types=["Endpoint"], LineageTypes=["Context"]),
        node=s3_model,
    ),
    "s3 model datasets, two clicks from the endpoint": Case(
        endpoint, "Which datasets went into it?",
        lambda sm, s: matching(sm, s, "Ascendants", Types=["DataSet"], LineageTypes=["Artifact"]),
        node=s3_model,
    ),
    # What issue 13 adds.
    "model: every job that made it": Case(
        s3_model, "Which trial components (jobs) made it upstream?",
        lambda sm, s: matching(sm, s, "Ascendants", LineageTypes=["TrialComponent"]),
    ),
    "model: every job that used it": Case(
        s3_model, "Which trial components use it downstream?",
        lambda sm, s: matching(sm, s, "Descendants", LineageTypes=["TrialComponent"]),
    ),
    "dataset: every job that made it": Case(
        training_dataset, "Which trial components (jobs) made it upstream?",
        lambda sm, s: matching(sm, s, "Ascendants", LineageTypes=["TrialComponent"]),
    ),
    "image: every job that used it": Case(
        shared_image, "Which trial components use it downstream?",
        lambda sm, s: matching(sm, s, "Descendants", LineageTypes=["TrialComponent"]),
    ),
    "endpoint: the actions that use it": Case(
        endpoint, "Which actions use it?",
        lambda sm, s: matching(sm, s, "Both", LineageTypes=["Action"]),
    ),
    "endpoint: every dataset, image and job upstream, as one list": Case(
        endpoint, "What went into it? (datasets, images, jobs)",
        lambda sm, s: set(impact(sm, s, downstream=False)),
    ),
    "image: what it reaches (impact)": Case(
        shared_image, "What does it reach? (models, packages, endpoints)",
        lambda sm, s: set(impact(sm, s, downstream=True)),
    ),
    "model group: the pipeline execution property": Case(
        model_group, "Which pipeline execution produced it?",
        lambda sm, s: set(),
        notes=lambda sm, s: {
            sm.describe_context(ContextName=s.rsplit("/", 1)[-1])["Properties"][
                "PipelineExecutionArn"
            ]
        },
    ),
}  # fmt: skip


def answer_arns(page: Any) -> set[str]:
    """The ARNs the answer's grid lists (none without a grid: an empty answer has none)."""
    if not page.locator("#answer #answer-grid").count():
        return set()
    wait_for_grid(page, "answer-grid")
    return {row["arn"] for row in grid_rows(page, "answer-grid", ("arn",))}


def wait_for_answer_grid(page: Any) -> None:
    page.locator("#answer #answer-grid").wait_for()
    wait_for_grid(page, "answer-grid")


def click_node(page: Any, arn: str) -> None:
    x, y = node_point(page, arn)
    page.mouse.click(x, y)
    page.locator("#details").get_by_text(arn).first.wait_for()


@pytest.mark.parametrize("name", list(CASES))
def test_each_question_of_the_page_is_answered_in_two_clicks_as_boto3_answers_it(
    page: Any, app: App, sagemaker: Any, name: str
) -> None:
    case = CASES[name]
    page.set_viewport_size({"width": 1440, "height": 900})
    start = case.start(sagemaker, app)
    page.goto(app.link(start))
    wait_for_start(page, start)
    asked = start
    if case.node is not None:
        asked = case.node(sagemaker, app)
        click_node(page, asked)  # click 1
    expected = case.expected(sagemaker, asked)
    page.locator("#questions").get_by_role("button", name=case.button, exact=True).click()
    title = page.locator("#answer .answer-title")
    title.wait_for()
    assert f"— {len(expected)} found" in (title.text_content() or "")
    assert answer_arns(page) == expected
    for note in case.notes(sagemaker, asked) if case.notes else ():
        assert note in page.inner_text("#answer")
    if expected:  # answered in the graph too
        page.wait_for_function("n => window.lineageViz.cy().nodes('.answer').length >= n", arg=1)
        assert node_ids(page, "node.answer") <= {*expected, *node_ids(page, "node.group")}
    box, card = title.bounding_box(), page.locator("#details-card").bounding_box()
    assert box is not None and card is not None
    assert 0 <= card["y"] <= box["y"] and box["y"] + box["height"] <= card["y"] + card["height"]
    assert card["y"] + card["height"] <= 900, "the answer is in view without scrolling"


def test_an_approvals_empty_datasets_answer_says_why_and_offers_its_model_packages(
    page: Any, app: App, sagemaker: Any
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    approval = one(sagemaker.list_actions(ActionType="Approval")["ActionSummaries"], "ActionArn")
    assert not matching(sagemaker, approval, "Ascendants", Types=["DataSet"])
    page.goto(app.link(approval))
    wait_for_start(page, approval)
    page.locator("#questions").get_by_role("button", name="Which datasets went into it?").click()
    page.locator("#answer .answer-why", has_text="upstream of its model package").wait_for()
    page.wait_for_function("() => window.lineageViz.settled()")
    page.locator("#answer").get_by_role(
        "button", name="Which datasets went into its model package?"
    ).click()  # click 2
    wait_for_answer_grid(page)
    source = sagemaker.describe_action(ActionName=approval.rsplit("/", 1)[-1])["Source"]
    packages = sagemaker.list_artifacts(SourceUri=source["SourceUri"])["ArtifactSummaries"]
    expected: set[str] = set()
    for package in packages:
        expected |= matching(
            sagemaker, package["ArtifactArn"], "Ascendants", Types=["DataSet"],
            LineageTypes=["Artifact"],
        )  # fmt: skip
    assert expected
    assert answer_arns(page) == expected


def test_an_endpoints_empty_transform_jobs_answer_offers_the_jobs_using_its_models(
    page: Any, app: App, sagemaker: Any
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    start = endpoint(sagemaker, app)
    assert not matching(sagemaker, start, "Ascendants", Types=["TransformJob"])
    page.goto(app.link(start))
    wait_for_start(page, start)
    page.locator("#questions").get_by_role("button", name="Which transform jobs?").click()
    page.locator("#answer .answer-why", has_text="downstream of a model").wait_for()
    page.wait_for_function("() => window.lineageViz.settled()")
    page.locator("#answer").get_by_role(
        "button", name="Which transform jobs used its models?"
    ).click()
    wait_for_answer_grid(page)
    expected: set[str] = set()
    for model in matching(sagemaker, start, "Ascendants", Types=["Model"]):
        expected |= matching(
            sagemaker, model, "Descendants", Types=["TransformJob"], LineageTypes=["TrialComponent"]
        )
    assert expected
    assert answer_arns(page) == expected
    wait_for_graph(page)
