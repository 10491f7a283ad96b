"""QueryLineage rules on small hand-built graphs (built with boto3 calls over HTTP)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from api_helpers import (
    ARN_PREFIX,
    associate,
    create_action,
    create_artifact,
    create_context,
    create_trial_component,
    edge_pairs,
    make_client,
    query,
    raises_code,
    vertex_arns,
)

from viz_app.core.model import ARTIFACT, TRIAL_COMPONENT, AssociationRecord, EntityRecord


def _training_tc(service: Any, job: str) -> str:
    """A training job's trial component with Source set, as SageMaker creates it (the API
    cannot set Source, so it goes straight into the store)."""
    job_arn = f"{ARN_PREFIX}:training-job/{job}"
    name = f"{job}-aws-training-job"
    arn = f"{ARN_PREFIX}:experiment-trial-component/{name}"
    doc = {"Source": {"SourceArn": job_arn, "SourceType": "SageMakerTrainingJob"}}
    service.store.bulk_insert(
        [EntityRecord(arn, TRIAL_COMPONENT, name, "SageMakerTrainingJob", job_arn, 1.0, 1.0, doc)]
    )
    return arn


@pytest.fixture
def graph(service: Any, client: Any) -> dict[str, str]:
    """Two deployments sharing one image:

    data ─ContributedTo→ train ─Produced→ model ─ContributedTo→ deploy ─AssociatedWith→ endpoint
    image ─ContributedTo→ train;  image ─ContributedTo→ model2 ─→ deploy2 ─→ endpoint2
    """
    g = {
        "data": create_artifact(client, "s3://bucket/train.csv", "DataSet"),
        "image": create_artifact(client, "123.dkr.ecr.us-east-1.amazonaws.com/xgb:1", "Image"),
        "train": _training_tc(service, "train-1"),
        "model": create_artifact(client, "s3://bucket/out/model.tar.gz", "Model"),
        "deploy": create_action(client, "deploy-1", "ModelDeployment"),
        "endpoint": create_context(client, "endpoint-1", "Endpoint"),
        "model2": create_artifact(client, "s3://bucket/out2/model.tar.gz", "Model"),
        "deploy2": create_action(client, "deploy-2", "ModelDeployment"),
        "endpoint2": create_context(client, "endpoint-2", "Endpoint"),
    }
    associate(client, g["data"], g["train"], "ContributedTo")
    associate(client, g["image"], g["train"], "ContributedTo")
    associate(client, g["train"], g["model"], "Produced")
    associate(client, g["model"], g["deploy"], "ContributedTo")
    associate(client, g["deploy"], g["endpoint"], "AssociatedWith")
    associate(client, g["image"], g["model2"], "ContributedTo")
    associate(client, g["model2"], g["deploy2"], "ContributedTo")
    associate(client, g["deploy2"], g["endpoint2"], "AssociatedWith")
    return g


def names(g: dict[str, str], arns: set[str]) -> set[str]:
    by_arn = {arn: name for name, arn in g.items()}
    return {by_arn.get(arn, arn) for arn in arns}


def test_query_lineage_descendants_follow_edges_forward(client: Any, graph: dict[str, str]) -> None:
    response = query(client, graph["model"], Direction="Descendants")
    assert names(graph, vertex_arns(response)) == {"deploy", "endpoint"}
    assert response["Edges"] == []


def test_query_lineage_ascendants_follow_edges_backward(client: Any, graph: dict[str, str]) -> None:
    response = query(client, graph["model"], Direction="Ascendants")
    assert names(graph, vertex_arns(response)) == {"train", "data", "image"}


def test_query_lineage_both_reaches_siblings_through_shared_image(
    client: Any, graph: dict[str, str]
) -> None:
    response = query(client, graph["endpoint"], Direction="Both")
    assert names(graph, vertex_arns(response)) == set(graph) - {"endpoint"}
    up = vertex_arns(query(client, graph["endpoint"], Direction="Ascendants"))
    down = vertex_arns(query(client, graph["endpoint"], Direction="Descendants"))
    assert graph["endpoint2"] not in up | down


def test_query_lineage_defaults_to_both_without_edges(client: Any, graph: dict[str, str]) -> None:
    default = client.query_lineage(StartArns=[graph["model"]])
    both = query(client, graph["model"], Direction="Both", IncludeEdges=False, MaxDepth=10)
    assert vertex_arns(default) == vertex_arns(both)
    assert graph["endpoint2"] in vertex_arns(default)
    assert default["Edges"] == []
    assert "NextToken" not in default


def test_query_lineage_counts_depth_in_associations(client: Any, graph: dict[str, str]) -> None:
    def reached(depth: int) -> set[str]:
        return names(graph, vertex_arns(query(client, graph["data"], MaxDepth=depth)))

    assert reached(1) == {"train"}
    assert reached(2) == {"train", "image", "model"}
    assert reached(3) == {"train", "image", "model", "deploy", "model2"}
    one_down = query(client, graph["data"], Direction="Descendants", MaxDepth=1)
    assert names(graph, vertex_arns(one_down)) == {"train"}


def test_query_lineage_max_depth_defaults_to_ten(service: Any, client: Any) -> None:
    uris = [f"s3://bucket/chain/{i}" for i in range(13)]
    arns = [create_artifact(client, uri) for uri in uris]
    for source, destination in itertools.pairwise(arns):
        associate(client, source, destination, "DerivedFrom")
    response = query(client, arns[0], Direction="Descendants")
    assert vertex_arns(response) == set(arns[1:11])
    assert vertex_arns(query(client, arns[0], Direction="Descendants", MaxDepth=10)) == set(
        arns[1:11]
    )


def test_query_lineage_filters_select_without_pruning_the_walk(
    client: Any, graph: dict[str, str]
) -> None:
    response = query(
        client,
        graph["endpoint"],
        Direction="Ascendants",
        Filters={"Types": ["DataSet"], "LineageTypes": ["Artifact"]},
    )
    assert names(graph, vertex_arns(response)) == {"data"}


def test_query_lineage_types_and_lineage_types_are_each_ored_and_both_must_hold(
    client: Any, graph: dict[str, str]
) -> None:
    def found(filters: dict[str, Any]) -> set[str]:
        return names(graph, vertex_arns(query(client, graph["endpoint"], Filters=filters)))

    assert found({"Types": ["DataSet", "Image"]}) == {"data", "image"}
    assert found({"LineageTypes": ["Action", "Context"]}) == {"deploy", "deploy2", "endpoint2"}
    assert found({"Types": ["Model", "Endpoint"], "LineageTypes": ["Context"]}) == {"endpoint2"}
    assert found({"Types": ["TrainingJob"]}) == {"train"}
    assert found({"Types": ["DataSet"], "LineageTypes": ["Action"]}) == set()


def test_query_lineage_property_filter_matches_any_pair(client: Any) -> None:
    start = create_artifact(client, "s3://bucket/p/start")
    a = create_artifact(client, "s3://bucket/p/a", Properties={"stage": "prod", "team": "x"})
    b = create_artifact(client, "s3://bucket/p/b", Properties={"team": "y"})
    c = create_artifact(client, "s3://bucket/p/c", Properties={"stage": "dev"})
    for arn in (a, b, c):
        associate(client, start, arn)
    got = query(client, start, Filters={"Properties": {"stage": "prod", "team": "y"}})
    assert vertex_arns(got) == {a, b}
    assert vertex_arns(query(client, start, Filters={"Properties": {"stage": "qa"}})) == set()


def test_query_lineage_time_filters_are_exclusive(service: Any, client: Any) -> None:
    uris = [f"s3://bucket/t/{i}" for i in range(4)]
    arns = [f"{ARN_PREFIX}:artifact/{'%032x' % (i + 1)}" for i in range(4)]
    times = [(1000.0, 5000.0), (2000.0, 6000.0), (3000.0, 7000.0), (4000.0, 8000.0)]
    service.store.bulk_insert(
        [
            EntityRecord(arn, ARTIFACT, None, "DataSet", uri, c, m, {"Source": {"SourceUri": uri}})
            for arn, uri, (c, m) in zip(arns, uris, times, strict=True)
        ],
        [AssociationRecord(arns[0], arn, None, 1.0) for arn in arns[1:]],
    )

    def found(**bounds: int) -> set[str]:
        filters = {k: dt.datetime.fromtimestamp(v, dt.UTC) for k, v in bounds.items()}
        return vertex_arns(query(client, arns[0], Filters=filters))

    assert found(CreatedAfter=2000) == {arns[2], arns[3]}
    assert found(CreatedBefore=3000) == {arns[1]}
    assert found(CreatedAfter=2000, CreatedBefore=4000) == {arns[2]}
    assert found(ModifiedAfter=6000) == {arns[2], arns[3]}
    assert found(ModifiedBefore=8000) == {arns[1], arns[2]}
    assert found(ModifiedAfter=6000, CreatedBefore=4000) == {arns[2]}


def test_query_lineage_excludes_the_start_without_edges_even_when_it_matches(
    client: Any, graph: dict[str, str]
) -> None:
    response = query(
        client, graph["model"], Direction="Both", Filters={"Types": ["Model"]}, IncludeEdges=False
    )
    assert names(graph, vertex_arns(response)) == {"model2"}


def test_query_lineage_with_edges_returns_start_reached_vertices_and_all_their_edges(
    client: Any, graph: dict[str, str]
) -> None:
    response = query(client, graph["model"], Direction="Descendants", IncludeEdges=True)
    assert names(graph, vertex_arns(response)) == {"model", "deploy", "endpoint"}
    edges = {
        (e["SourceArn"], e["DestinationArn"]): e.get("AssociationType") for e in response["Edges"]
    }
    assert edges == {
        (graph["model"], graph["deploy"]): "ContributedTo",
        (graph["deploy"], graph["endpoint"]): "AssociatedWith",
    }


def test_query_lineage_with_edges_and_filters_keeps_the_shortest_path_vertices(
    client: Any, graph: dict[str, str]
) -> None:
    response = query(
        client,
        graph["endpoint"],
        Direction="Ascendants",
        Filters={"Types": ["DataSet"]},
        IncludeEdges=True,
    )
    assert names(graph, vertex_arns(response)) == {"endpoint", "deploy", "model", "train", "data"}
    assert names(graph, {a for pair in edge_pairs(response) for a in pair}) <= names(
        graph, vertex_arns(response)
    )
    assert edge_pairs(response) == {
        (graph["data"], graph["train"]),
        (graph["train"], graph["model"]),
        (graph["model"], graph["deploy"]),
        (graph["deploy"], graph["endpoint"]),
    }


def test_query_lineage_both_with_edges_returns_every_edge_among_returned_vertices(
    client: Any, graph: dict[str, str]
) -> None:
    response = query(client, graph["model"], IncludeEdges=True)
    assert names(graph, vertex_arns(response)) == set(graph)
    assert len(response["Edges"]) == 8
    assert len(edge_pairs(response)) == 8


def test_query_lineage_vertex_types_and_lineage_types(
    service: Any, client: Any, graph: dict[str, str]
) -> None:
    manual_tc = create_trial_component(client, "hand-made")
    associate(client, manual_tc, graph["data"])
    response = query(client, graph["data"], MaxDepth=1, IncludeEdges=True)
    vertices = {v["Arn"]: v for v in response["Vertices"]}
    assert vertices[graph["data"]] == {
        "Arn": graph["data"],
        "Type": "DataSet",
        "LineageType": "Artifact",
    }
    assert vertices[graph["train"]] == {
        "Arn": graph["train"],
        "Type": "TrainingJob",
        "LineageType": "TrialComponent",
    }
    assert vertices[manual_tc] == {"Arn": manual_tc, "LineageType": "TrialComponent"}
    deeper = {v["Arn"]: v for v in query(client, graph["endpoint"], MaxDepth=1)["Vertices"]}
    assert deeper[graph["deploy"]]["Type"] == "ModelDeployment"
    assert deeper[graph["deploy"]]["LineageType"] == "Action"
    ctx = {v["Arn"]: v for v in query(client, graph["deploy"], MaxDepth=1)["Vertices"]}
    assert ctx[graph["endpoint"]] == {
        "Arn": graph["endpoint"],
        "Type": "Endpoint",
        "LineageType": "Context",
    }


def test_query_lineage_of_an_isolated_vertex_has_empty_vertices_and_edges(client: Any) -> None:
    alone = create_artifact(client, "s3://bucket/alone")
    response = client.query_lineage(StartArns=[alone])
    assert response["Vertices"] == []
    assert response["Edges"] == []
    assert "NextToken" not in response
    with_edges = client.query_lineage(StartArns=[alone], IncludeEdges=True)
    assert [v["Arn"] for v in with_edges["Vertices"]] == [alone]
    assert with_edges["Edges"] == []


def test_query_lineage_handles_cycles(client: Any) -> None:
    a = create_artifact(client, "s3://bucket/cyc/a")
    b = create_artifact(client, "s3://bucket/cyc/b")
    c = create_artifact(client, "s3://bucket/cyc/c")
    associate(client, a, b)
    associate(client, b, c)
    associate(client, c, a)
    response = query(client, a, Direction="Descendants", IncludeEdges=True)
    assert sorted(v["Arn"] for v in response["Vertices"]) == sorted([a, b, c])
    assert edge_pairs(response) == {(a, b), (b, c), (c, a)}
    assert len(response["Edges"]) == 3


def _all_pages(client: Any, start: str, page_size: int, **kwargs: Any) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    token: str | None = None
    for _ in range(1000):
        args = dict(kwargs, StartArns=[start], MaxResults=page_size)
        if token:
            args["NextToken"] = token
        page = client.query_lineage(**args)
        pages.append(page)
        assert "Vertices" in page and "Edges" in page
        token = page.get("NextToken")
        if not token:
            assert "NextToken" not in page
            return pages
    pytest.fail("QueryLineage paging did not end")


@pytest.mark.parametrize("page_size", [1, 2, 3, 50])
@pytest.mark.parametrize("include_edges", [False, True])
def test_query_lineage_pages_are_complete_and_duplicate_free(
    client: Any, graph: dict[str, str], page_size: int, include_edges: bool
) -> None:
    whole = query(client, graph["model"], IncludeEdges=include_edges)
    pages = _all_pages(client, graph["model"], page_size, IncludeEdges=include_edges)
    seen_vertices: list[str] = []
    seen_edges: list[tuple[str, str]] = []
    for page in pages:
        assert len(page["Vertices"]) <= page_size
        seen_vertices += [v["Arn"] for v in page["Vertices"]]
        for edge in page["Edges"]:
            pair = (edge["SourceArn"], edge["DestinationArn"])
            assert pair[0] in seen_vertices and pair[1] in seen_vertices, (
                "an edge's ends must appear on its page or earlier"
            )
            seen_edges.append(pair)
    assert len(seen_vertices) == len(set(seen_vertices))
    assert len(seen_edges) == len(set(seen_edges))
    assert set(seen_vertices) == vertex_arns(whole)
    assert set(seen_edges) == edge_pairs(whole)
    if page_size < len(seen_vertices):
        assert len(pages) > 1


def test_query_lineage_max_results_defaults_to_fifty(client: Any) -> None:
    hub = create_artifact(client, "s3://bucket/hub")
    spokes = [create_artifact(client, f"s3://bucket/spoke/{i}") for i in range(60)]
    for spoke in spokes:
        associate(client, hub, spoke)
    first = client.query_lineage(StartArns=[hub])
    assert len(first["Vertices"]) == 50
    assert first.get("NextToken")
    second = client.query_lineage(StartArns=[hub], NextToken=first["NextToken"])
    assert len(second["Vertices"]) == 10
    assert "NextToken" not in second
    assert vertex_arns(first) | vertex_arns(second) == set(spokes)


def test_query_lineage_with_two_start_arns_is_a_validation_error(
    client: Any, graph: dict[str, str]
) -> None:
    with raises_code("ValidationException", "startArns"):
        client.query_lineage(StartArns=[graph["model"], graph["data"]])


def test_query_lineage_from_an_unknown_arn_is_resource_not_found(client: Any) -> None:
    with raises_code("ResourceNotFound"):
        client.query_lineage(StartArns=[f"{ARN_PREFIX}:artifact/{'a' * 32}"])


def test_query_lineage_does_not_see_other_regions(
    client: Any, service: Any, graph: dict[str, str]
) -> None:
    europe = make_client(service.url, region="eu-west-1")
    with raises_code("ResourceNotFound"):
        europe.query_lineage(StartArns=[graph["model"]])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"MaxResults": 51}, "maxResults"),
        ({"MaxDepth": 11}, "maxDepth"),
        ({"MaxDepth": 0}, "maxDepth"),
        ({"Direction": "Sideways"}, "direction"),
        ({"Filters": {"Types": ["A", "B", "C", "D", "E", "F"]}}, "filters.types"),
        ({"Filters": {"Types": ["T" * 41]}}, "filters.types"),
        ({"Filters": {"LineageTypes": ["Experiment"]}}, "filters.lineageTypes"),
        (
            {
                "Filters": {
                    "LineageTypes": ["Artifact", "Action", "Context", "TrialComponent", "Artifact"]
                }
            },
            "filters.lineageTypes",
        ),
        ({"Filters": {"Properties": {f"k{i}": "v" for i in range(6)}}}, "filters.properties"),
        ({"Filters": {"Properties": {"k": "v" * 257}}}, "filters.properties"),
        ({"NextToken": "n" * 8193}, "nextToken"),
    ],
)
def test_query_lineage_rejects_values_outside_the_model(
    client: Any, graph: dict[str, str], kwargs: dict[str, Any], field: str
) -> None:
    with raises_code("ValidationException") as excinfo:
        client.query_lineage(StartArns=[graph["model"]], **kwargs)
    assert f"at '{field}" in excinfo.value.response["Error"]["Message"]


def test_query_lineage_rejects_a_start_arn_that_is_not_a_lineage_entity(client: Any) -> None:
    with raises_code("ValidationException") as excinfo:
        client.query_lineage(StartArns=[f"{ARN_PREFIX}:endpoint/ep"])
    assert "at 'startArns" in excinfo.value.response["Error"]["Message"]


def test_query_lineage_rejects_a_forged_next_token(client: Any, graph: dict[str, str]) -> None:
    with raises_code("ValidationException"):
        client.query_lineage(StartArns=[graph["model"]], NextToken="forged")
