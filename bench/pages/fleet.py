"""Synthetic lineage-shaped graphs of a chosen size: a family of images and its model fleet.

One family is a base image with derived images, each used by up to 10 training jobs. A job
reads a processed data set (made by a processing job from a raw data set shared by 4 jobs)
and produces a model, which is deployed to its own endpoint and registered in a model group
shared by 6 jobs. Fan-outs stay at most 12 per type and side, so the explorer collapses
nothing and every renderer draws the same vertices. Both/depth 10 from the base image
returns the whole family (its farthest vertices are 6 hops away).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Final

from viz_app.core.demo_shapes import ASSOCIATED_WITH, CONTRIBUTED_TO, LineageBuilder
from viz_app.core.model import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from viz_app.core.store import Store

JOBS_PER_IMAGE: Final = 10
JOBS_PER_RAW: Final = 4
JOBS_PER_GROUP: Final = 6
VERTICES_PER_JOB: Final = 6 + 1 / JOBS_PER_RAW + 1 / JOBS_PER_GROUP + 1 / JOBS_PER_IMAGE
BASE_TIME: Final = 1_772_000_000.0


@dataclass(frozen=True)
class Family:
    """One synthetic graph: its start (the base image) and one endpoint context far from it."""

    name: str
    base_image_arn: str
    endpoint_context_arn: str
    jobs: int


def jobs_for(vertices: int) -> int:
    """Number of training jobs that makes a family of about `vertices` vertices."""
    return max(1, round((vertices - 2) / VERTICES_PER_JOB))


def add_family(b: LineageBuilder, name: str, jobs: int) -> Family:
    """Add one family of `jobs` training jobs to `b` (flush it to a store afterwards)."""
    registry = f"123456789012.dkr.ecr.{b.region}.amazonaws.com"
    base = b.image(f"{registry}/{name}-base:1")
    leaves = math.ceil(jobs / JOBS_PER_IMAGE)
    mids = max(1, math.isqrt(leaves))
    mid_images = [b.image(f"{registry}/{name}-mid{m}:1") for m in range(mids)]
    for mid in mid_images:
        b.associate(base, mid, CONTRIBUTED_TO)
    leaf_images = []
    for k in range(leaves):
        leaf = b.image(f"{registry}/{name}-team{k}:2")
        b.associate(mid_images[k % mids], leaf, CONTRIBUTED_TO)
        leaf_images.append(f"{registry}/{name}-team{k}:2")
    bucket = f"s3://{name}-ml"
    groups: list[str] = []
    endpoint = ""
    for j in range(jobs):
        raw = f"{bucket}/raw/part-{j // JOBS_PER_RAW}.csv"
        b.dataset(raw)
        processed = f"{bucket}/processed/job-{j}/train.csv"
        b.dataset(processed)
        b.job("processing", f"{name}-prep-{j}", {"input": raw}, {"train": processed})
        model_uri = f"{bucket}/models/job-{j}/model.tar.gz"
        b.artifact(model_uri, "Model")
        image = leaf_images[j // JOBS_PER_IMAGE]
        b.job(
            "training", f"{name}-train-{j}", {"train": processed, "image": image}, {"m": model_uri}
        )
        model = b.uri_arn(model_uri)
        if j % JOBS_PER_GROUP == 0:
            group = f"{name}-models-{j // JOBS_PER_GROUP}"
            groups.append(
                b.context(group, "ModelGroup", f"arn:{group}", "ModelPackageGroup", "models")
            )
        b.associate(model, groups[-1], ASSOCIATED_WITH)
        ep_name = f"{name}-ep-{j}"
        ep_arn = b.arn("endpoint", ep_name)
        deploy = b.action(f"{name}-deploy-{j}", "ModelDeployment", ep_arn, "SageMakerEndpoint")
        context = b.context(f"{ep_name}-ctx", "Endpoint", ep_arn, "SageMakerEndpoint", "endpoint")
        b.associate(model, deploy, CONTRIBUTED_TO)
        b.associate(deploy, context, ASSOCIATED_WITH)
        endpoint = endpoint or context
    return Family(name, base, endpoint, jobs)


def build_families(store: Store, sizes: dict[str, int], seed: int = 0) -> dict[str, Family]:
    """Write one family per name (about `sizes[name]` vertices each) into `store`."""
    b = LineageBuilder(random.Random(seed), DEFAULT_REGION, DEFAULT_ACCOUNT_ID, BASE_TIME)
    families = {name: add_family(b, name, jobs_for(n)) for name, n in sizes.items()}
    b.flush(store)
    return families
