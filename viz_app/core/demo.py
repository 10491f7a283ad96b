"""The demo lineage graph: a deterministic, SageMaker-shaped store for the app and benchmarks."""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from viz_app.core.demo_catalog import PAIR_ENDPOINTS, generated, showcase, team_boundary
from viz_app.core.demo_projects import ProjectResult, add_project
from viz_app.core.demo_shapes import LineageBuilder
from viz_app.core.model import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from viz_app.core.store import Store

BASE_TIME: Final = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()
BATCH_RECORDS: Final = 20_000


@dataclass(frozen=True)
class DemoSummary:
    """What `build_demo` wrote, plus notable ARNs to start exploring from."""

    entities: int
    associations: int
    tags: int
    projects: int
    endpoint_arns: tuple[str, ...]
    endpoint_context_arns: tuple[str, ...]
    model_package_arn: str
    model_package_artifact_arn: str
    training_dataset_uri: str
    training_job_arn: str
    pipeline_execution_arn: str
    #: The experiment Pipelines made for the first project's pipeline, and its execution's trial.
    experiment_name: str
    trial_name: str
    #: Endpoint contexts of two projects connected only through `shared_image_uri`.
    shared_image_pair: tuple[str, str]
    shared_image_uri: str


def build_demo(
    store: Store,
    *,
    scale: int = 1,
    seed: int = 0,
    region: str = DEFAULT_REGION,
    account: str = DEFAULT_ACCOUNT_ID,
) -> DemoSummary:
    """Write the showcase projects, plus `scale - 1` generated ones, in batched transactions."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    rng = random.Random(seed)
    b = LineageBuilder(rng, region, account, BASE_TIME)
    specs = showcase(region, account)
    results = [add_project(b, spec) for spec in specs]
    b.forget()  # generated projects use their teams' own buckets and images
    for index in range(1, scale):
        if team_boundary(index):
            b.forget()
        add_project(b, generated(index, rng, region, account))
        if b.pending() >= BATCH_RECORDS:
            b.flush(store)
    b.flush(store)
    return _summary(b, results, len(specs) + scale - 1, specs[0].training_image)


def _summary(
    b: LineageBuilder, results: list[ProjectResult], projects: int, shared_image: str
) -> DemoSummary:
    first = results[0]
    contexts = {
        arn: ctx
        for r in results
        for arn, ctx in zip(r.endpoint_arns, r.endpoint_context_arns, strict=True)
    }
    pair = tuple(contexts[b.arn("endpoint", name)] for name in PAIR_ENDPOINTS)
    return DemoSummary(
        entities=b.counts["entities"],
        associations=b.counts["associations"],
        tags=b.counts["tags"],
        projects=projects,
        endpoint_arns=tuple(contexts),
        endpoint_context_arns=tuple(contexts.values()),
        model_package_arn=first.model_package_arns[0],
        model_package_artifact_arn=first.model_package_artifact_arns[0],
        training_dataset_uri=first.train_uri,
        training_job_arn=first.training_job_arns[0],
        pipeline_execution_arn=first.pipeline_execution_arn,
        experiment_name=first.experiment_name,
        trial_name=first.trial_name,
        shared_image_pair=(pair[0], pair[1]),
        shared_image_uri=shared_image,
    )


def run_demo_command(args: argparse.Namespace) -> int:
    """`lineage-viz demo`: build the demo into `args.db` and print a one-line summary."""
    started = time.perf_counter()
    store = Store(args.db)
    try:
        summary = build_demo(
            store, scale=args.scale, seed=args.seed, region=args.region, account=args.account_id
        )
    finally:
        store.close()
    elapsed = time.perf_counter() - started
    print(
        f"demo: {summary.entities} entities, {summary.associations} associations"
        f" in {elapsed:.1f}s -> {args.db}"
    )
    return 0
