"""The engine's in-memory adjacency index answers QueryLineage exactly like the reference
SQL walk (`core.lineage`), whatever writes came before."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viz_app.core.errors import ResourceNotFound, ValidationError
from viz_app.core.lineage import (
    DIRECTIONS,
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

KINDS = (ARTIFACT, CONTEXT, ACTION, TRIAL_COMPONENT)
RESOURCE = {
    ARTIFACT: "artifact",
    CONTEXT: "context",
    ACTION: "action",
    TRIAL_COMPONENT: "experiment-trial-component",
}
TYPES = {
    ARTIFACT: ("DataSet", "Model", "Image"),
    CONTEXT: ("Endpoint", "ModelGroup"),
    ACTION: ("ModelDeployment",),
    TRIAL_COMPONENT: ("SageMakerTrainingJob", "SageMakerProcessingJob"),
}
FILTERS = (
    QueryFilters(),
    QueryFilters(lineage_types=frozenset({ARTIFACT})),
    QueryFilters(types=frozenset({"DataSet", "TrainingJob", "Endpoint"})),
    QueryFilters(created_after=3.0, modified_before=8.0),
    QueryFilters(properties=(("stage", "train"),)),
)


def entity(n: int, kind_pick: int = 0, t: float = 1.0) -> EntityRecord:
    kind = KINDS[n % 4]
    types = TYPES[kind]
    name = f"e{n}"
    arn = build_arn("us-east-1", "123456789012", RESOURCE[kind], name)
    props = {"stage": "train"} if (n + kind_pick) % 3 == 0 else {}
    return EntityRecord(
        arn,
        kind,
        None if kind == ARTIFACT else name,
        types[kind_pick % len(types)],
        f"s3://b/{name}",
        t,
        t,
        {"Properties": props},
    )


def assert_same_answers(store: Store, starts: Iterable[str]) -> None:
    index = store.engine.keeper.index
    if index is not None:  # the walk skips the entity check when it counts no id without one
        assert index.dead == index.alive.count(0)
    for start in starts:
        for direction in DIRECTIONS:
            for filters in FILTERS:
                for edges in (False, True):
                    kwargs = {
                        "direction": direction,
                        "max_depth": 3,
                        "filters": filters,
                        "include_edges": edges,
                    }
                    fast: LineageResult = store.engine.query_lineage(start, **kwargs)  # type: ignore[arg-type]
                    slow: LineageResult = query_lineage(store, start, **kwargs)  # type: ignore[arg-type]
                    assert fast == slow, (start, kwargs)


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store()
    yield s
    s.close()


ops = st.lists(
    st.tuples(
        st.sampled_from(["entity", "edge", "unedge", "delete", "touch", "bulk", "raw", "tag"]),
        st.integers(0, 7),
        st.integers(0, 7),
        st.integers(0, 7),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=ops)
def test_index_answers_like_sql_after_any_mix_of_writes(
    ops: list[tuple[str, int, int, int]],
) -> None:
    store = Store()
    try:
        store.bulk_insert([entity(n, n, float(n)) for n in range(6)])
        store.engine.query_lineage(entity(0).arn)  # build the index before the writes
        for op, a, b, c in ops:
            src, dst = entity(a), entity(b)
            try:
                if op == "entity":
                    store.insert_entity(entity(a, c, float(c)))
                elif op == "edge":
                    store.add_association(AssociationRecord(src.arn, dst.arn, "ContributedTo", c))
                elif op == "unedge":
                    edges = store.edges_from([src.arn], True) or [(src.arn, dst.arn, None)]
                    store.delete_association(*edges[c % len(edges)][:2])
                elif op == "delete":
                    store.delete_entity(src.arn)
                elif op == "touch":
                    store.replace_entity(entity(a, c, float(c)))
                elif op == "bulk":
                    store.bulk_insert(
                        [entity(a, c, float(c)), entity(b, c, float(c)), entity(a, 1)],
                        [
                            AssociationRecord(src.arn, dst.arn, "Produced", 1.0),
                            AssociationRecord(dst.arn, entity(c).arn, None, 2.0),
                        ],
                    )
                elif op == "raw":
                    with store.write() as conn:
                        conn.execute("DELETE FROM associations WHERE source_arn = ?", (src.arn,))
                else:
                    store.add_tags(src.arn, [("k", str(c))])
            except (ResourceNotFound, ValidationError):
                pass
            assert_same_answers(store, [src.arn])
        assert_same_answers(store, [entity(n).arn for n in range(8)])
    finally:
        store.close()


def test_index_sees_writes_made_by_another_store_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    reader, writer = Store(path), Store(path)
    try:
        a, b, c = entity(0), entity(1), entity(2)
        writer.bulk_insert([a, b, c], [AssociationRecord(a.arn, b.arn, "ContributedTo", 1.0)])
        assert [v.arn for v in reader.engine.query_lineage(a.arn).vertices] == [b.arn]
        writer.add_association(AssociationRecord(b.arn, c.arn, "Produced", 2.0))
        assert [v.arn for v in reader.engine.query_lineage(a.arn).vertices] == [b.arn, c.arn]
        writer.delete_entity(b.arn)
        assert reader.engine.query_lineage(a.arn).vertices == []
        assert_same_answers(reader, [a.arn, c.arn])
    finally:
        reader.close()
        writer.close()


def test_index_sees_writes_made_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    store = Store(path)
    try:
        a, b = entity(0), entity(1)
        store.bulk_insert([a, b])
        assert store.engine.query_lineage(a.arn).vertices == []
        script = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
            " c.execute('INSERT INTO associations (source_arn, destination_arn, type, created)"
            " VALUES (?, ?, ?, 1.0)', (sys.argv[2], sys.argv[3], 'DerivedFrom')); c.commit()"
        )
        subprocess.run([sys.executable, "-c", script, str(path), a.arn, b.arn], check=True)
        assert [v.arn for v in store.engine.query_lineage(a.arn).vertices] == [b.arn]
        assert_same_answers(store, [a.arn, b.arn])
    finally:
        store.close()


def test_a_rolled_back_write_leaves_the_index_unchanged(store: Store) -> None:
    a, b = entity(0), entity(1)
    store.bulk_insert([a, b], [AssociationRecord(a.arn, b.arn, "ContributedTo", 1.0)])
    store.engine.query_lineage(a.arn)
    with pytest.raises(RuntimeError), store.write() as conn:
        conn.execute("DELETE FROM associations")
        raise RuntimeError("abandon")
    with pytest.raises(ValidationError):
        store.add_association(AssociationRecord(a.arn, b.arn, "Produced", 2.0))
    assert [v.arn for v in store.engine.query_lineage(a.arn).vertices] == [b.arn]
    assert_same_answers(store, [a.arn, b.arn])


def test_bulk_insert_that_sqlite_partly_ignores_keeps_answers_exact(store: Store) -> None:
    first = entity(1)
    store.bulk_insert([entity(0), first])
    store.engine.query_lineage(first.arn)
    clash = EntityRecord(  # same kind and name as `first`, another ARN: SQLite ignores it
        first.arn + "-x", first.kind, first.name, "Endpoint", None, 5.0, 5.0
    )
    store.bulk_insert(
        [clash, entity(2)], [AssociationRecord(first.arn, clash.arn, "AssociatedWith", 3.0)]
    )
    assert store.get_entity(clash.arn) is None
    assert_same_answers(store, [entity(n).arn for n in range(3)] + [clash.arn])


def test_index_walks_through_associations_to_arns_with_no_entity(store: Store) -> None:
    a, b = entity(0), entity(1)
    ghost = build_arn("us-east-1", "123456789012", "artifact", "f" * 32)
    store.bulk_insert(
        [a, b],
        [
            AssociationRecord(a.arn, ghost, "ContributedTo", 1.0),
            AssociationRecord(ghost, b.arn, "ContributedTo", 1.0),
        ],
    )
    result = store.engine.query_lineage(a.arn, include_edges=True)
    assert [v.arn for v in result.vertices] == [a.arn, b.arn]
    assert result.edges == []
    assert_same_answers(store, [a.arn, b.arn])


def test_the_stores_own_writes_update_the_index_in_place(store: Store) -> None:
    a, b, c = entity(0), entity(1), entity(2)
    store.bulk_insert([a, b])
    store.engine.query_lineage(a.arn)
    index = store._adjacency.index
    assert index is not None
    store.insert_entity(c)
    store.add_association(AssociationRecord(a.arn, c.arn, "ContributedTo", 1.0))
    store.bulk_insert([entity(3)], [AssociationRecord(c.arn, entity(3).arn, None, 2.0)])
    store.add_tags(a.arn, [("team", "ml")])
    assert [v.arn for v in store.engine.query_lineage(a.arn).vertices] == [c.arn, entity(3).arn]
    assert store._adjacency.index is index


def test_an_entity_deleted_and_recreated_with_another_type_is_answered_with_the_new_one(
    store: Store,
) -> None:
    a, b = entity(0), entity(1)  # an artifact and a context
    store.bulk_insert([a, b], [AssociationRecord(a.arn, b.arn, "ContributedTo", 1.0)])
    first = store.engine.query_lineage(a.arn).vertices
    assert [(v.arn, v.type) for v in first] == [(b.arn, "Endpoint")]
    store.delete_entity(b.arn)
    store.insert_entity(entity(1, kind_pick=1))  # the same ARN, now a ModelGroup
    store.add_association(AssociationRecord(a.arn, b.arn, "ContributedTo", 2.0))
    assert [(v.arn, v.type) for v in store.engine.query_lineage(a.arn).vertices] == [
        (b.arn, "ModelGroup")
    ]
    assert [(v.arn, v.type) for v in first] == [(b.arn, "Endpoint")]  # old answers unchanged
    assert_same_answers(store, [a.arn, b.arn])
