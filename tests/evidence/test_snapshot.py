"""A snapshot taken through --endpoint-url answers like its source, resumes, and never writes."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from evidence_helpers import REGION, Source, plain_client, without_metadata

from viz_app.client.read_only import ReadOnlyViolation
from viz_app.core.model import TRIAL_COMPONENT, parse_arn
from viz_app.core.store import Store
from viz_app.evidence.clients import make_client
from viz_app.evidence.diff import diff_stores
from viz_app.evidence.snapshot import Snapshot, SnapshotStats

DESCRIBE = {
    "Artifact": ("describe_artifact", "ArtifactArn"),
    "Context": ("describe_context", "ContextName"),
    "Action": ("describe_action", "ActionName"),
    "TrialComponent": ("describe_trial_component", "TrialComponentName"),
}


def _exact(url: str) -> Any:
    """A read-only client that keeps wire timestamps exact, for comparing responses."""
    return make_client(endpoint_url=url, region=REGION, exact_times=True, fake_credentials=True)


def _all_pages(client: Any, **params: Any) -> list[dict[str, Any]]:
    pages = [without_metadata(client.query_lineage(**params))]
    while pages[-1].get("NextToken"):
        pages.append(
            without_metadata(client.query_lineage(**params, NextToken=pages[-1]["NextToken"]))
        )
    return pages


def _snapshot_arns(snapshot_db: Path) -> list[str]:
    store = Store(snapshot_db)
    try:
        with store.read() as conn:
            return sorted(str(r[0]) for r in conn.execute("SELECT arn FROM entities"))
    finally:
        store.close()


def test_snapshot_holds_every_entity_and_association_of_the_source(
    source: Source, snapshot_db: Path
) -> None:
    snap = Store(snapshot_db)
    try:
        assert snap.count_entities() == source.store.count_entities()
        assert snap.count_associations() == source.store.count_associations()
        assert diff_stores(source.store, snap).is_empty()
        assert snap.get_meta("region") == REGION
        assert snap.get_meta("account") == "123456789012"
        assert snap.get_meta("snapshot_status") == "complete"
    finally:
        snap.close()


def test_snapshot_answers_query_lineage_like_its_source(
    source: Source, snapshot_db: Path, snapshot_service: Any
) -> None:
    arns = _snapshot_arns(snapshot_db)
    starts = sorted({*arns[::9], *source.summary.endpoint_context_arns, source.extra_artifact})
    old, new = _exact(source.service.url), _exact(snapshot_service.url)
    compared = 0
    for start, direction, depth, edges in itertools.product(
        starts, ("Both", "Ascendants", "Descendants"), (1, 3, 10), (False, True)
    ):
        params = {
            "StartArns": [start],
            "Direction": direction,
            "MaxDepth": depth,
            "IncludeEdges": edges,
        }
        assert _all_pages(new, **params) == _all_pages(old, **params), params
        compared += 1
    assert compared >= 300


def test_snapshot_answers_filtered_and_paged_queries_like_its_source(
    source: Source, snapshot_service: Any
) -> None:
    old, new = _exact(source.service.url), _exact(snapshot_service.url)
    filters = [
        {"Types": ["DataSet"], "LineageTypes": ["Artifact"]},
        {"LineageTypes": ["TrialComponent"]},
        {"Types": ["ModelDeployment"], "LineageTypes": ["Action"]},
        {"Properties": {"owner": "audit"}},
    ]
    for start, flt, size in itertools.product(
        source.summary.endpoint_context_arns[:3], filters, (3, 50)
    ):
        params = {
            "StartArns": [start],
            "Direction": "Ascendants",
            "IncludeEdges": True,
            "Filters": flt,
            "MaxResults": size,
        }
        ours, theirs = _all_pages(new, **params), _all_pages(old, **params)
        strip = [{k: v for k, v in p.items() if k != "NextToken"} for p in ours]
        assert strip == [{k: v for k, v in p.items() if k != "NextToken"} for p in theirs]
        assert [bool(p.get("NextToken")) for p in ours] == [
            bool(p.get("NextToken")) for p in theirs
        ]


def test_snapshot_describes_and_tags_every_entity_exactly_like_its_source(
    source: Source, snapshot_db: Path, snapshot_service: Any
) -> None:
    old, new = _exact(source.service.url), _exact(snapshot_service.url)
    for arn in _snapshot_arns(snapshot_db):
        kind = parse_arn(arn).kind  # type: ignore[union-attr]
        operation, member = DESCRIBE[kind]
        theirs = without_metadata(getattr(old, operation)(**{member: arn}))
        assert without_metadata(getattr(new, operation)(**{member: arn})) == theirs
        assert new.list_tags(ResourceArn=arn)["Tags"] == old.list_tags(ResourceArn=arn)["Tags"]
        if kind == TRIAL_COMPONENT and theirs.get("Source", {}).get("SourceArn"):
            job = theirs["Source"]["SourceArn"]
            assert new.list_tags(ResourceArn=job)["Tags"] == old.list_tags(ResourceArn=job)["Tags"]


def test_snapshot_lists_associations_like_its_source(source: Source, snapshot_service: Any) -> None:
    old, new = _exact(source.service.url), _exact(snapshot_service.url)
    for arn in [*source.summary.endpoint_context_arns, source.extra_artifact]:
        for member in ("SourceArn", "DestinationArn"):
            params = {member: arn, "MaxResults": 100, "SortOrder": "Ascending"}
            assert without_metadata(new.list_associations(**params)) == without_metadata(
                old.list_associations(**params)
            )


def _snapshot(client: Any, path: Path, roots: list[str], depth: int, **kw: Any) -> Snapshot:
    store = Store(path)
    snap = Snapshot(store, client, depth=depth, **kw)
    snap.start(roots, "123456789012", REGION)
    return snap


def test_interrupted_then_resumed_snapshot_gives_the_same_store(
    source: Source, tmp_path: Path
) -> None:
    roots = [source.summary.endpoint_context_arns[0]]
    client = _exact(source.service.url)
    whole = _snapshot(client, tmp_path / "whole.db", roots, 3)
    whole.run()

    def interrupt(stats: SnapshotStats, arn: str) -> None:
        if stats.done == 7:
            raise KeyboardInterrupt

    first = _snapshot(client, tmp_path / "resumed.db", roots, 3, on_entity=interrupt)
    with pytest.raises(KeyboardInterrupt):
        first.run()
    first.store.close()
    assert Store(tmp_path / "resumed.db").get_meta("snapshot_status") == "in-progress"
    again = _snapshot(client, tmp_path / "resumed.db", roots, 3)
    stats = again.run()
    assert stats.done > 7
    assert diff_stores(whole.store, again.store).is_empty()
    assert again.store.count_entities() == whole.store.count_entities() > 7
    assert again.store.count_associations() == whole.store.count_associations()
    whole.store.close()
    again.store.close()


def test_snapshot_depth_limits_the_copy_without_dangling_associations(
    source: Source, tmp_path: Path
) -> None:
    root = source.summary.endpoint_context_arns[0]
    snap = _snapshot(_exact(source.service.url), tmp_path / "d1.db", [root], 1)
    snap.run()
    with snap.store.read() as conn:
        arns = {str(r[0]) for r in conn.execute("SELECT arn FROM entities")}
        pairs = conn.execute("SELECT source_arn, destination_arn FROM associations").fetchall()
    neighbours = {d for s, d, _ in source.store.edges_from([root], True)}
    neighbours |= {s for s, d, _ in source.store.edges_from([root], False)}
    assert arns == {root} | neighbours
    assert all(s in arns and d in arns for s, d in pairs)
    snap.store.close()


def test_snapshot_backs_off_on_throttling_that_botocore_gave_up_on(
    source: Source, tmp_path: Path
) -> None:

    from viz_app.client.read_only import guard

    client = guard(plain_client(source.service.url))  # no botocore retries at all
    naps: list[float] = []
    source.service.faults.throttle_next = 3
    snap = _snapshot(client, tmp_path / "t.db", [source.extra_artifact], 1, sleep=naps.append)
    stats = snap.run()
    assert source.service.faults.throttle_next == 0
    assert naps == [0.5, 1.0, 2.0]
    assert stats.done == snap.store.count_entities() == 2
    snap.store.close()


def test_snapshot_refuses_to_mix_two_different_runs_in_one_store(
    source: Source, tmp_path: Path
) -> None:
    from viz_app.evidence.snapshot import SnapshotError

    client = _exact(source.service.url)
    _snapshot(client, tmp_path / "m.db", [source.extra_artifact], 1).store.close()
    with pytest.raises(SnapshotError):
        _snapshot(client, tmp_path / "m.db", [source.extra_artifact], 2)


def test_read_only_guard_refuses_a_write_before_it_leaves_the_process(source: Source) -> None:
    client = _exact(source.service.url)
    sent: list[str] = []
    client.meta.events.register("before-send", lambda request, **_: sent.append(request.url))
    before = source.store.count_entities()
    with pytest.raises(ReadOnlyViolation):
        client.create_artifact(Source={"SourceUri": "s3://x/y"}, ArtifactType="DataSet")
    with pytest.raises(ReadOnlyViolation):
        client.add_association(
            SourceArn=source.extra_artifact, DestinationArn=source.summary.endpoint_arns[0]
        )
    with pytest.raises(ReadOnlyViolation):
        client.delete_artifact(ArtifactArn=source.extra_artifact)
    assert sent == []
    assert source.store.count_entities() == before
    client.list_tags(ResourceArn=source.extra_artifact)  # reads still go through
    assert len(sent) == 1


def test_read_only_guard_checks_the_wire_target_too(source: Source) -> None:
    from viz_app.client.read_only import guard, is_read_operation

    class Request:
        def __init__(self) -> None:
            self.headers = {"X-Amz-Target": b"SageMaker.UpdateArtifact"}

    client = guard(plain_client(source.service.url))
    # A request that got past the model check would still be stopped at the last hook.
    with pytest.raises(ReadOnlyViolation):
        client.meta.events.emit("before-send.sagemaker.UpdateArtifact", request=Request())
    assert is_read_operation("QueryLineage") and is_read_operation("ListTags")
    assert is_read_operation("DescribeArtifact") and is_read_operation("GetCallerIdentity")
    for write in ("AddTags", "AddAssociation", "CreateContext", "UpdateAction", "DeleteTags"):
        assert not is_read_operation(write)


def test_snapshot_command_copies_through_the_local_backend(tmp_path: Path) -> None:
    """`--backend local --source-db` reads a store through our service in-process."""
    from viz_app.cli import main
    from viz_app.core.demo import build_demo

    src = tmp_path / "src.db"
    store = Store(src)
    summary = build_demo(store)
    store.close()
    out = tmp_path / "out.db"
    argv = ["snapshot", "--backend", "local", "--source-db", str(src), "--db", str(out)]
    assert main([*argv, "--arn", summary.model_package_artifact_arn, "--depth", "1"]) == 0
    assert main([*argv, "--arn", summary.model_package_artifact_arn, "--depth", "1"]) == 0
    copied = Store(out)
    assert copied.get_entity(summary.model_package_artifact_arn) is not None
    assert copied.get_meta("snapshot_status") == "complete"
    copied.close()


def test_snapshot_keeps_every_trial_components_trials_and_experiments(
    source: Source, snapshot_db: Path, snapshot_service: Any
) -> None:
    old, new = _exact(source.service.url), _exact(snapshot_service.url)
    # Search is for this check only: the snapshot's read-only client never needs it.
    old_search, new_search = plain_client(source.service.url), plain_client(snapshot_service.url)
    components = [a for a in _snapshot_arns(snapshot_db) if ":experiment-trial-component/" in a]
    experiments: set[str] = set()
    held = 0
    for arn in components:
        name = arn.rsplit("/", 1)[1]
        trials = without_metadata(old.list_trials(TrialComponentName=name, MaxResults=100))
        assert without_metadata(new.list_trials(TrialComponentName=name, MaxResults=100)) == trials
        for summary in trials["TrialSummaries"]:
            held += 1
            trial = without_metadata(old.describe_trial(TrialName=summary["TrialName"]))
            assert without_metadata(new.describe_trial(TrialName=summary["TrialName"])) == trial
            experiments.add(trial["ExperimentName"])
            params = {"TrialName": summary["TrialName"], "MaxResults": 100}
            assert without_metadata(new.list_trial_components(**params)) == without_metadata(
                old.list_trial_components(**params)
            )
        search = {
            "Resource": "ExperimentTrialComponent",
            "SearchExpression": {"Filters": [{"Name": "TrialComponentArn", "Value": arn}]},
        }
        theirs = without_metadata(old_search.search(**search))
        assert without_metadata(new_search.search(**search)) == theirs
    assert held >= len(source.summary.endpoint_context_arns)  # the demo's jobs are all in runs
    for name in sorted(experiments):
        assert without_metadata(new.describe_experiment(ExperimentName=name)) == without_metadata(
            old.describe_experiment(ExperimentName=name)
        )
    trials = {"Resource": "ExperimentTrial", "MaxResults": 100}
    theirs = without_metadata(old_search.search(**trials))
    assert theirs["Results"]
    assert without_metadata(new_search.search(**trials)) == theirs
