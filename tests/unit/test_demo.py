"""Tests for the demo lineage graph: determinism, record shapes, and the paths the UI relies on."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from viz_app.core import demo
from viz_app.core.demo import BASE_TIME, DemoSummary, build_demo, run_demo_command
from viz_app.core.model import (
    ACTION,
    ARTIFACT,
    CONTEXT,
    TRIAL_COMPONENT,
    EntityRecord,
    artifact_id,
    parse_arn,
)
from viz_app.core.store import Store

EXPERIMENT_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}")
CONTEXT_NAME = re.compile(r"[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,119}")
ASSOCIATION_TYPES = {"ContributedTo", "AssociatedWith", "DerivedFrom", "Produced", "SameAs"}
TC_SUFFIX = {
    "SageMakerTrainingJob": ("-aws-training-job", "training-job"),
    "SageMakerProcessingJob": ("-aws-processing-job", "processing-job"),
    "SageMakerTransformJob": ("-aws-transform-job", "transform-job"),
}
PIPELINE_EXECUTION = re.compile(
    r"arn:aws:sagemaker:us-east-1:123456789012:pipeline/[a-z0-9-]+/execution/[a-z0-9]{12}"
)


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the store, sorted: equal dumps mean identical stores."""
    with store.read() as conn:
        return {
            table: sorted(tuple(row) for row in conn.execute(f"SELECT * FROM {table}"))
            for table in (
                "entities",
                "associations",
                "tags",
                "experiments",
                "trials",
                "trial_members",
            )
        }


def all_entities(store: Store) -> list[EntityRecord]:
    with store.read() as conn:
        arns = [row[0] for row in conn.execute("SELECT arn FROM entities")]
    return list(store.get_entities(arns).values())


def all_edges(store: Store) -> list[tuple[str, str, str | None]]:
    with store.read() as conn:
        rows = conn.execute("SELECT source_arn, destination_arn, type FROM associations")
        return [(r[0], r[1], r[2]) for r in rows]


def reach(
    store: Store, start: str, forward: bool | None, blocked: frozenset[str] = frozenset()
) -> set[str]:
    """BFS over associations: forward only, backward only, or both ways (forward=None)."""
    seen = {start}
    frontier = [start]
    directions = [True, False] if forward is None else [forward]
    while frontier:
        found: list[str] = []
        for direction in directions:
            for source, destination, _ in store.edges_from(frontier, direction):
                other = destination if direction else source
                if other not in seen and other not in blocked:
                    seen.add(other)
                    found.append(other)
        frontier = found
    return seen


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    store = Store(tmp_path_factory.mktemp("demo") / "demo.db")
    summary = build_demo(store)
    yield store, summary
    store.close()


@pytest.fixture(scope="module")
def entities(built: tuple[Store, DemoSummary]) -> dict[str, EntityRecord]:
    return {e.arn: e for e in all_entities(built[0])}


def test_the_same_seed_gives_identical_stores(tmp_path: Path) -> None:
    first, second = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    assert build_demo(first, scale=2, seed=7) == build_demo(second, scale=2, seed=7)
    assert dump(first) == dump(second)


def test_a_different_seed_gives_a_different_store(tmp_path: Path) -> None:
    first, second = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    build_demo(first, seed=1)
    build_demo(second, seed=2)
    assert dump(first) != dump(second)


def test_batched_writes_give_the_same_store_as_one_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = Store(tmp_path / "whole.db")
    build_demo(whole, scale=4)
    calls: list[int] = []
    batched = Store(tmp_path / "batched.db")
    original = batched.bulk_insert

    def counting(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        original(*args, **kwargs)

    monkeypatch.setattr(batched, "bulk_insert", counting)
    monkeypatch.setattr(demo, "BATCH_RECORDS", 100)
    build_demo(batched, scale=4)
    assert len(calls) >= 3
    assert dump(batched) == dump(whole)


def test_the_summary_counts_match_the_store(built: tuple[Store, DemoSummary]) -> None:
    store, summary = built
    assert summary.entities == store.count_entities()
    assert summary.associations == store.count_associations()
    assert 80 <= summary.entities <= 150
    assert 4 <= len(summary.endpoint_context_arns) <= 6


def test_every_trial_component_has_a_job_source_and_an_aws_job_suffix(
    entities: dict[str, EntityRecord],
) -> None:
    tcs = [e for e in entities.values() if e.kind == TRIAL_COMPONENT]
    assert {e.entity_type for e in tcs} == set(TC_SUFFIX)
    for tc in tcs:
        suffix, resource = TC_SUFFIX[str(tc.entity_type)]
        source = tc.doc["Source"]
        assert source["SourceType"] == tc.entity_type
        assert source["SourceArn"] == tc.source_uri
        assert tc.name is not None and tc.name.endswith(suffix)
        job_name = tc.name.removesuffix(suffix)
        assert source["SourceArn"] == (
            f"arn:aws:sagemaker:us-east-1:123456789012:{resource}/{job_name}"
        )
        assert tc.arn.endswith(f":experiment-trial-component/{tc.name}")
        assert tc.doc["Status"] == {"PrimaryStatus": "Completed"}
        assert tc.doc["StartTime"] <= tc.doc["EndTime"]


def test_every_association_joins_two_existing_entities_once(
    built: tuple[Store, DemoSummary], entities: dict[str, EntityRecord]
) -> None:
    edges = all_edges(built[0])
    assert len({(s, d) for s, d, _ in edges}) == len(edges) == built[1].associations
    for source, destination, kind in edges:
        assert source in entities and destination in entities
        assert kind in ASSOCIATION_TYPES
        assert source != destination


def check_names_and_types(entities: list[EntityRecord]) -> None:
    for e in entities:
        assert e.entity_type and len(e.entity_type) <= 40
        assert e.created >= BASE_TIME and e.modified >= e.created
        if e.kind == ARTIFACT:
            assert e.name is None
            continue
        assert e.name is not None and len(e.name) <= 120
        pattern = CONTEXT_NAME if e.kind == CONTEXT else EXPERIMENT_NAME
        assert pattern.fullmatch(e.name), e.name
        parsed = parse_arn(e.arn)
        assert parsed is not None and parsed.name == e.name and parsed.kind == e.kind
        if e.kind == TRIAL_COMPONENT:
            assert len(str(e.source_uri).split("/", 1)[1]) <= 63  # SageMaker job name limit


def test_every_name_and_type_obeys_the_service_constraints(
    entities: dict[str, EntityRecord],
) -> None:
    check_names_and_types(list(entities.values()))


def test_artifacts_are_unique_per_source_uri_with_content_ids(
    entities: dict[str, EntityRecord],
) -> None:
    artifacts = [e for e in entities.values() if e.kind == ARTIFACT]
    uris = [e.source_uri for e in artifacts]
    assert len(set(uris)) == len(uris)
    for a in artifacts:
        source = a.doc["Source"]
        assert source["SourceUri"] == a.source_uri
        assert a.arn.endswith("/" + artifact_id(str(a.source_uri), source["SourceTypes"]))
    types = {e.entity_type for e in artifacts}
    assert types == {"DataSet", "Image", "Model"}


def test_the_model_package_has_its_artifact_approval_and_model_group(
    built: tuple[Store, DemoSummary], entities: dict[str, EntityRecord]
) -> None:
    store, summary = built
    package = entities[summary.model_package_artifact_arn]
    assert (package.entity_type, package.source_uri) == ("Model", summary.model_package_arn)
    assert summary.model_package_arn.endswith(":model-package/churnpackagegroup/1")
    incoming = {s: t for s, _, t in store.edges_from([package.arn], forward=False)}
    sources = {entities[s].entity_type for s in incoming}
    assert sources == {"Model", "Image", "Approval"}
    approval = next(entities[s] for s in incoming if entities[s].entity_type == "Approval")
    assert approval.kind == ACTION and incoming[approval.arn] == "ContributedTo"
    assert approval.doc["Source"] == {
        "SourceUri": summary.model_package_arn,
        "SourceType": "ApprovalStatus",
    }
    assert re.fullmatch(r"churnpackagegroup-1-Approved-[a-z0-9]{10}", str(approval.name))
    outgoing = store.edges_from([package.arn], forward=True)
    assert {entities[d].entity_type for _, d, _ in outgoing} == {"ModelGroup", "ModelDeployment"}
    (group_edge,) = [e for e in outgoing if entities[e[1]].kind == CONTEXT]
    group = entities[group_edge[1]]
    assert (group.kind, group.entity_type, group_edge[2]) == (
        CONTEXT,
        "ModelGroup",
        "AssociatedWith",
    )
    assert re.fullmatch(r"ChurnPackageGroup-\d{10}-aws-model-package-group", str(group.name))
    assert group.source_uri == (
        "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/churnpackagegroup"
    )
    assert group.doc["Properties"]["PipelineExecutionArn"] == summary.pipeline_execution_arn


def test_endpoint_contexts_point_at_their_endpoints_through_deployments(
    built: tuple[Store, DemoSummary], entities: dict[str, EntityRecord]
) -> None:
    store, summary = built
    pairs = zip(summary.endpoint_arns, summary.endpoint_context_arns, strict=True)
    for endpoint_arn, context_arn in pairs:
        context = entities[context_arn]
        assert (context.kind, context.entity_type) == (CONTEXT, "Endpoint")
        assert context.source_uri == endpoint_arn == context.doc["Source"]["SourceUri"]
        endpoint_name = endpoint_arn.split(":endpoint/")[1]
        assert endpoint_name == endpoint_name.lower()
        assert re.fullmatch(rf"{endpoint_name}-\d{{10}}-aws-endpoint", str(context.name))
        for source, _, kind in store.edges_from([context_arn], forward=False):
            assert entities[source].entity_type == "ModelDeployment" and kind == "AssociatedWith"


def test_training_job_arns_carry_the_pipeline_execution_tag(
    built: tuple[Store, DemoSummary], entities: dict[str, EntityRecord]
) -> None:
    store, summary = built
    assert PIPELINE_EXECUTION.fullmatch(summary.pipeline_execution_arn)
    tags = dict(store.list_tags(summary.training_job_arn, None, 50))
    assert tags["sagemaker:pipeline-execution-arn"] == summary.pipeline_execution_arn
    assert {"team", "project"} <= set(tags)
    for tc in entities.values():
        if tc.entity_type == "SageMakerTrainingJob":
            job_tags = dict(store.list_tags(str(tc.source_uri), None, 50))
            assert PIPELINE_EXECUTION.fullmatch(job_tags["sagemaker:pipeline-execution-arn"])


def test_endpoint_ascendants_reach_data_images_models_jobs_and_approval(
    built: tuple[Store, DemoSummary], entities: dict[str, EntityRecord]
) -> None:
    store, summary = built
    for context in summary.endpoint_context_arns:
        types = {entities[a].entity_type for a in reach(store, context, forward=False)}
        assert {
            "DataSet",
            "Image",
            "Model",
            "SageMakerTrainingJob",
            "SageMakerProcessingJob",
            "Approval",
            "ModelDeployment",
        } <= types
    churn = reach(store, summary.endpoint_context_arns[0], forward=False)
    assert summary.model_package_artifact_arn in churn


def test_a_training_dataset_has_upstream_and_downstream_lineage(
    built: tuple[Store, DemoSummary], entities: dict[str, EntityRecord]
) -> None:
    store, summary = built
    (train,) = [e for e in entities.values() if e.source_uri == summary.training_dataset_uri]
    down = reach(store, train.arn, forward=True)
    assert summary.shared_image_pair[0] in down
    assert summary.model_package_artifact_arn in down
    up = {entities[a].source_uri for a in reach(store, train.arn, forward=False)}
    assert any(uri and "/raw/" in uri for uri in up)
    assert any(uri and uri.endswith("/code/preprocess.py") for uri in up)


def test_the_endpoint_pair_connects_only_through_the_shared_image(
    built: tuple[Store, DemoSummary], entities: dict[str, EntityRecord]
) -> None:
    store, summary = built
    first, second = summary.shared_image_pair
    assert entities[first].entity_type == entities[second].entity_type == "Endpoint"
    assert second in reach(store, first, forward=None)
    for a, b in ((first, second), (second, first)):
        assert b not in reach(store, a, forward=True)
        assert b not in reach(store, a, forward=False)
    images = frozenset(a for a, e in entities.items() if e.entity_type == "Image")
    assert second not in reach(store, first, forward=None, blocked=images)
    (shared,) = [a for a in images if entities[a].source_uri == summary.shared_image_uri]
    assert second not in reach(store, first, forward=None, blocked=frozenset({shared}))


def test_scale_three_adds_two_generated_projects_with_distinct_names(
    tmp_path: Path, built: tuple[Store, DemoSummary]
) -> None:
    store = Store(tmp_path / "three.db")
    summary = build_demo(store, scale=3)
    assert summary.projects == built[1].projects + 2
    per_project = (summary.entities - built[1].entities) / 2
    assert 80 <= per_project <= 130
    assert 2 * per_project <= (summary.associations - built[1].associations) / 2
    records = all_entities(store)
    check_names_and_types(records)
    groups = [e.name for e in records if e.entity_type == "ModelGroup"]
    assert len(groups) == len(set(groups)) == summary.projects
    assert summary.shared_image_pair == built[1].shared_image_pair


def test_a_both_walk_from_a_generated_project_stays_inside_its_team(tmp_path: Path) -> None:
    store = Store(tmp_path / "teams.db")
    summary = build_demo(store, scale=21)  # showcase + two teams of ten projects
    by_name = {e.name: e.arn for e in all_entities(store) if e.entity_type == "Endpoint"}
    start = next(a for n, a in by_name.items() if n and n.startswith("p00001-"))
    reached = reach(store, start, forward=None)
    names = {n.split("-")[0] for n, a in by_name.items() if n and a in reached}
    assert names == {f"p{i:05d}" for i in range(1, 11)}
    assert summary.shared_image_pair[0] not in reached
    assert len(reached) < summary.entities / 2


def test_scale_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        build_demo(Store(None), scale=0)


def test_the_demo_command_prints_a_one_line_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.db"
    args = argparse.Namespace(
        db=str(db), scale=1, seed=0, region="eu-west-1", account_id="210987654321"
    )
    assert run_demo_command(args) == 0
    out = capsys.readouterr().out.strip()
    assert "\n" not in out
    assert re.fullmatch(rf"demo: \d+ entities, \d+ associations in [\d.]+s -> {db}", out)
    store = Store(db)
    arns = [e.arn for e in all_entities(store)]
    assert arns and all(":sagemaker:eu-west-1:210987654321:" in a for a in arns)
    store.close()
