"""QueryLineage on small hand-built graphs (no HTTP): the engine and the reference walk."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from functools import partial

import pytest

from viz_app.core.engine import Question
from viz_app.core.lineage import (
    ASCENDANTS,
    BOTH,
    DESCENDANTS,
    LineageResult,
    QueryFilters,
    query_lineage,
)
from viz_app.core.model import (
    ACTION,
    ARTIFACT,
    CONTEXT,
    TRIAL_COMPONENT,
    AssociationRecord,
    EntityRecord,
    build_arn,
)
from viz_app.core.store import Store


def arn(resource: str, name: str) -> str:
    return build_arn("us-east-1", "123456789012", resource, name)


DATA = arn("artifact", "d" * 32)
IMAGE = arn("artifact", "1" * 32)
JOB_A = arn("experiment-trial-component", "a-aws-training-job")
JOB_B = arn("experiment-trial-component", "b-aws-training-job")
MODEL_A = arn("artifact", "a" * 32)
MODEL_B = arn("artifact", "b" * 32)
DEPLOY_A = arn("action", "deploy-a")
ENDPOINT_A = arn("context", "endpoint-a")
DATA_B = arn("artifact", "e" * 32)


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store()
    entities = [
        EntityRecord(
            DATA,
            ARTIFACT,
            None,
            "DataSet",
            "s3://b/a.csv",
            10,
            10,
            {"Properties": {"stage": "train"}},
        ),
        EntityRecord(DATA_B, ARTIFACT, None, "DataSet", "s3://b/b.csv", 11, 11),
        EntityRecord(IMAGE, ARTIFACT, None, "Image", "ecr/xgb:1", 12, 12),
        EntityRecord(
            JOB_A, TRIAL_COMPONENT, "a-aws-training-job", "SageMakerTrainingJob", "job-a", 20, 20
        ),
        EntityRecord(
            JOB_B, TRIAL_COMPONENT, "b-aws-training-job", "SageMakerTrainingJob", "job-b", 21, 21
        ),
        EntityRecord(MODEL_A, ARTIFACT, None, "Model", "s3://b/a/model.tar.gz", 30, 30),
        EntityRecord(MODEL_B, ARTIFACT, None, "Model", "s3://b/b/model.tar.gz", 31, 31),
        EntityRecord(DEPLOY_A, ACTION, "deploy-a", "ModelDeployment", "x", 40, 40),
        EntityRecord(ENDPOINT_A, CONTEXT, "endpoint-a", "Endpoint", "ep", 50, 50),
    ]
    edges = [
        (DATA, JOB_A, "ContributedTo"),
        (IMAGE, JOB_A, "ContributedTo"),
        (JOB_A, MODEL_A, "Produced"),
        (MODEL_A, DEPLOY_A, "ContributedTo"),
        (DEPLOY_A, ENDPOINT_A, "AssociatedWith"),
        (DATA_B, JOB_B, "ContributedTo"),
        (IMAGE, JOB_B, "ContributedTo"),
        (JOB_B, MODEL_B, "Produced"),
    ]
    s.bulk_insert(entities, [AssociationRecord(a, b, t, 60) for a, b, t in edges])
    yield s
    s.close()


Ask = Callable[..., LineageResult]


@pytest.fixture(params=["engine", "reference"])
def ask(request: pytest.FixtureRequest, store: Store) -> Ask:
    """QueryLineage asked of the engine (index, cache) and of the reference SQL walk alike."""
    if request.param == "engine":
        return store.engine.query_lineage
    return partial(query_lineage, store)


def arns(result: object) -> set[str]:
    return {v.arn for v in result.vertices}  # type: ignore[attr-defined]


def test_ascendants_of_an_endpoint_reach_its_datasets_through_every_hop(ask: Ask) -> None:
    result = ask(ENDPOINT_A, direction=ASCENDANTS)
    assert arns(result) == {DEPLOY_A, MODEL_A, JOB_A, DATA, IMAGE}


def test_the_start_is_not_its_own_ascendant_without_edges(ask: Ask) -> None:
    assert ENDPOINT_A not in arns(ask(ENDPOINT_A, direction=ASCENDANTS))


def test_descendants_of_a_model_are_the_deployment_and_endpoint(ask: Ask) -> None:
    result = ask(MODEL_A, direction=DESCENDANTS)
    assert arns(result) == {DEPLOY_A, ENDPOINT_A}


def test_both_reaches_a_sibling_model_through_the_shared_image(ask: Ask) -> None:
    result = ask(MODEL_A, direction=BOTH)
    assert MODEL_B in arns(result)
    assert DATA_B in arns(result)


def test_ascendants_then_descendants_union_does_not_reach_the_sibling(ask: Ask) -> None:
    up = arns(ask(MODEL_A, direction=ASCENDANTS))
    down = arns(ask(MODEL_A, direction=DESCENDANTS))
    assert MODEL_B not in up | down


def test_depth_bounds_the_number_of_hops(ask: Ask) -> None:
    assert arns(ask(ENDPOINT_A, direction=ASCENDANTS, max_depth=2)) == {
        DEPLOY_A,
        MODEL_A,
    }


def test_filters_select_among_reached_vertices_without_pruning_the_walk(ask: Ask) -> None:
    filters = QueryFilters(types=frozenset({"DataSet"}), lineage_types=frozenset({ARTIFACT}))
    result = ask(ENDPOINT_A, direction=ASCENDANTS, filters=filters)
    assert arns(result) == {DATA}


def test_trial_component_vertex_type_drops_the_sagemaker_prefix(ask: Ask) -> None:
    filters = QueryFilters(types=frozenset({"TrainingJob"}))
    result = ask(ENDPOINT_A, direction=ASCENDANTS, filters=filters)
    assert [(v.arn, v.type, v.lineage_type) for v in result.vertices] == [
        (JOB_A, "TrainingJob", TRIAL_COMPONENT)
    ]


def test_include_edges_adds_the_start_and_the_path_to_each_match(ask: Ask) -> None:
    filters = QueryFilters(types=frozenset({"DataSet"}))
    result = ask(ENDPOINT_A, direction=ASCENDANTS, filters=filters, include_edges=True)
    assert arns(result) == {ENDPOINT_A, DEPLOY_A, MODEL_A, JOB_A, DATA}
    assert result.vertices[0].arn == ENDPOINT_A
    assert {(s, d) for s, d, _ in result.edges} == {
        (DATA, JOB_A),
        (JOB_A, MODEL_A),
        (MODEL_A, DEPLOY_A),
        (DEPLOY_A, ENDPOINT_A),
    }


def test_every_returned_edge_joins_two_returned_vertices(ask: Ask) -> None:
    result = ask(MODEL_A, direction=BOTH, include_edges=True)
    returned = arns(result)
    assert result.edges
    assert all(s in returned and d in returned for s, d, _ in result.edges)


def test_property_filter_matches_any_given_pair(ask: Ask) -> None:
    filters = QueryFilters(properties=(("stage", "train"), ("stage", "other")))
    assert arns(ask(ENDPOINT_A, direction=ASCENDANTS, filters=filters)) == {DATA}


def test_time_bounds_are_exclusive(ask: Ask) -> None:
    filters = QueryFilters(created_after=30, created_before=50)
    assert arns(ask(ENDPOINT_A, direction=ASCENDANTS, filters=filters)) == {DEPLOY_A}


def test_a_repeated_query_is_answered_from_the_cache_until_the_graph_changes(
    store: Store,
) -> None:
    ask = store.engine.query_lineage
    first = ask(MODEL_A, direction=BOTH, include_edges=True)
    again = ask(MODEL_A, direction=BOTH, include_edges=True)
    assert again is first
    store.add_association(AssociationRecord(DATA_B, MODEL_A, "ContributedTo", 70))
    changed = ask(MODEL_A, direction=BOTH, include_edges=True)
    assert changed is not first
    assert (DATA_B, MODEL_A, "ContributedTo") in changed.edges


@pytest.mark.parametrize("size", [1, 2, 3, 50])
def test_pages_cover_the_answer_once_each_edge_on_the_page_of_its_later_end(
    store: Store, size: int
) -> None:
    question = Question(MODEL_A, BOTH, 10, QueryFilters(), True)
    whole = store.engine.answer(question)
    position = {v.arn: i for i, v in enumerate(whole.vertices)}
    vertices, edges = [], []
    offset: int | None = 0
    while offset is not None:
        page = store.engine.page(question, offset, size)
        assert len(page.vertices) <= size
        later = {max(position[s], position[d]) for s, d, _ in page.edges}
        assert later <= set(range(offset, offset + len(page.vertices)))
        assert page.edges == sorted(page.edges)
        vertices += page.vertices
        edges += page.edges
        offset = page.next_offset
    assert vertices == whole.vertices
    assert sorted(edges) == whole.edges
    assert len(whole.edges) > 3  # the pages had edges to spread


def test_a_page_past_the_end_is_empty_and_last(store: Store) -> None:
    question = Question(MODEL_A, BOTH, 10, QueryFilters(), True)
    page = store.engine.page(question, 100, 5)
    assert (page.vertices, page.edges, page.next_offset) == ([], [], None)


def test_equal_filters_hash_alike_and_a_pickle_carries_no_cached_hash() -> None:
    a = QueryFilters(types=frozenset({"Model"}), created_after=1.0)
    b = QueryFilters(types=frozenset({"Model"}), created_after=1.0)
    assert hash(a) == hash(b) and a == b and {a: 1}[b] == 1
    assert hash(a) != hash(QueryFilters(types=frozenset({"Model"})))
    copy = pickle.loads(pickle.dumps(a))
    assert "_hash" not in copy.__dict__ and copy == a and hash(copy) == hash(a)


@pytest.mark.parametrize(
    "filters",
    [
        QueryFilters(),
        QueryFilters(lineage_types=frozenset({ARTIFACT})),
        QueryFilters(types=frozenset({"Model", None})),  # type: ignore[arg-type]
        QueryFilters(created_before=2.0, created_after=0.0),
        QueryFilters(modified_before=3.0, modified_after=1.0, types=frozenset({"DataSet"})),
        QueryFilters(created_before=float("nan")),
    ],
)
def test_select_keeps_exactly_the_vertices_matches_fields_accepts(filters: QueryFilters) -> None:
    kinds = [ARTIFACT, CONTEXT, ARTIFACT, ACTION, ARTIFACT, TRIAL_COMPONENT]
    types: list[str | None] = ["Model", "Endpoint", "DataSet", None, "Model", "TrainingJob"]
    created = [0.0, 1.0, 2.0, 3.0, float("nan"), 1.5]
    modified = [3.0, 2.0, 1.0, 0.0, 2.0, float("nan")]
    ids = [5, 0, 3, 1, 4, 2]
    expected = [
        v for v in ids if filters.matches_fields(kinds[v], types[v], created[v], modified[v])
    ]
    assert filters.select(ids, kinds, types, created, modified) == expected
