"""DescribeModelPackage for the model packages the store knows as Model artifacts.

SageMaker's lineage keeps a model package as a `Model` artifact whose source is the package
ARN; the image and model data that went into it are associated into that artifact. The
Describe answer is rebuilt from them: enough for the SDK's lineage helpers and the app.
"""

from __future__ import annotations

from typing import Any

from viz_app.api.request import RequestContext
from viz_app.core.errors import ValidationError
from viz_app.core.model import ARTIFACT, EntityRecord, parse_arn
from viz_app.core.store import Page

Params = dict[str, Any]


def _package_artifact(ctx: RequestContext, name: str) -> tuple[str, EntityRecord] | None:
    """The Model artifact of a package given by ARN, or by the name of an unversioned one."""
    parsed = parse_arn(name)
    if parsed is not None:
        if parsed.resource != "model-package" or parsed.region != ctx.region:
            return None
        arn = name
    else:
        arn = ctx.arn("model-package", name.lower())
    rows = ctx.store.list_entities(ARTIFACT, ctx.region, source_uri=arn, page=Page(None, 2))
    models = [r for r in rows if r.entity_type == "Model"]
    return (arn, models[0]) if models else None


def describe_model_package(ctx: RequestContext, p: Params) -> Params:
    name = p["ModelPackageName"]
    found = _package_artifact(ctx, name)
    if found is None:
        # A versioned package is named by its ARN; its group name names no package.
        raise ValidationError(f"ModelPackage {name} does not exist.")
    arn, artifact = found
    props = artifact.doc.get("Properties") or {}
    path = arn.split(":model-package/", 1)[1]
    group, _, version = path.partition("/")
    out: Params = {"ModelPackageName": props.get("ModelPackageGroupName") or group}
    if version.isdigit():
        out["ModelPackageGroupName"] = props.get("ModelPackageGroupName") or group
        out["ModelPackageVersion"] = int(version)
    out["ModelPackageArn"] = arn
    out["CreationTime"] = artifact.created
    inputs = ctx.store.get_entities(s for s, _, _ in ctx.store.edges_from([artifact.arn], False))
    images = sorted(
        r.source_uri for r in inputs.values() if r.entity_type == "Image" and r.source_uri
    )
    data = sorted(
        r.source_uri
        for r in inputs.values()
        if r.entity_type == "Model" and r.source_uri and r.source_uri.startswith("s3://")
    )
    if images:
        container: Params = {"Image": images[0]}
        if data:
            container["ModelDataUrl"] = data[0]
        out["InferenceSpecification"] = {"Containers": [container]}
    out["ModelPackageStatus"] = "Completed"
    out["ModelPackageStatusDetails"] = {"ValidationStatuses": []}
    if props.get("ModelApprovalStatus"):
        out["ModelApprovalStatus"] = props["ModelApprovalStatus"]
    out["LastModifiedTime"] = artifact.modified
    return out
