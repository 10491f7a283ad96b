"""`diff_stores` and `lineage-viz diff` list exactly the changes made between two demo stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from viz_app.core.demo import build_demo
from viz_app.core.model import ARTIFACT, AssociationRecord, EntityRecord, build_arn
from viz_app.core.store import Store
from viz_app.evidence.diff import diff_stores, format_diff, reachable

NEW_ARTIFACT = build_arn("us-east-1", "123456789012", "artifact", "f" * 32)


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store, Any, dict[str, str]]]:
    """Two identical demo stores, then known changes applied to the second."""
    old, new = Store(tmp_path / "old.db"), Store(tmp_path / "new.db")
    summary = build_demo(old)
    build_demo(new)
    dataset = sorted(a for a in _arns(new) if ":artifact/" in a)
    removed = next(a for a in dataset if a not in (summary.model_package_artifact_arn,))
    new.delete_entity(removed)
    new.bulk_insert(
        [
            EntityRecord(
                NEW_ARTIFACT, ARTIFACT, None, "DataSet", "s3://bucket/new.csv", 1.0, 1.0,
                {"Source": {"SourceUri": "s3://bucket/new.csv"}, "Properties": {}},
            )
        ]
    )  # fmt: skip
    package = new.get_entity(summary.model_package_artifact_arn)
    assert package is not None
    package.doc["Properties"] = {**(package.doc.get("Properties") or {}), "approved-by": "alice"}
    new.replace_entity(package)
    context = summary.endpoint_context_arns[0]
    new.add_association(AssociationRecord(NEW_ARTIFACT, context, "ContributedTo", 2.0))
    yield old, new, summary, {"removed": removed, "changed": package.arn, "context": context}
    old.close()
    new.close()


def _arns(store: Store) -> list[str]:
    with store.read() as conn:
        return [str(r[0]) for r in conn.execute("SELECT arn FROM entities")]


def test_diff_of_two_demo_stores_lists_exactly_the_known_changes(stores: Any) -> None:
    old, new, _, known = stores
    removed_pairs = {(s, d) for s, d, _ in old.edges_from([known["removed"]], True)} | {
        (s, d) for s, d, _ in old.edges_from([known["removed"]], False)
    }
    diff = diff_stores(old, new)
    assert [e.arn for e in diff.added_entities] == [NEW_ARTIFACT]
    assert [e.arn for e in diff.removed_entities] == [known["removed"]]
    assert [e.arn for e in diff.changed_entities] == [known["changed"]]
    fields = {c.field: (c.old, c.new) for c in diff.changed_entities[0].changes}
    assert fields == {"Properties.approved-by": (None, "alice")}
    assert [(a.source_arn, a.destination_arn) for a in diff.added_associations] == [
        (NEW_ARTIFACT, known["context"])
    ]
    assert diff.added_associations[0].association_type == "ContributedTo"
    # Deleting an entity cascades to its associations: those are reported as removed, too.
    assert {(a.source_arn, a.destination_arn) for a in diff.removed_associations} == removed_pairs
    assert diff.changed_associations == []


def test_diff_of_a_store_with_itself_is_empty(stores: Any) -> None:
    old, _, _, _ = stores
    diff = diff_stores(old, old)
    assert diff.is_empty()
    assert "No differences." in format_diff(diff)


def test_diff_limited_to_an_arn_only_reports_what_is_reachable_from_it(stores: Any) -> None:
    old, new, _, known = stores
    near = diff_stores(old, new, arn=known["context"])
    assert NEW_ARTIFACT in {e.arn for e in near.added_entities}
    assert known["changed"] in {e.arn for e in near.changed_entities}
    touched = {NEW_ARTIFACT, known["removed"], known["changed"], known["context"]}
    elsewhere = [
        arn
        for arn in sorted(_arns(old))
        if not (reachable(old, arn) | reachable(new, arn)) & touched
    ]
    assert elsewhere, "the demo has more than one connected component"
    assert diff_stores(old, new, arn=elsewhere[0]).is_empty()


def test_diff_element_classes_mark_added_and_removed_elements_for_a_compare_view(
    stores: Any,
) -> None:
    old, new, _, known = stores
    classes = diff_stores(old, new).element_classes()
    assert classes[NEW_ARTIFACT] == "added"
    assert classes[known["removed"]] == "removed"
    assert classes[known["changed"]] == "changed"
    assert classes[f"{NEW_ARTIFACT}->{known['context']}"] == "added"


def test_diff_command_prints_a_table_and_json(
    stores: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from viz_app.cli import main

    _, _, _, known = stores
    args = [str(tmp_path / "old.db"), str(tmp_path / "new.db")]
    assert main(["diff", *args]) == 1
    text = capsys.readouterr().out
    assert "Entities: 1 added, 1 removed, 1 changed" in text
    assert f"+ Artifact       DataSet          {NEW_ARTIFACT}" in text
    assert "Properties.approved-by: None -> 'alice'" in text
    assert main(["diff", *args, "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [e["arn"] for e in doc["removed_entities"]] == [known["removed"]]
    assert main(["diff", args[0], args[0]]) == 0
    assert main(["diff", args[0], str(tmp_path / "missing.db")]) == 2
