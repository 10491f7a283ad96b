"""The seed page's SageMaker Python SDK v2 lineage examples, run against the demo server.

Expected entities come from the demo summary and from an independent walk over ListAssociations
(never from QueryLineage itself), so each answer is checked against the stored graph.
"""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from api_helpers import ACCOUNT, REGION, collect_pages

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")

import sagemaker
from sagemaker.lineage.action import Action, ModelPackageApprovalAction
from sagemaker.lineage.artifact import (
    Artifact,
    DatasetArtifact,
    ImageArtifact,
    ModelArtifact,
)
from sagemaker.lineage.context import Context, EndpointContext, ModelPackageGroup
from sagemaker.lineage.lineage_trial_component import LineageTrialComponent
from sagemaker.lineage.query import (
    LineageEntityEnum,
    LineageFilter,
    LineageQuery,
    LineageQueryDirectionEnum,
    LineageSourceEnum,
)

KIND_OF_RESOURCE = {
    "artifact": "Artifact",
    "context": "Context",
    "action": "Action",
    "experiment-trial-component": "TrialComponent",
}


@pytest.fixture(scope="module")
def sagemaker_session(demo_client: Any) -> sagemaker.Session:
    """An SDK session whose SageMaker client is our checked client; nothing reaches AWS."""
    boto_session = boto3.Session(
        region_name=REGION, aws_access_key_id="local", aws_secret_access_key="local"
    )
    return sagemaker.Session(
        boto_session=boto_session,
        sagemaker_client=demo_client,
        sagemaker_config={"SchemaVersion": "1.0"},
    )


class Reference:
    """Reachability computed with ListAssociations only: arn -> (LineageType, vertex Type)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @functools.cache  # noqa: B019 - one instance per module, the graph never changes
    def neighbours(self, arn: str, forward: bool) -> tuple[tuple[str, str | None], ...]:
        key = "SourceArn" if forward else "DestinationArn"
        items, _ = collect_pages(
            self.client.list_associations, "AssociationSummaries", 100, **{key: arn}
        )
        far = "Destination" if forward else "Source"
        return tuple((s[f"{far}Arn"], s.get(f"{far}Type")) for s in items)

    def reach(
        self, start: str, direction: str, max_depth: int = 10
    ) -> dict[str, tuple[str, str | None]]:
        found: dict[str, tuple[str, str | None]] = {}
        depth = {start: 0}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if depth[node] == max_depth:
                continue
            steps = {"Descendants": [True], "Ascendants": [False], "Both": [True, False]}
            for forward in steps[direction]:
                for other, entity_type in self.neighbours(node, forward):
                    if other not in depth:
                        depth[other] = depth[node] + 1
                        queue.append(other)
                        found[other] = _vertex(other, entity_type)
        return found

    def select(
        self, start: str, direction: str, lineage_type: str | None, types: set[str] | None
    ) -> set[str]:
        return {
            arn
            for arn, (kind, vtype) in self.reach(start, direction).items()
            if (lineage_type is None or kind == lineage_type) and (types is None or vtype in types)
        }


def _vertex(arn: str, entity_type: str | None) -> tuple[str, str | None]:
    kind = KIND_OF_RESOURCE[arn.split(":", 5)[5].split("/", 1)[0]]
    if kind == "TrialComponent" and entity_type:
        entity_type = entity_type.removeprefix("SageMaker")
    return kind, entity_type


@pytest.fixture(scope="module")
def ref(demo_client: Any) -> Reference:
    return Reference(demo_client)


@pytest.fixture(scope="module")
def endpoint_arn(demo_summary: Any) -> str:
    return str(demo_summary.endpoint_arns[0])


@pytest.fixture(scope="module")
def endpoint_context(sagemaker_session: Any, endpoint_arn: str) -> EndpointContext:
    contexts = Context.list(source_uri=endpoint_arn, sagemaker_session=sagemaker_session)
    context_name = list(contexts)[0].context_name  # noqa: RUF015 - as the seed writes it
    return EndpointContext.load(context_name=context_name, sagemaker_session=sagemaker_session)


@pytest.fixture(scope="module")
def model_artifact(sagemaker_session: Any, demo_summary: Any) -> ModelArtifact:
    summaries = Artifact.list(
        source_uri=demo_summary.model_package_arn, sagemaker_session=sagemaker_session
    )
    model_artifact_summary = list(summaries)[0]  # noqa: RUF015 - as the seed writes it
    return ModelArtifact.load(
        artifact_arn=model_artifact_summary.artifact_arn, sagemaker_session=sagemaker_session
    )


@pytest.fixture(scope="module")
def dataset_artifact(sagemaker_session: Any, demo_summary: Any) -> DatasetArtifact:
    summaries = Artifact.list(
        source_uri=demo_summary.training_dataset_uri, sagemaker_session=sagemaker_session
    )
    arn = list(summaries)[0].artifact_arn  # noqa: RUF015 - as the seed writes it
    return DatasetArtifact.load(artifact_arn=arn, sagemaker_session=sagemaker_session)


@pytest.fixture(scope="module")
def training_trial_component(sagemaker_session: Any, demo_client: Any, demo_summary: Any) -> Any:
    (summary,) = demo_client.list_trial_components(SourceArn=demo_summary.training_job_arn)[
        "TrialComponentSummaries"
    ]
    return LineageTrialComponent.load(
        trial_component_name=summary["TrialComponentName"], sagemaker_session=sagemaker_session
    )


def _uri_of(arn: str, client: Any) -> str:
    return str(client.describe_artifact(ArtifactArn=arn)["Source"]["SourceUri"])


def _context_uri(arn: str, client: Any) -> str:
    return str(client.describe_context(ContextName=arn)["Source"]["SourceUri"])


def _query(
    session: Any, start: str, direction: Any, entities: list[Any], sources: list[Any]
) -> Any:
    return LineageQuery(session).query(
        start_arns=[start],
        query_filter=LineageFilter(entities=entities, sources=sources),
        direction=direction,
        include_edges=False,
    )


# -- finding the starting points --


def test_seed_finds_the_endpoint_context_from_the_endpoint_arn(
    endpoint_context: EndpointContext, demo_summary: Any, endpoint_arn: str
) -> None:
    assert endpoint_context.context_arn == demo_summary.endpoint_context_arns[0]
    assert endpoint_context.context_type == "Endpoint"
    assert endpoint_context.source.source_uri == endpoint_arn


def test_seed_finds_the_model_artifact_from_the_model_package_arn(
    model_artifact: ModelArtifact, demo_summary: Any
) -> None:
    assert model_artifact.artifact_arn == demo_summary.model_package_artifact_arn
    assert model_artifact.artifact_type == "Model"


# -- LineageQuery / LineageFilter examples --


def test_seed_finds_every_dataset_behind_an_endpoint(
    sagemaker_session: Any,
    endpoint_context: EndpointContext,
    ref: Reference,
    demo_client: Any,
    demo_summary: Any,
) -> None:
    query_result = _query(
        sagemaker_session,
        endpoint_context.context_arn,
        LineageQueryDirectionEnum.ASCENDANTS,
        [LineageEntityEnum.ARTIFACT],
        [LineageSourceEnum.DATASET],
    )
    dataset_artifacts = [v.to_lineage_object().source.source_uri for v in query_result.vertices]
    expected = ref.select(endpoint_context.context_arn, "Ascendants", "Artifact", {"DataSet"})
    assert sorted(dataset_artifacts) == sorted(_uri_of(a, demo_client) for a in expected)
    assert demo_summary.training_dataset_uri in dataset_artifacts


def test_seed_finds_the_models_deployed_to_an_endpoint(
    sagemaker_session: Any,
    endpoint_context: EndpointContext,
    ref: Reference,
    demo_client: Any,
    demo_summary: Any,
) -> None:
    query_result = _query(
        sagemaker_session,
        endpoint_context.context_arn,
        LineageQueryDirectionEnum.ASCENDANTS,
        [LineageEntityEnum.ARTIFACT],
        [LineageSourceEnum.MODEL],
    )
    model_artifacts = [v.to_lineage_object().source.source_uri for v in query_result.vertices]
    expected = ref.select(endpoint_context.context_arn, "Ascendants", "Artifact", {"Model"})
    assert sorted(model_artifacts) == sorted(_uri_of(a, demo_client) for a in expected)
    assert demo_summary.model_package_arn in model_artifacts
    assert any(uri.endswith("model.tar.gz") for uri in model_artifacts)


def test_seed_finds_the_training_jobs_behind_an_endpoint(
    sagemaker_session: Any,
    endpoint_context: EndpointContext,
    ref: Reference,
    demo_client: Any,
    demo_summary: Any,
) -> None:
    query_result = _query(
        sagemaker_session,
        endpoint_context.context_arn,
        LineageQueryDirectionEnum.ASCENDANTS,
        [LineageEntityEnum.TRIAL_COMPONENT],
        [LineageSourceEnum.TRAINING_JOB],
    )
    trial_components = [vertex.arn for vertex in query_result.vertices]
    expected = ref.select(
        endpoint_context.context_arn, "Ascendants", "TrialComponent", {"TrainingJob"}
    )
    assert sorted(trial_components) == sorted(expected)
    jobs = {
        demo_client.describe_trial_component(TrialComponentName=arn)["Source"]["SourceArn"]
        for arn in trial_components
    }
    assert demo_summary.training_job_arn in jobs


def test_seed_changes_focus_to_the_model_for_endpoints_and_datasets(
    sagemaker_session: Any, model_artifact: ModelArtifact, ref: Reference, demo_client: Any
) -> None:
    entities = [LineageEntityEnum.ARTIFACT]
    sources = [LineageSourceEnum.ENDPOINT, LineageSourceEnum.DATASET]
    start = model_artifact.artifact_arn
    down = _query(
        sagemaker_session, start, LineageQueryDirectionEnum.DESCENDANTS, entities, sources
    )
    up = _query(sagemaker_session, start, LineageQueryDirectionEnum.ASCENDANTS, entities, sources)
    associations = [v.to_lineage_object().source.source_uri for v in down.vertices + up.vertices]
    expected = ref.select(start, "Descendants", "Artifact", {"Endpoint", "DataSet"}) | ref.select(
        start, "Ascendants", "Artifact", {"Endpoint", "DataSet"}
    )
    assert sorted(associations) == sorted(_uri_of(a, demo_client) for a in expected)
    assert associations


def test_seed_both_direction_joins_two_endpoints_through_a_shared_image(
    sagemaker_session: Any, demo_summary: Any, demo_client: Any
) -> None:
    first, second = demo_summary.shared_image_pair
    only_up = _query(
        sagemaker_session,
        first,
        LineageQueryDirectionEnum.ASCENDANTS,
        [LineageEntityEnum.CONTEXT],
        [LineageSourceEnum.ENDPOINT],
    )
    only_down = _query(
        sagemaker_session,
        first,
        LineageQueryDirectionEnum.DESCENDANTS,
        [LineageEntityEnum.CONTEXT],
        [LineageSourceEnum.ENDPOINT],
    )
    assert second not in {v.arn for v in only_up.vertices + only_down.vertices}
    both = _query(
        sagemaker_session,
        first,
        LineageQueryDirectionEnum.BOTH,
        [LineageEntityEnum.CONTEXT],
        [LineageSourceEnum.ENDPOINT],
    )
    endpoints = [v.to_lineage_object().source.source_uri for v in both.vertices]
    assert _context_uri(second, demo_client) in endpoints


def test_seed_both_query_from_the_model_runs_as_written(
    sagemaker_session: Any, model_artifact: ModelArtifact, ref: Reference, demo_client: Any
) -> None:
    query_result = _query(
        sagemaker_session,
        model_artifact.artifact_arn,
        LineageQueryDirectionEnum.BOTH,
        [LineageEntityEnum.ARTIFACT],
        [LineageSourceEnum.ENDPOINT, LineageSourceEnum.DATASET],
    )
    associations = [v.to_lineage_object().source.source_uri for v in query_result.vertices]
    expected = ref.select(model_artifact.artifact_arn, "Both", "Artifact", {"Endpoint", "DataSet"})
    assert len(expected) <= 50, "the SDK reads one page only"
    assert sorted(associations) == sorted(_uri_of(a, demo_client) for a in expected)


def test_seed_direction_example_separates_ascendants_from_descendants(
    sagemaker_session: Any, model_artifact: ModelArtifact, ref: Reference
) -> None:
    sources = [
        LineageSourceEnum.ENDPOINT,
        LineageSourceEnum.MODEL,
        LineageSourceEnum.DATASET,
        LineageSourceEnum.TRAINING_JOB,
    ]
    types = {"Endpoint", "Model", "DataSet", "TrainingJob"}
    start = model_artifact.artifact_arn
    for direction, name in (
        (LineageQueryDirectionEnum.ASCENDANTS, "Ascendants"),
        (LineageQueryDirectionEnum.DESCENDANTS, "Descendants"),
    ):
        result = _query(sagemaker_session, start, direction, [LineageEntityEnum.ARTIFACT], sources)
        found = []
        for vertex in result.vertices:
            try:
                found.append(vertex.to_lineage_object().source.source_uri)
            except Exception:
                found.append(vertex.arn)
        assert {v.arn for v in result.vertices} == ref.select(start, name, "Artifact", types)
        assert len(found) == len(result.vertices)
        assert start not in {v.arn for v in result.vertices}


# -- SDK helper functions --


def test_endpoint_context_dataset_artifacts_lists_the_endpoints_datasets(
    endpoint_context: EndpointContext, ref: Reference, demo_summary: Any
) -> None:
    datasets = [d.source.source_uri for d in endpoint_context.dataset_artifacts()]
    expected = ref.select(endpoint_context.context_arn, "Ascendants", "Artifact", {"DataSet"})
    assert len(datasets) == len(expected) == len(set(datasets))
    assert demo_summary.training_dataset_uri in datasets
    assert all(isinstance(d, DatasetArtifact) for d in endpoint_context.dataset_artifacts())


def test_endpoint_context_training_job_arns_are_the_jobs_behind_it(
    endpoint_context: EndpointContext, ref: Reference, demo_client: Any, demo_summary: Any
) -> None:
    training_jobs = endpoint_context.training_job_arns()
    expected = {
        demo_client.describe_trial_component(TrialComponentName=tc)["Source"]["SourceArn"]
        for tc in ref.select(
            endpoint_context.context_arn, "Ascendants", "TrialComponent", {"TrainingJob"}
        )
    }
    assert set(training_jobs) == expected
    assert demo_summary.training_job_arn in training_jobs


def test_endpoint_context_pipeline_execution_arn_comes_from_the_training_job_tag(
    endpoint_context: EndpointContext, demo_client: Any, demo_summary: Any
) -> None:
    pipeline_execution = endpoint_context.pipeline_execution_arn()
    tagged = {
        tag["Value"]
        for job in endpoint_context.training_job_arns()
        for tag in demo_client.list_tags(ResourceArn=job)["Tags"]
        if tag["Key"] == "sagemaker:pipeline-execution-arn"
    }
    assert pipeline_execution in tagged
    assert demo_summary.pipeline_execution_arn in tagged


@pytest.mark.parametrize(
    ("helper", "job_type"),
    [
        ("processing_jobs", "ProcessingJob"),
        ("transform_jobs", "TransformJob"),
        ("trial_components", None),
    ],
)
def test_endpoint_context_job_helpers_find_the_trial_components_behind_it(
    endpoint_context: EndpointContext, ref: Reference, helper: str, job_type: str | None
) -> None:
    found = getattr(endpoint_context, helper)()
    expected = ref.select(
        endpoint_context.context_arn,
        "Ascendants",
        "TrialComponent",
        {job_type} if job_type else None,
    )
    assert sorted(tc.trial_component_arn for tc in found) == sorted(expected)
    assert all(isinstance(tc, LineageTrialComponent) for tc in found)
    if job_type != "TransformJob":
        assert found, "the demo endpoint has processing and training jobs behind it"


def test_endpoint_context_models_v2_follows_deployments_downstream(
    endpoint_context: EndpointContext, ref: Reference
) -> None:
    # models_v2 looks for ModelDeployment actions *below* the endpoint context, then models
    # below them; with the spec's artifact -> action -> endpoint direction both sets are empty.
    actions = ref.select(endpoint_context.context_arn, "Descendants", "Action", {"ModelDeployment"})
    expected = {m for a in actions for m in ref.select(a, "Descendants", "Artifact", {"Model"})}
    assert {m.artifact_arn for m in endpoint_context.models_v2()} == expected


def test_context_actions_lists_the_actions_upstream_of_an_endpoint(
    endpoint_context: EndpointContext, ref: Reference
) -> None:
    actions = endpoint_context.actions(direction=LineageQueryDirectionEnum.ASCENDANTS)
    assert {a.action_arn for a in actions} == ref.select(
        endpoint_context.context_arn, "Ascendants", "Action", None
    )
    assert {a.action_type for a in actions} >= {"ModelDeployment", "Approval"}


def test_model_artifact_helpers_find_its_datasets_and_endpoints(
    model_artifact: ModelArtifact, ref: Reference, demo_summary: Any
) -> None:
    datasets = [d.source.source_uri for d in model_artifact.dataset_artifacts()]
    endpoints = [e.source.source_uri for e in model_artifact.endpoint_contexts()]
    start = model_artifact.artifact_arn
    assert len(datasets) == len(ref.select(start, "Ascendants", "Artifact", {"DataSet"}))
    assert demo_summary.training_dataset_uri in datasets
    expected_contexts = ref.select(start, "Descendants", "Context", {"Endpoint"})
    assert {e.context_arn for e in model_artifact.endpoint_contexts()} == expected_contexts
    assert demo_summary.endpoint_arns[0] in endpoints


def test_dataset_artifact_helpers_find_endpoints_and_neighbouring_datasets(
    dataset_artifact: DatasetArtifact, ref: Reference, demo_summary: Any
) -> None:
    start = dataset_artifact.artifact_arn
    endpoints = [e.source.source_uri for e in dataset_artifact.endpoint_contexts()]
    assert {e.context_arn for e in dataset_artifact.endpoint_contexts()} == ref.select(
        start, "Descendants", "Context", {"Endpoint"}
    )
    assert demo_summary.endpoint_arns[0] in endpoints
    upstream = dataset_artifact.upstream_datasets()
    downstream = dataset_artifact.downstream_datasets()
    assert {d.artifact_arn for d in upstream} == ref.select(
        start, "Ascendants", "Artifact", {"DataSet"}
    )
    assert {d.artifact_arn for d in downstream} == ref.select(
        start, "Descendants", "Artifact", {"DataSet"}
    )
    assert upstream, "the training set is a processing job's output"


def test_artifact_s3_uri_artifacts_lists_the_artifacts_for_a_uri(
    dataset_artifact: DatasetArtifact, demo_summary: Any
) -> None:
    response = dataset_artifact.s3_uri_artifacts(demo_summary.training_dataset_uri)
    arns = [a["ArtifactArn"] for a in response["ArtifactSummaries"]]
    assert arns == [dataset_artifact.artifact_arn]


@pytest.mark.parametrize(
    ("direction", "name"),
    [
        (LineageQueryDirectionEnum.ASCENDANTS, "Ascendants"),
        (LineageQueryDirectionEnum.DESCENDANTS, "Descendants"),
    ],
)
def test_image_artifact_datasets_follow_the_requested_direction(
    sagemaker_session: Any, demo_summary: Any, ref: Reference, direction: Any, name: str
) -> None:
    (summary,) = Artifact.list(
        source_uri=demo_summary.shared_image_uri, sagemaker_session=sagemaker_session
    )
    image = ImageArtifact.load(
        artifact_arn=summary.artifact_arn, sagemaker_session=sagemaker_session
    )
    expected = ref.select(image.artifact_arn, name, "Artifact", {"DataSet"})
    assert len(expected) <= 50
    assert {d.artifact_arn for d in image.datasets(direction=direction)} == expected


def test_image_artifact_datasets_both_ways_includes_the_training_sets(
    sagemaker_session: Any, demo_summary: Any
) -> None:
    (summary,) = Artifact.list(
        source_uri=demo_summary.shared_image_uri, sagemaker_session=sagemaker_session
    )
    image = ImageArtifact.load(
        artifact_arn=summary.artifact_arn, sagemaker_session=sagemaker_session
    )
    uris = {d.source.source_uri for d in image.datasets(direction=LineageQueryDirectionEnum.BOTH)}
    assert demo_summary.training_dataset_uri in uris


def test_action_artifacts_lists_the_artifacts_around_a_deployment(
    sagemaker_session: Any, endpoint_context: EndpointContext, ref: Reference
) -> None:
    (deployment, *_) = sorted(
        ref.select(endpoint_context.context_arn, "Ascendants", "Action", {"ModelDeployment"})
    )
    action = Action.load(
        action_name=deployment.split("/", 1)[1], sagemaker_session=sagemaker_session
    )
    upstream = action.artifacts(direction=LineageQueryDirectionEnum.ASCENDANTS)
    assert {a.artifact_arn for a in upstream} == ref.select(
        deployment, "Ascendants", "Artifact", None
    )
    both = action.artifacts()
    assert {a.artifact_arn for a in upstream} <= {a.artifact_arn for a in both} or len(both) == 50


def _approval_action(sagemaker_session: Any, demo_summary: Any) -> ModelPackageApprovalAction:
    (summary,) = [
        a
        for a in Action.list(
            source_uri=demo_summary.model_package_arn, sagemaker_session=sagemaker_session
        )
        if a.action_type == "Approval"
    ]
    return ModelPackageApprovalAction.load(
        action_name=summary.action_name, sagemaker_session=sagemaker_session
    )


def test_approval_action_finds_upstream_datasets_and_downstream_endpoints(
    sagemaker_session: Any, demo_summary: Any, ref: Reference
) -> None:
    approval = _approval_action(sagemaker_session, demo_summary)
    datasets = approval.datasets()
    assert {d.artifact_arn for d in datasets} == ref.select(
        approval.action_arn, "Ascendants", "Artifact", {"DataSet"}
    )
    endpoints = approval.endpoints()
    assert {e.context_arn for e in endpoints} == ref.select(
        approval.action_arn, "Descendants", "Context", {"Endpoint"}
    )
    assert demo_summary.endpoint_context_arns[0] in {e.context_arn for e in endpoints}


def test_lineage_trial_component_helpers_find_datasets_models_and_pipeline(
    training_trial_component: LineageTrialComponent, ref: Reference, demo_summary: Any
) -> None:
    start = training_trial_component.trial_component_arn
    datasets = training_trial_component.dataset_artifacts()
    assert {d.artifact_arn for d in datasets} == ref.select(
        start, "Ascendants", "Artifact", {"DataSet"}
    )
    assert demo_summary.training_dataset_uri in {d.source.source_uri for d in datasets}
    models = training_trial_component.models()
    assert {m.artifact_arn for m in models} == ref.select(
        start, "Descendants", "Artifact", {"Model"}
    )
    assert demo_summary.model_package_artifact_arn in {m.artifact_arn for m in models}
    assert training_trial_component.pipeline_execution_arn() == demo_summary.pipeline_execution_arn


def test_model_package_group_pipeline_execution_arn_is_the_context_property(
    sagemaker_session: Any, demo_summary: Any, demo_client: Any
) -> None:
    group_name = demo_summary.model_package_arn.split("/")[1]
    group_arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package-group/{group_name}"
    (summary,) = Context.list(source_uri=group_arn, sagemaker_session=sagemaker_session)
    group = ModelPackageGroup.load(
        context_name=summary.context_name, sagemaker_session=sagemaker_session
    )
    described = demo_client.describe_context(ContextName=summary.context_name)
    assert group.context_type == "ModelGroup"
    assert group.pipeline_execution_arn() == described["Properties"]["PipelineExecutionArn"]
    assert group.pipeline_execution_arn().startswith(
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/"
    )


# -- the boto3 snippet for the visualizer --


def test_boto3_query_for_the_visualizer_returns_edges_between_returned_vertices(
    demo_client: Any, endpoint_context: EndpointContext, ref: Reference
) -> None:
    sm_client = demo_client
    for start in (endpoint_context.context_arn,):
        query_response = sm_client.query_lineage(
            StartArns=[start], Direction="Ascendants", IncludeEdges=True
        )
        vertices = {v["Arn"] for v in query_response["Vertices"]}
        assert start in vertices
        for edge in query_response["Edges"]:
            assert edge["SourceArn"] in vertices and edge["DestinationArn"] in vertices
        assert vertices - {start} <= set(ref.reach(start, "Ascendants"))
        assert query_response["Edges"]


def test_boto3_query_for_the_model_visualization_has_consistent_edges(
    demo_client: Any, model_artifact: ModelArtifact
) -> None:
    query_response = demo_client.query_lineage(
        StartArns=[model_artifact.artifact_arn], Direction="Ascendants", IncludeEdges=True
    )
    vertices = {v["Arn"] for v in query_response["Vertices"]}
    assert all(
        e["SourceArn"] in vertices and e["DestinationArn"] in vertices
        for e in query_response["Edges"]
    )


# -- the seed code unchanged, on a default SDK session from the environment --


@pytest.fixture
def aws_env_for_local_service(
    monkeypatch: pytest.MonkeyPatch, demo_service: Any, tmp_path: Any
) -> Iterator[None]:
    """Point an unconfigured SDK session at the local service the way the README says."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER", demo_service.url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    yield


def test_seed_code_runs_unchanged_on_a_default_session(
    aws_env_for_local_service: None, demo_summary: Any
) -> None:
    endpoint_arn = demo_summary.endpoint_arns[0]
    sagemaker_session = sagemaker.Session(sagemaker_config={"SchemaVersion": "1.0"})
    contexts = Context.list(source_uri=endpoint_arn)
    context_name = list(contexts)[0].context_name  # noqa: RUF015 - as the seed writes it
    endpoint_context = EndpointContext.load(context_name=context_name)
    query_filter = LineageFilter(
        entities=[LineageEntityEnum.ARTIFACT], sources=[LineageSourceEnum.DATASET]
    )
    query_result = LineageQuery(sagemaker_session).query(
        start_arns=[endpoint_context.context_arn],
        query_filter=query_filter,
        direction=LineageQueryDirectionEnum.ASCENDANTS,
        include_edges=False,
    )
    dataset_artifacts = []
    for vertex in query_result.vertices:
        dataset_artifacts.append(vertex.to_lineage_object().source.source_uri)
    assert demo_summary.training_dataset_uri in dataset_artifacts
