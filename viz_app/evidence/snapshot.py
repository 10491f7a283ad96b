"""`lineage-viz snapshot`: copy the lineage around some roots into a store, resumably, read-only.

The walk is breadth-first over associations in both directions (ListAssociations as source
and as destination), so hop distances are exact and every association comes with its type
and creation time. QueryLineage would add nothing the walk does not already see. Each entity
is written in its own transaction together with its tags; an association is written when
its second end is done, so the store never holds a dangling edge. A side table
`snapshot_progress` remembers what is done, so an interrupted run resumes where it stopped.
A trial component comes with the trials holding it and their experiments (ListTrials,
DescribeTrial, DescribeExperiment), so "which run was this?" reads the same offline.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from botocore.exceptions import ClientError

from viz_app.client.describe import DESCRIBERS
from viz_app.client.paging import items
from viz_app.core.experiments import EXPERIMENT, TRIAL, Experiments, Tracked
from viz_app.core.model import TRIAL_COMPONENT, AssociationRecord, parse_arn
from viz_app.core.store import Store
from viz_app.evidence.progress import counter
from viz_app.evidence.records import association_from_summary, epoch, record_from_describe

if TYPE_CHECKING:
    from tqdm import tqdm

PROGRESS_TABLE: Final = "snapshot_progress"
THROTTLE_CODES: Final = frozenset(
    {"ThrottlingException", "Throttling", "ThrottledException", "RequestThrottledException"}
)
MAX_BACKOFFS: Final = 8
PENDING, DONE, MISSING = 0, 1, 2  # snapshot_progress.done


class SnapshotError(RuntimeError):
    """The snapshot cannot start or continue (bad roots, a different run in the store)."""


@dataclass
class SnapshotStats:
    done: int = 0
    known: int = 0
    missing: int = 0
    associations: int = 0


def _call(client: Any, operation: str, sleep: Callable[[float], None], **params: Any) -> Any:
    """Call with backoff on throttling beyond what botocore's adaptive retries absorbed."""
    for attempt in range(MAX_BACKOFFS + 1):
        try:
            return getattr(client, operation)(**params)
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code")
            if code not in THROTTLE_CODES or attempt == MAX_BACKOFFS:
                raise
            sleep(min(30.0, 0.5 * 2**attempt))
    raise AssertionError("unreachable")


def _paged(
    client: Any, operation: str, key: str, sleep: Callable[[float], None], **params: Any
) -> Iterator[Any]:
    """Every item under `key` of every page, each call backing off on throttling."""
    return items(partial(_call, client, operation, sleep), key, params)


class Snapshot:
    """One snapshot run into `store` from `client` (a read-only SageMaker client)."""

    def __init__(
        self,
        store: Store,
        client: Any,
        *,
        depth: int,
        on_entity: Callable[[SnapshotStats, str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store, self.client, self.depth = store, client, depth
        self.on_entity, self.sleep = on_entity, sleep
        self.stats = SnapshotStats()
        with store.write() as conn:
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {PROGRESS_TABLE} (arn TEXT PRIMARY KEY,"
                " distance INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0)"
            )

    def start(self, roots: list[str], account: str | None, region: str) -> None:
        """Record the run in meta and seed the roots; a resumed run must ask the same."""
        for root in roots:
            parsed = parse_arn(root)
            if parsed is None or parsed.kind is None:
                raise SnapshotError(f"not a lineage entity ARN: {root}")
        wanted = json.dumps({"roots": sorted(set(roots)), "depth": self.depth}, sort_keys=True)
        known = self.store.get_meta("snapshot_request")
        if known is not None and known != wanted:
            raise SnapshotError(f"this store holds a different snapshot ({known}); use a new --db")
        if known is None:
            self.store.set_meta("snapshot_request", wanted)
            self.store.set_meta("snapshot_started_utc", _utc_now())
            self.store.set_meta("snapshot_status", "in-progress")
            self.store.set_meta("region", region)
            self.store.set_meta("account", account or parse_arn(roots[0]).account)  # type: ignore[union-attr]
        with self.store.write() as conn:
            conn.executemany(
                f"INSERT OR IGNORE INTO {PROGRESS_TABLE} (arn, distance) VALUES (?, 0)",
                [(root,) for root in sorted(set(roots))],
            )

    def complete(self) -> bool:
        return self.store.get_meta("snapshot_status") == "complete"

    def run(self) -> SnapshotStats:
        """Process pending entities nearest first (then by ARN) until none is left."""
        conn = self.store.read
        while True:
            with conn() as c:
                row = c.execute(
                    f"SELECT arn, distance FROM {PROGRESS_TABLE} WHERE done = 0"
                    " ORDER BY distance, arn LIMIT 1"
                ).fetchone()
                counts = c.execute(
                    f"SELECT COUNT(*), SUM(done != 0) FROM {PROGRESS_TABLE}"
                ).fetchone()
            self.stats.known, self.stats.done = int(counts[0]), int(counts[1] or 0)
            if row is None:
                break
            self._process(str(row[0]), int(row[1]))
            self.stats.done += 1
            if self.on_entity is not None:
                self.on_entity(self.stats, str(row[0]))
        with self.store.write() as c:
            c.execute(f"DROP TABLE IF EXISTS {PROGRESS_TABLE}")
        self.store.set_meta("snapshot_status", "complete")
        self.store.set_meta("snapshot_completed_utc", _utc_now())
        return self.stats

    def _describe(self, arn: str, kind: str) -> dict[str, Any] | None:
        describer = DESCRIBERS[kind]
        try:
            params = describer.params(arn, by_arn=True)  # the exact entity, in any account
            return dict(_call(self.client, describer.method, self.sleep, **params))
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in (
                "ResourceNotFound",
                "ValidationException",
            ):
                return None
            raise

    def _tags(self, arn: str) -> list[tuple[str, str, str]]:
        tags = _paged(self.client, "list_tags", "Tags", self.sleep, ResourceArn=arn, MaxResults=100)
        return [(arn, t["Key"], t.get("Value", "")) for t in tags]

    def _process(self, arn: str, distance: int) -> None:
        parsed = parse_arn(arn)
        kind = parsed.kind if parsed else None
        described = self._describe(arn, kind) if kind else None
        if kind is None or described is None:
            self.stats.missing += 1
            self._mark(arn, [], done=MISSING)
            return
        record = record_from_describe(kind, described)
        tags = self._tags(arn)
        source = described.get("Source") or {}
        if kind == TRIAL_COMPONENT and source.get("SourceArn"):
            tags += self._tags(str(source["SourceArn"]))  # e.g. the pipeline-execution tag
        summaries = [
            *_paged(self.client, "list_associations", "AssociationSummaries", self.sleep,
                    SourceArn=arn, MaxResults=100),
            *_paged(self.client, "list_associations", "AssociationSummaries", self.sleep,
                    DestinationArn=arn, MaxResults=100),
        ]  # fmt: skip
        others = {
            s["DestinationArn"] if s["SourceArn"] == arn else s["SourceArn"] for s in summaries
        }
        state = self._states(others)
        keep: list[AssociationRecord] = []
        frontier: list[str] = []
        for summary in summaries:
            other = (
                summary["DestinationArn"] if summary["SourceArn"] == arn else summary["SourceArn"]
            )
            if state.get(other) == DONE:
                keep.append(association_from_summary(summary))
            elif other not in state and self._within(distance + 1) and _is_entity(other):
                frontier.append(other)
                state[other] = PENDING
        self.store.bulk_insert([record], keep, tags)
        if kind == TRIAL_COMPONENT and record.name:
            self._copy_trials(record.arn, record.name)
        self.stats.associations += len(keep)
        self._mark(arn, sorted(set(frontier)), distance + 1)

    def _copy_trials(self, component_arn: str, component_name: str) -> None:
        """The trials holding a trial component, their experiments, tags and the membership."""
        summaries = list(
            _paged(self.client, "list_trials", "TrialSummaries", self.sleep,
                   TrialComponentName=component_name, MaxResults=100)
        )  # fmt: skip
        if not summaries:
            return
        records: dict[str, Tracked] = {}
        members: list[tuple[str, str, float]] = []
        for summary in summaries:
            trial = dict(_call(self.client, "describe_trial", self.sleep,
                               TrialName=summary["TrialName"]))  # fmt: skip
            experiment = dict(_call(self.client, "describe_experiment", self.sleep,
                                    ExperimentName=trial["ExperimentName"]))  # fmt: skip
            records.setdefault(experiment["ExperimentArn"], _tracked(EXPERIMENT, experiment))
            records[trial["TrialArn"]] = _tracked(TRIAL, trial, experiment)
            members.append((trial["TrialArn"], component_arn, epoch(trial["LastModifiedTime"])))
        tags = [t for arn in records for t in self._tags(arn)]
        ordered = sorted(records.values(), key=lambda r: r.kind != EXPERIMENT)
        Experiments(self.store).bulk_load(ordered, members, tags)

    def _within(self, distance: int) -> bool:
        return self.depth <= 0 or distance <= self.depth

    def _states(self, arns: set[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        items = sorted(arns)
        with self.store.read() as c:
            for start in range(0, len(items), 500):
                chunk = items[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for row in c.execute(
                    f"SELECT arn, done FROM {PROGRESS_TABLE} WHERE arn IN ({marks})", chunk
                ):
                    out[str(row[0])] = int(row[1])
        return out

    def _mark(self, arn: str, frontier: list[str], distance: int = 0, done: int = DONE) -> None:
        with self.store.write() as c:
            c.executemany(
                f"INSERT OR IGNORE INTO {PROGRESS_TABLE} (arn, distance) VALUES (?, ?)",
                [(other, distance) for other in frontier],
            )
            c.execute(f"UPDATE {PROGRESS_TABLE} SET done = ? WHERE arn = ?", (done, arn))


_EXPERIMENT_MEMBERS: Final = ("DisplayName", "Source", "Description")
_TRIAL_MEMBERS: Final = ("DisplayName", "Source", "MetadataProperties")


def _tracked(
    kind: str, described: dict[str, Any], experiment: dict[str, Any] | None = None
) -> Tracked:
    """A Describe{Experiment,Trial} answer as our record (what our service renders back)."""
    prefix = "Experiment" if kind == EXPERIMENT else "Trial"
    members = _EXPERIMENT_MEMBERS if kind == EXPERIMENT else _TRIAL_MEMBERS
    doc = {m: described[m] for m in members if described.get(m) is not None}
    return Tracked(
        kind,
        str(described[f"{prefix}Arn"]),
        str(described[f"{prefix}Name"]),
        epoch(described.get("CreationTime")),
        epoch(described.get("LastModifiedTime")),
        doc,
        experiment_arn=None if experiment is None else str(experiment["ExperimentArn"]),
        experiment_name=None if experiment is None else str(experiment["ExperimentName"]),
    )


def _is_entity(arn: str) -> bool:
    parsed = parse_arn(arn)
    return parsed is not None and parsed.kind is not None


def _utc_now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _reporter(bar: tqdm[Any]) -> Callable[[SnapshotStats, str], None]:
    """Entities done of those known so far, and associations, on the progress bar."""

    def report(stats: SnapshotStats, arn: str) -> None:
        bar.total = stats.known
        bar.set_postfix_str(f"{stats.associations} associations", refresh=False)
        bar.update(stats.done - bar.n)

    return report


def run_snapshot(args: argparse.Namespace) -> int:
    """`lineage-viz snapshot`: 0 when complete, 130 when interrupted (run again to resume)."""
    from viz_app.evidence.clients import connect

    parsed = parse_arn(args.arn[0])
    source_args = argparse.Namespace(**{**vars(args), "db": getattr(args, "source_db", None)})
    store = Store(args.db)
    try:
        if store.get_meta("snapshot_status") == "complete":
            print(f"snapshot: {args.db} is already complete", file=sys.stderr)
            return 0
        with (
            connect(
                source_args, region_hint=parsed.region if parsed else None, exact_times=True
            ) as conn,
            counter("snapshot", " entities", args) as bar,
        ):
            snap = Snapshot(store, conn.client, depth=args.depth, on_entity=_reporter(bar))
            snap.start(list(args.arn), conn.account, conn.region)
            stats = snap.run()
    except SnapshotError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nsnapshot: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    finally:
        store.close()
    print(
        f"snapshot: {stats.done} entities, {stats.associations} associations"
        f" ({stats.missing} not found) in {args.db}",
        file=sys.stderr,
    )
    return 0
