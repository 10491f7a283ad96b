"""An independent impact reference: a breadth-first walk over ListAssociations through boto3
(not QueryLineage, not our impact code), with each entity's kind read from Describe*."""

from __future__ import annotations

from collections import deque
from typing import Any

JOBS = {
    "SageMakerTrainingJob": "training job",
    "SageMakerProcessingJob": "processing job",
    "SageMakerTransformJob": "transform job",
}


def _neighbours(client: Any, arn: str, forward: bool) -> set[str]:
    key, other = ("SourceArn", "DestinationArn") if forward else ("DestinationArn", "SourceArn")
    found: set[str] = set()
    kwargs: dict[str, Any] = {key: arn, "MaxResults": 100}
    while True:
        page = client.list_associations(**kwargs)
        found |= {s[other] for s in page["AssociationSummaries"]}
        if not page.get("NextToken"):
            return found
        kwargs["NextToken"] = page["NextToken"]


def hops_from(client: Any, start: str, forward: bool, depth: int = 10) -> dict[str, int]:
    """Hop count of every entity within `depth` of `start` along (or against) associations."""
    dist = {start: 0}
    queue = deque([start])
    while queue:
        arn = queue.popleft()
        if dist[arn] == depth:
            continue
        for nxt in sorted(_neighbours(client, arn, forward)):
            if nxt not in dist:
                dist[nxt] = dist[arn] + 1
                queue.append(nxt)
    return dist


def kind(client: Any, arn: str) -> str | None:
    """The impact kind of `arn` (endpoint, model package, model, dataset, image, a job)."""
    if ":artifact/" in arn:
        art = client.describe_artifact(ArtifactArn=arn)
        uri = art["Source"]["SourceUri"]
        return {
            "Model": "model package" if ":model-package/" in uri else "model",
            "DataSet": "dataset",
            "Image": "image",
        }.get(art.get("ArtifactType", ""))
    name = arn.rsplit("/", 1)[-1]
    if ":context/" in arn:
        ctx = client.describe_context(ContextName=name)
        return "endpoint" if ctx.get("ContextType") == "Endpoint" else None
    if ":experiment-trial-component/" in arn:
        tc = client.describe_trial_component(TrialComponentName=name)
        return JOBS.get((tc.get("Source") or {}).get("SourceType", ""), "job")
    return None


def impact(client: Any, start: str, downstream: bool = True) -> dict[str, tuple[str, int]]:
    """{arn: (kind, hops)} of what `start` reaches downstream (models, model packages,
    endpoints) or what went into it upstream (datasets, images, jobs)."""
    wanted = (
        {"endpoint", "model package", "model"}
        if downstream
        else {"dataset", "image", "training job", "processing job", "transform job", "job"}
    )
    out: dict[str, tuple[str, int]] = {}
    for arn, hops in hops_from(client, start, downstream).items():
        found = kind(client, arn) if arn != start else None
        if found in wanted:
            out[arn] = (found, hops)
    return out
