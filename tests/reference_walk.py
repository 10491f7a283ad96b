"""An independent impact reference: every association read through boto3's ListAssociations
(not QueryLineage, not our impact code), walked by networkx (`bench.nxref`, the reference the
benchmarks use too), with each entity's kind read from Describe*."""

from __future__ import annotations

from typing import Any

from bench import nxref

JOBS = {
    "SageMakerTrainingJob": "training job",
    "SageMakerProcessingJob": "processing job",
    "SageMakerTransformJob": "transform job",
}


def associations(client: Any) -> list[tuple[str, str]]:
    """Every (source, destination) pair in the region, read page by page."""
    pairs: list[tuple[str, str]] = []
    kwargs: dict[str, Any] = {"MaxResults": 100}
    while True:
        page = client.list_associations(**kwargs)
        pairs += [(s["SourceArn"], s["DestinationArn"]) for s in page["AssociationSummaries"]]
        if not page.get("NextToken"):
            return pairs
        kwargs["NextToken"] = page["NextToken"]


def hops_from(client: Any, start: str, forward: bool, depth: int = 10) -> dict[str, int]:
    """Hop count of every entity within `depth` of `start` along (or against) associations."""
    return nxref.hops(nxref.from_associations(associations(client)), start, forward, depth)


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
