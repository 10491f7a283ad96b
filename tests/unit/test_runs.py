"""Pipeline runs: each job's run from its tags (the real local service over HTTP), the groups
that follow from them, and the layout that frames each run."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from typing import Any

import pytest

from viz_app.api.server import start_service
from viz_app.core.demo import DemoSummary, build_demo
from viz_app.core.store import Store
from viz_app.ui.backends import Backend
from viz_app.ui.elements import RUN_PREFIX, build_elements
from viz_app.ui.elements_route import view_runs
from viz_app.ui.query_state import BY_RUN, from_search
from viz_app.ui.run_layout import TITLE_CHAR, grouped_positions
from viz_app.ui.runs import Run, RunBook, job_arn, run_from_tags, run_groups, run_titles
from viz_app.ui.view_build import new_cache
from viz_app.ui.view_cache import view_key

REGION, ACCOUNT = "us-east-1", "123456789012"
TC = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:experiment-trial-component/"
ART = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:artifact/"
EXEC_A = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/churnpipeline/execution/a1b2c3d4e5f6"
EXEC_B = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/fraudpipeline/execution/0f9e8d7c6b5a"


def test_a_job_trial_component_names_its_job() -> None:
    assert job_arn(TC + "churn-train-001-aws-training-job") == (
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:training-job/churn-train-001"
    )
    assert job_arn(TC + "prep-aws-processing-job") == (
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:processing-job/prep"
    )
    assert job_arn(TC + "score-aws-transform-job") == (
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:transform-job/score"
    )
    assert job_arn(TC + "my-own-component") is None  # made by hand: no job behind it
    assert job_arn(TC + "-aws-training-job") is None
    assert job_arn(ART + "0123abcd") is None


def test_a_run_comes_from_the_pipeline_tag_and_the_project_from_its_tag() -> None:
    tags = [
        {"Key": "sagemaker:pipeline-execution-arn", "Value": EXEC_A},
        {"Key": "project", "Value": "legacy-name"},
        {"Key": "sagemaker:project-name", "Value": "churn"},
    ]
    run = run_from_tags(tags)
    assert run == Run(EXEC_A, "churn")  # SageMaker Projects' own tag wins
    assert run is not None
    assert (run.pipeline, run.execution_id, run.owner) == ("churnpipeline", "a1b2c3d4e5f6", "churn")
    assert run.title == "churn · run a1b2c3d4"
    assert run_from_tags([{"Key": "project", "Value": "churn"}]) is None  # not in a pipeline
    assert Run(EXEC_B).owner == "fraudpipeline"


def test_titles_carry_the_run_id_only_where_an_owner_has_two_runs() -> None:
    one, two = Run(EXEC_A, "churn"), Run(EXEC_A.replace("a1b2", "ffff"), "churn")
    other = Run(EXEC_B)
    titles = run_titles([one, two, other, one])
    assert titles == {
        one: "churn · run a1b2c3d4",
        two: "churn · run ffffc3d4",
        other: "fraudpipeline",
    }


def _edges(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"SourceArn": s, "DestinationArn": d} for s, d in pairs]


def test_a_run_spreads_to_what_only_it_touches_and_stops_at_what_two_runs_share() -> None:
    a, b = Run(EXEC_A, "churn"), Run(EXEC_B)
    # raw -> prepA -> train.csv -> trainA -> model -> package -> deploy; image -> trainA, trainB;
    # raw -> prepB; a hand-made component reads train.csv.
    names = ["raw", "image", "train.csv", "model", "package", "deploy", "endpoint", "other-b"]
    art = {n: ART + n for n in names}
    jobs = {n: TC + n + "-aws-processing-job" for n in ("prepA", "trainA", "prepB")}
    manual = TC + "notebook-check"
    edges = _edges(
        (art["raw"], jobs["prepA"]),
        (jobs["prepA"], art["train.csv"]),
        (art["train.csv"], jobs["trainA"]),
        (jobs["trainA"], art["model"]),
        (art["model"], art["package"]),
        (art["package"], art["deploy"]),
        (art["deploy"], art["endpoint"]),
        (art["image"], jobs["trainA"]),
        (art["image"], jobs["prepB"]),
        (art["raw"], jobs["prepB"]),
        (jobs["prepB"], art["other-b"]),
        (art["train.csv"], manual),
    )
    vertices = [{"Arn": x} for x in [*art.values(), *jobs.values(), manual]]
    runs = {jobs["prepA"]: a, jobs["trainA"]: Run(EXEC_A), jobs["prepB"]: b}
    owner = run_groups(vertices, edges, runs)
    for arn in (art["train.csv"], art["model"], art["package"], art["endpoint"], manual):
        assert owner[arn] == a, arn
    assert owner[jobs["trainA"]] == a  # the project tag of one job names the whole run
    assert owner[art["other-b"]] == b
    assert art["image"] not in owner and art["raw"] not in owner  # used by both runs


def _box_in(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_each_run_is_framed_apart_and_shared_vertices_stay_outside_every_frame() -> None:
    rng = random.Random(7)
    ids = [f"n{i:03d}" for i in range(120)]
    groups = {n: f"run-{i % 5}" for i, n in enumerate(ids) if i % 7}  # every 7th is shared
    edges = [
        (a, b)
        for a, b in itertools.combinations(ids, 2)
        if groups.get(a) == groups.get(b) and rng.random() < 0.05
    ] + [(ids[0], ids[1]), (ids[7], ids[3])]
    boxes = {n: (20.0 + rng.random() * 60, 15.0, 40.0) for n in ids}
    titles = {g: f"project {g} with a long enough title" for g in set(groups.values())}
    positions, frames = grouped_positions(ids, edges, boxes, groups, titles, anchor=ids[0])
    assert sorted(f.group for f in frames) == sorted(titles)
    for f, g in itertools.combinations(frames, 2):
        assert not _overlap(f.rect, g.rect), (f.group, g.group)
    by_group = {f.group: f for f in frames}
    for node, (x, y) in positions.items():
        half, above, below = boxes[node]
        box = (x - half, y - above, x + half, y + below)
        if node in groups:
            frame = by_group[groups[node]]
            assert _box_in(box, frame.rect), node
            band_bottom = frame.rect[1] + frame.font_px  # the title's line is clear of members
            assert box[1] > band_bottom, node
        else:
            assert not any(_overlap(box, f.rect) for f in frames), node
    for frame in frames:
        assert frame.count == sum(1 for g in groups.values() if g == frame.group)
        title_width = len(frame.title) * TITLE_CHAR * frame.font_px
        assert title_width <= frame.rect[2] - frame.rect[0]
    again, frames_again = grouped_positions(
        list(reversed(ids)), list(reversed(edges)), boxes, groups, titles, anchor=ids[0]
    )
    assert (again, frames_again) == (positions, frames)  # order does not matter


def test_elements_of_a_view_arranged_by_run_frames_first_and_groups_within_a_run() -> None:
    hub = ART + "image"
    a_jobs = [TC + f"a{i}-aws-training-job" for i in range(8)]
    b_jobs = [TC + f"b{i}-aws-training-job" for i in range(8)]
    vertices = [{"Arn": hub, "Type": "Image", "LineageType": "Artifact"}] + [
        {"Arn": j, "Type": "TrainingJob", "LineageType": "TrialComponent"} for j in a_jobs + b_jobs
    ]
    edges = _edges(*((hub, j) for j in a_jobs + b_jobs))
    flat = build_elements(vertices, edges, start_arn=None)
    assert len(flat.groups) == 1  # 16 training jobs on one side of the image: one group node
    runs = {j: "churn" for j in a_jobs} | {j: "fraud" for j in b_jobs}
    framed = build_elements(vertices, edges, start_arn=None, runs=runs)
    assert not framed.groups  # 8 and 8: no group mixes two runs, and neither is big enough
    frames = [e for e in framed.elements if "run-box" in e.get("classes", "")]
    assert [f["data"]["id"] for f in frames] == [RUN_PREFIX + "churn", RUN_PREFIX + "fraud"]
    assert framed.elements[:2] == frames  # drawn first: under the nodes
    for frame in frames:
        data = frame["data"]
        assert data["label"] in ("churn", "fraud") and data["count"] == 8
        assert data["w"] > 0 and data["h"] > 0 and data["fs"] >= data["font"] > 0


def test_arrange_is_kept_in_the_url_but_not_in_the_view_key() -> None:
    search = f"?arn={ART}0123&direction=Both&depth=4&arrange={BY_RUN}"
    state = from_search(search)
    assert state.arrange == BY_RUN and not state.errors
    assert "arrange=runs" in state.to_search()
    assert "arrange=runs" in state.with_start(ART + "4567").to_search()  # a re-root keeps it
    assert view_key(state) == view_key(from_search(search.replace("&arrange=runs", "")))
    bad = from_search(search.replace("arrange=runs", "arrange=tree"))
    assert bad.errors == ("Arrange must be 'runs' (each pipeline run in a frame) or left out.",)


@pytest.fixture(scope="module")
def demo_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, DemoSummary]]:
    store = Store(tmp_path_factory.mktemp("runs") / "demo.db")
    demo = build_demo(store)
    service = start_service(store)
    yield service.url, demo
    service.close()
    store.close()


def test_runs_of_a_view_are_asked_once_per_job_over_http(
    demo_service: tuple[str, DemoSummary],
) -> None:
    url, demo = demo_service
    client = Backend.for_endpoint(url).client
    jobs = [
        s["TrialComponentArn"]
        for s in client.list_trial_components(MaxResults=100)["TrialComponentSummaries"]
    ]
    calls: list[str] = []

    def list_tags(arn: str) -> list[dict[str, str]]:
        calls.append(arn)
        return list(client.list_tags(ResourceArn=arn)["Tags"])

    book = RunBook(list_tags)
    found = book.runs(jobs)
    assert len(calls) == len(jobs) == len(found)  # every demo job ran in a pipeline
    assert demo.pipeline_execution_arn in {r.execution_arn for r in found.values()}
    assert {r.project for r in found.values()} >= {"churn", "fraud-detection"}
    assert book.runs(jobs) == found
    assert len(calls) == len(jobs) and book.stats["hits"] == len(jobs)  # kept: no call again


def _image_arn(client: Any, uri: str) -> str:
    return str(client.list_artifacts(SourceUri=uri)["ArtifactSummaries"][0]["ArtifactArn"])


def test_the_shared_image_view_frames_each_project_and_leaves_the_image_outside(
    demo_service: tuple[str, DemoSummary],
) -> None:
    url, demo = demo_service
    backend = Backend.for_endpoint(url)
    image = _image_arn(backend.client, demo.shared_image_uri)
    state = from_search(f"?arn={image}&direction=Descendants&depth=4")
    view = new_cache(backend).get(view_key(state))
    titles = view_runs(backend, view)
    assert set(titles.values()) == {"churn", "fraud-detection"}
    assert image not in titles
    jobs = [v["Arn"] for v in view.vertices if v["LineageType"] == "TrialComponent"]
    assert jobs and all(j in titles for j in jobs)


def test_a_job_whose_tags_could_not_be_read_is_asked_again_and_joins_its_run() -> None:
    job = TC + "churn-train-001-aws-training-job"
    calls: list[str] = []

    def flaky(arn: str) -> list[dict[str, str]]:  # throttled once, as a real account can be
        calls.append(arn)
        if len(calls) == 1:
            raise RuntimeError("ThrottlingException")
        return [{"Key": "sagemaker:pipeline-execution-arn", "Value": EXEC_A}]

    book = RunBook(flaky)
    assert book.runs([job]) == {}
    assert book.stats["failures"] == 1
    assert book.runs([job]) == {job: Run(EXEC_A)}
    assert book.runs([job]) == {job: Run(EXEC_A)} and len(calls) == 2  # then kept
