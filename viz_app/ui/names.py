"""What people call lineage entities: a per-account name cache, filled in parallel.

Artifacts are identified by a hash; people know them by their source (an S3 URI, an ECR
image, a model package). A source never changes, so a name fetched once is good for ever:
the book keeps every name it learns (on disk too, when given a path) and fetches only what
it lacks, with Describe calls made in parallel by a bounded pool (the client's adaptive
retries pace them), or with ListArtifacts pages when many are missing at once, which
covers a big view in a few calls instead of one call per vertex.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

from viz_app.client.describe import describe
from viz_app.client.paging import Pages
from viz_app.ui.labels import artifact_label, short_label

WORKERS: Final = 8
DESCRIBE_BATCH: Final = 64  # Describe calls made under the lock at a time
LIST_WHEN_MISSING: Final = 40  # this many unnamed artifacts or more: list pages first
LIST_PAGE: Final = 100
LIST_PAGE_SLACK: Final = 2  # pages listed beyond missing/100 before Describe takes over
RETRY_FAILED_S: Final = 300.0  # an entity that could not be described is not asked again sooner


@dataclass(frozen=True)
class Naming:
    """The facts about an entity that never change: given name, source, creation time."""

    name: str = ""
    uri: str = ""
    created: str = ""  # ISO 8601, UTC
    group: str = ""  # a model package's group name, as written in its Properties
    kind: str = ""  # ArtifactType, ContextType or ActionType (for the default direction)

    def label(self, arn: str, vertex_type: str | None = None, lineage_type: str = "") -> str:
        """The one-line label a person recognises."""
        if ":artifact/" in arn:
            return artifact_label(
                self.name, self.uri, {"ModelPackageGroupName": self.group} if self.group else None
            )
        return short_label(arn, vertex_type, lineage_type)


def _iso(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return str(value) if value else ""


def naming_from(item: Mapping[str, Any]) -> Naming:
    """A Naming from a Describe* answer or a ListArtifacts summary."""
    source = item.get("Source") or {}
    props = item.get("Properties") or {}
    name = next(
        (
            str(item[k])
            for k in ("ArtifactName", "ContextName", "ActionName", "TrialComponentName")
            if item.get(k)
        ),
        "",
    )
    return Naming(
        name=name,
        uri=str(source.get("SourceUri") or source.get("SourceArn") or ""),
        created=_iso(item.get("CreationTime")),
        group=str(props.get("ModelPackageGroupName") or ""),
        kind=str(
            item.get("ArtifactType") or item.get("ContextType") or item.get("ActionType") or ""
        ),
    )


def default_cache_path(account: str | None, region: str) -> Path:
    """Where `--backend aws` keeps names between runs (one file per account and region)."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "lineage-viz" / f"names-{account or 'unknown'}-{region}.jsonl"


class NameBook:
    """Names of one account and region's lineage entities, learned once and kept.

    `client` is a (read-only) boto3 SageMaker client; `path`, a JSON-lines file that keeps
    names across restarts. Thread-safe; `stats` counts calls and cache hits.
    """

    def __init__(self, client: Any, path: Path | None = None, workers: int = WORKERS) -> None:
        self._client = client
        self._path = path
        self._workers = workers
        self._names: dict[str, Naming] = {}
        self._failed: dict[str, float] = {}  # arn -> when its Describe failed (monotonic)
        self._lock = threading.Lock()
        self._fill_lock = threading.Lock()
        self._version = 0
        self.stats: Counter[str] = Counter()
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        for line in lines:
            try:
                row = json.loads(line)
                arn = row.pop("arn")
                self._names[str(arn)] = Naming(**{k: str(v) for k, v in row.items()})
            except (ValueError, TypeError, KeyError, AttributeError):
                continue  # a torn last line after a crash: that name is fetched again

    def _keep(self, found: Mapping[str, Naming]) -> None:
        if not found:
            return
        with self._lock:
            fresh = {a: n for a, n in found.items() if a not in self._names}
            self._names.update(fresh)
            self._version += bool(fresh)
            if self._path is None or not fresh:
                return
            try:
                self._path.parent.mkdir(parents=True, exist_ok=True)
                with self._path.open("a", encoding="utf-8") as out:
                    for arn, naming in fresh.items():
                        out.write(json.dumps({"arn": arn, **asdict(naming)}) + "\n")
            except OSError:
                pass  # a read-only home only costs the next run a few calls

    @property
    def version(self) -> int:
        """Grows whenever a name is learned: what was made from the names known at one
        version (a view's labels) holds until it changes."""
        with self._lock:
            return self._version

    def learn(self, arn: str, answer: Mapping[str, Any]) -> None:
        """Keep the name in a Describe answer the page got anyway (a click)."""
        self._keep({arn: naming_from(answer)})

    def known(self, arns: Iterable[str]) -> dict[str, Naming]:
        """The names already learned for `arns` (no call)."""
        with self._lock:
            return {a: self._names[a] for a in arns if a in self._names}

    def labels(self, vertices: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        """One-line labels of `vertices` from what is known (ARN-derived for the rest)."""
        out: dict[str, str] = {}
        with self._lock:
            for vertex in vertices:
                arn = vertex["Arn"]
                naming = self._names.get(arn)
                vtype, ltype = vertex.get("Type"), str(vertex.get("LineageType") or "")
                out[arn] = (
                    naming.label(arn, vtype, ltype) if naming else short_label(arn, vtype, ltype)
                )
        return out

    def unnamed(self, arns: Iterable[str]) -> list[str]:
        """The artifacts among `arns` whose names are not known yet (their labels are hashes),
        leaving out those whose Describe failed in the last `RETRY_FAILED_S` seconds."""
        return self._to_ask(a for a in arns if ":artifact/" in a)

    def _to_ask(self, arns: Iterable[str]) -> list[str]:
        """Those of `arns` with no name yet and no Describe failure in `RETRY_FAILED_S`."""
        now = time.monotonic()
        with self._lock:
            return [
                a
                for a in arns
                if a not in self._names
                and now - self._failed.get(a, -RETRY_FAILED_S) >= RETRY_FAILED_S
            ]

    def fill(self, arns: Iterable[str], *, every_kind: bool = False) -> dict[str, Naming]:
        """Learn the names of `arns` that are not known, then return every known one.

        Only artifacts need a call for a label; `every_kind` also describes contexts,
        actions and trial components (for their source and creation time, as exports
        list them). Entities that cannot be described are left out.
        """
        wanted = list(dict.fromkeys(arns))
        todo = [a for a in wanted if every_kind or ":artifact/" in a]
        missing = self._to_ask(todo)
        with self._lock:
            self.stats["hits"] += len(todo) - len(missing)
        if len([a for a in missing if ":artifact/" in a]) >= LIST_WHEN_MISSING:
            with self._fill_lock:  # two askers of one view share the listing
                artifacts = set(self.unnamed(missing))
                if len(artifacts) >= LIST_WHEN_MISSING:
                    self._keep(self._list_artifacts(artifacts))
        # Describe what is left in small batches, letting go of the lock between them, so
        # that a page asking for the names in view is not queued behind a whole big view.
        for k in range(0, len(missing), DESCRIBE_BATCH):
            batch = missing[k : k + DESCRIBE_BATCH]
            with self._fill_lock:
                known = self.known(batch)
                self._keep(self._describe_all([a for a in batch if a not in known]))
        return self.known(wanted)

    def fill_within(self, arns: Iterable[str], seconds: float) -> None:
        """`fill` for at most `seconds`; what is not learned by then goes on being fetched
        in the background (and kept), so a later ask finds it."""
        todo = self.unnamed(arns)
        if not todo:
            return
        worker = threading.Thread(target=self.fill, args=(todo,), daemon=True)
        worker.start()
        worker.join(seconds)

    def _list_artifacts(self, wanted: set[str]) -> dict[str, Naming]:
        """ListArtifacts pages (newest first) until every wanted artifact is seen, the page
        budget is spent, or pages name fewer wanted artifacts than they cost; what a page
        brings beyond `wanted` is kept too.

        A page of artifacts the book knew already (the newest, named by an earlier view) is
        passed over rather than taken as a sign that listing does not pay, up to one such
        page per page the wanted artifacts fill.
        """
        skippable = len(wanted) // LIST_PAGE + 1
        budget = len(wanted) // LIST_PAGE + 1 + LIST_PAGE_SLACK + skippable
        found: dict[str, Naming] = {}
        request = {"MaxResults": LIST_PAGE, "SortBy": "CreationTime", "SortOrder": "Descending"}
        pages = Pages(self._client.list_artifacts, request, max_pages=budget)
        listing = iter(pages)
        skipped = 0
        while True:
            try:
                page = next(listing, None)
            except Exception:  # Describe calls fill what listing did not
                break
            if page is None:
                break
            self.stats["list_pages"] += 1
            arns = []
            for item in page.get("ArtifactSummaries") or ():
                if item.get("ArtifactArn"):
                    arns.append(str(item["ArtifactArn"]))
                    found[arns[-1]] = naming_from(item)
            if arns and len(self.known(arns)) == len(arns):
                skipped += 1
                if skipped > skippable:
                    break
                continue
            named = len(wanted & found.keys())
            # Listing pays while each page names at least one wanted artifact; past that a
            # Describe per artifact is cheaper (at most one page is spent in vain).
            if named == len(wanted) or named < pages.calls - skipped:
                break
        return found

    def _describe_all(self, arns: list[str]) -> dict[str, Naming]:
        if not arns:
            return {}
        try:
            with ThreadPoolExecutor(max_workers=min(self._workers, len(arns))) as pool:
                results = list(pool.map(self._describe_one, arns))
        except RuntimeError:  # the process is exiting under a background fill: nothing to keep
            return {}
        return {arn: naming for arn, naming in zip(arns, results, strict=True) if naming}

    def _describe_one(self, arn: str) -> Naming | None:
        try:
            answer = describe(self._client, arn)
            if answer is None:
                return None
        except Exception:  # one entity's failure costs only its name
            with self._lock:
                self.stats["failures"] += 1
                self._failed[arn] = time.monotonic()
            return None
        with self._lock:
            self.stats["describes"] += 1
        return naming_from(answer)

    def entity_type(self, arn: str) -> str:
        """The ArtifactType / ContextType / ActionType of `arn` ("" when it cannot be told);
        one Describe the first time, none after."""
        if ":experiment-trial-component/" in arn:
            return ""
        naming = self.fill([arn], every_kind=True).get(arn)
        return naming.kind if naming else ""

    def described(
        self, vertices: Iterable[Mapping[str, Any]], *, fetch: bool, every_kind: bool = False
    ) -> dict[str, dict[str, str]]:
        """{arn: {label, uri, created}} for tables and exports; with `fetch`, names not
        known yet are fetched first (artifacts; every kind with `every_kind`)."""
        listed = list(vertices)
        if fetch:
            self.fill((v["Arn"] for v in listed), every_kind=every_kind)
        labels = self.labels(listed)
        known = self.known(labels)
        return {
            arn: {
                "label": label,
                "uri": known[arn].uri if arn in known else "",
                "created": known[arn].created if arn in known else "",
            }
            for arn, label in labels.items()
        }


def with_names(
    names: NameBook,
    vertices: list[dict[str, Any]],
    described: Mapping[str, Any] | None,
    *,
    every_kind: bool = False,
) -> dict[str, Any]:
    """Names, sources and creation times of `vertices` for tables and exports (fetched where
    missing; every kind's with `every_kind`), plus the creation times the page's Describe
    calls added (the clicked entities)."""
    out: dict[str, Any] = names.described(vertices, fetch=True, every_kind=every_kind)
    for arn, extra in (described or {}).items():
        if arn in out and extra.get("created") and not out[arn]["created"]:
            out[arn] = {**out[arn], "created": extra["created"]}
    return out
