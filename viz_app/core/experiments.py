"""SageMaker Experiments beside the lineage store: experiments, trials and trial membership.

Experiments and trials are not lineage entities (QueryLineage never returns them), so they
live in their own tables (`experiments_schema` adds them to any store file). Trial components
stay lineage entities in `entities`; `trial_members` says which trials hold them. Names are
unique per region, case-insensitively, like the other names.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from viz_app.core.errors import ResourceNotFound, ValidationError
from viz_app.core.model import TRIAL_COMPONENT, EntityRecord, parse_arn
from viz_app.core.store import Page, Store

EXPERIMENT: Final = "Experiment"
TRIAL: Final = "Trial"

# -- records ------------------------------------------------------------------------------------


@dataclass
class Tracked:
    """An experiment or a trial as stored.

    `doc` holds the remaining Describe members in wire form (DisplayName, Description, Source,
    MetadataProperties). `experiment_arn`/`experiment_name` are set for trials only.
    """

    kind: str
    arn: str
    name: str
    created: float
    modified: float
    doc: dict[str, Any] = field(default_factory=dict)
    experiment_arn: str | None = None
    experiment_name: str | None = None

    @property
    def region(self) -> str:
        parsed = parse_arn(self.arn)
        return parsed.region if parsed else ""


@dataclass(frozen=True)
class Parent:
    """One trial a trial component belongs to, with the trial's experiment."""

    trial_name: str
    experiment_name: str


_TABLE: Final = {EXPERIMENT: "experiments", TRIAL: "trials"}
_TRIAL_SELECT: Final = (
    "SELECT t.*, e.name AS experiment_name FROM trials t JOIN experiments e"
    " ON e.arn = t.experiment_arn"
)


def _doc(doc: dict[str, Any]) -> str:
    return json.dumps(doc, separators=(",", ":"), sort_keys=True)


def _row(kind: str, row: sqlite3.Row) -> Tracked:
    keys = row.keys()
    return Tracked(
        kind=kind,
        arn=row["arn"],
        name=row["name"],
        created=row["created"],
        modified=row["modified"],
        doc=json.loads(row["doc"]),
        experiment_arn=row["experiment_arn"] if "experiment_arn" in keys else None,
        experiment_name=row["experiment_name"] if "experiment_name" in keys else None,
    )


def _exists(conn: sqlite3.Connection, table: str, arn: str | None) -> bool:
    row = conn.execute(f"SELECT 1 FROM {table} WHERE arn = ?", (arn,)).fetchone()
    return row is not None


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Experiments:
    """Experiments, trials and membership in one store (shares its connections and lock)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- write -----------------------------------------------------------------------------

    def insert(self, rec: Tracked, tags: Sequence[tuple[str, str]] = ()) -> None:
        """Create an experiment or trial; ValidationException if the name is taken."""
        with self.store.write_apart() as conn:
            if rec.kind == TRIAL and not _exists(conn, "experiments", rec.experiment_arn):
                raise ResourceNotFound(f"Experiment {rec.experiment_name} does not exist.")
            try:
                self._insert(conn, rec, ignore=False)
            except sqlite3.IntegrityError:
                raise ValidationError(f"{rec.kind} with name {rec.name} already exists.") from None
            conn.executemany(
                "INSERT INTO tags (arn, key, value) VALUES (?,?,?)"
                " ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value",
                [(rec.arn, k, v) for k, v in tags],
            )

    @staticmethod
    def _insert(conn: sqlite3.Connection, rec: Tracked, *, ignore: bool) -> None:
        verb = "INSERT OR IGNORE" if ignore else "INSERT"
        if rec.kind == EXPERIMENT:
            conn.execute(
                f"{verb} INTO experiments (arn, region, name, name_key, created, modified, doc)"
                " VALUES (?,?,?,?,?,?,?)",
                (
                    rec.arn,
                    rec.region,
                    rec.name,
                    rec.name.lower(),
                    rec.created,
                    rec.modified,
                    _doc(rec.doc),
                ),
            )
        else:
            conn.execute(
                f"{verb} INTO trials (arn, region, name, name_key, experiment_arn, created,"
                " modified, doc) VALUES (?,?,?,?,?,?,?,?)",
                (
                    rec.arn,
                    rec.region,
                    rec.name,
                    rec.name.lower(),
                    rec.experiment_arn,
                    rec.created,
                    rec.modified,
                    _doc(rec.doc),
                ),
            )

    def bulk_load(
        self,
        records: Iterable[Tracked],
        members: Iterable[tuple[str, str, float]] = (),
        tags: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        """Load experiments, trials (after their experiments), memberships (trial ARN, trial
        component ARN, time) and tags in one transaction; what exists already is kept."""
        with self.store.write_apart() as conn:
            for rec in records:
                self._insert(conn, rec, ignore=True)
            conn.executemany(
                "INSERT OR IGNORE INTO trial_members (trial_arn, tc_arn, created) VALUES (?,?,?)",
                members,
            )
            conn.executemany(
                "INSERT INTO tags (arn, key, value) VALUES (?,?,?)"
                " ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value",
                tags,
            )

    def replace(self, rec: Tracked) -> None:
        """Overwrite an experiment's or trial's doc and modified time."""
        with self.store.write_apart() as conn:
            conn.execute(
                f"UPDATE {_TABLE[rec.kind]} SET doc = ?, modified = ? WHERE arn = ?",
                (_doc(rec.doc), rec.modified, rec.arn),
            )

    def delete(self, rec: Tracked) -> None:
        """Delete an experiment without trials, or a trial without trial components."""
        with self.store.write_apart() as conn:
            if rec.kind == EXPERIMENT:
                held = conn.execute(
                    "SELECT COUNT(*) FROM trials WHERE experiment_arn = ?", (rec.arn,)
                ).fetchone()[0]
                if held:
                    raise ValidationError(
                        f"Experiment {rec.name} still has {held} trial(s): delete them first."
                    )
            else:
                held = conn.execute(
                    "SELECT COUNT(*) FROM trial_members WHERE trial_arn = ?", (rec.arn,)
                ).fetchone()[0]
                if held:
                    raise ValidationError(
                        f"Trial {rec.name} still has {held} trial component(s): "
                        "disassociate them first."
                    )
            conn.execute(f"DELETE FROM {_TABLE[rec.kind]} WHERE arn = ?", (rec.arn,))
            conn.execute("DELETE FROM tags WHERE arn = ?", (rec.arn,))

    def associate(self, trial: Tracked, component: EntityRecord, now: float) -> None:
        with self.store.write_apart() as conn:
            # Either side may have been deleted since the caller found it.
            if not _exists(conn, "trials", trial.arn):
                raise ResourceNotFound(f"Trial {trial.name} does not exist.")
            if not _exists(conn, "entities", component.arn):
                raise ResourceNotFound(f"Trial component {component.name} does not exist.")
            try:
                conn.execute(
                    "INSERT INTO trial_members (trial_arn, tc_arn, created) VALUES (?,?,?)",
                    (trial.arn, component.arn, now),
                )
            except sqlite3.IntegrityError:
                raise ValidationError(
                    f"Trial component {component.name} is already associated with "
                    f"trial {trial.name}."
                ) from None
            conn.execute("UPDATE trials SET modified = ? WHERE arn = ?", (now, trial.arn))

    def disassociate(self, trial: Tracked, component: EntityRecord, now: float) -> None:
        with self.store.write_apart() as conn:
            cur = conn.execute(
                "DELETE FROM trial_members WHERE trial_arn = ? AND tc_arn = ?",
                (trial.arn, component.arn),
            )
            if cur.rowcount == 0:
                raise ResourceNotFound(
                    f"Trial component {component.name} is not associated with trial {trial.name}."
                )
            conn.execute("UPDATE trials SET modified = ? WHERE arn = ?", (now, trial.arn))

    # -- read ------------------------------------------------------------------------------

    def find(self, kind: str, region: str, name: str) -> Tracked | None:
        """An experiment or trial by (case-insensitive) name in `region`."""
        base = "SELECT * FROM experiments" if kind == EXPERIMENT else _TRIAL_SELECT
        prefix = "" if kind == EXPERIMENT else "t."
        with self.store.read() as conn:
            row = conn.execute(
                f"{base} WHERE {prefix}region = ? AND {prefix}name_key = ?",
                (region, name.lower()),
            ).fetchone()
        return None if row is None else _row(kind, row)

    def all(self, kind: str, region: str) -> list[Tracked]:
        """Every experiment or trial of a region (Search evaluates its filters over these)."""
        base = "SELECT * FROM experiments" if kind == EXPERIMENT else _TRIAL_SELECT
        prefix = "" if kind == EXPERIMENT else "t."
        with self.store.read() as conn:
            rows = conn.execute(f"{base} WHERE {prefix}region = ?", (region,)).fetchall()
        return [_row(kind, r) for r in rows]

    def page(
        self,
        kind: str,
        region: str,
        *,
        experiment_arn: str | None = None,
        component_arn: str | None = None,
        created_after: float | None = None,
        created_before: float | None = None,
        sort_by_name: bool = False,
        ascending: bool = False,
        page: Page,
    ) -> list[Tracked]:
        """One page of experiments or trials, by creation time (or name), then ARN."""
        where = ["region = ?"]
        params: list[Any] = [region]
        for clause, value in (
            ("experiment_arn = ?", experiment_arn),
            ("arn IN (SELECT trial_arn FROM trial_members WHERE tc_arn = ?)", component_arn),
            ("created >= ?", created_after),
            ("created <= ?", created_before),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        keys = ["name_key" if sort_by_name else "created", "arn"]
        if page.after is not None:
            where.append(f"({', '.join(keys)}) {'>' if ascending else '<'} (?, ?)")
            params.extend(page.after)
        order = ", ".join(f"{k} {'ASC' if ascending else 'DESC'}" for k in keys)
        sql = f"SELECT * FROM {_TABLE[kind]} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
        with self.store.read() as conn:
            rows = conn.execute(sql, [*params, page.limit]).fetchall()
        return [_row(kind, r) for r in rows]

    def parents(self, component_arns: Iterable[str]) -> dict[str, list[Parent]]:
        """The trials (with their experiments) holding each trial component, by trial name."""
        found: dict[str, list[Parent]] = {}
        arns = sorted(set(component_arns))
        with self.store.read() as conn:
            for chunk in _chunks(arns):
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    "SELECT m.tc_arn, t.name, e.name FROM trial_members m"
                    " JOIN trials t ON t.arn = m.trial_arn"
                    " JOIN experiments e ON e.arn = t.experiment_arn"
                    f" WHERE m.tc_arn IN ({marks}) ORDER BY t.name_key",
                    chunk,
                ):
                    found.setdefault(row[0], []).append(Parent(row[1], row[2]))
        return found

    def members(self, trial_arns: Iterable[str]) -> dict[str, list[str]]:
        """The trial component ARNs each trial holds, by ARN."""
        found: dict[str, list[str]] = {}
        arns = sorted(set(trial_arns))
        with self.store.read() as conn:
            for chunk in _chunks(arns):
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    "SELECT trial_arn, tc_arn FROM trial_members"
                    f" WHERE trial_arn IN ({marks}) ORDER BY tc_arn",
                    chunk,
                ):
                    found.setdefault(row[0], []).append(row[1])
        return found

    def is_member(self, component_arn: str) -> bool:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT 1 FROM trial_members WHERE tc_arn = ? LIMIT 1", (component_arn,)
            ).fetchone()
        return row is not None

    def tags(self, arns: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        """Tags of many resources in a few queries, by key."""
        found: dict[str, list[tuple[str, str]]] = {}
        items = sorted(set(arns))
        with self.store.read() as conn:
            for chunk in _chunks(items):
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT arn, key, value FROM tags WHERE arn IN ({marks}) ORDER BY arn, key",
                    chunk,
                ):
                    found.setdefault(row[0], []).append((row[1], row[2]))
        return found

    def list_components(
        self,
        region: str,
        *,
        trial_arn: str | None = None,
        experiment_arn: str | None = None,
        created_after: float | None = None,
        created_before: float | None = None,
        sort_by_name: bool = False,
        ascending: bool = False,
        page: Page,
    ) -> list[EntityRecord]:
        """One page of the trial components in a trial, or in any trial of an experiment."""
        within: tuple[str, str | None]
        if trial_arn is not None:
            within = ("arn IN (SELECT tc_arn FROM trial_members WHERE trial_arn = ?)", trial_arn)
        else:
            within = (
                "arn IN (SELECT m.tc_arn FROM trial_members m JOIN trials t"
                " ON t.arn = m.trial_arn WHERE t.experiment_arn = ?)",
                experiment_arn,
            )
        return self.store.list_entities(
            TRIAL_COMPONENT,
            region,
            created_after=created_after,
            created_before=created_before,
            sort_by_name=sort_by_name,
            ascending=ascending,
            extra=within,
            page=page,
        )
