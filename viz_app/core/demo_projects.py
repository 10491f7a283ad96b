"""One demo ML project: a pipeline's jobs, model registry versions and endpoint deployments."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from viz_app.core.demo_shapes import ASSOCIATED_WITH, LineageBuilder


@dataclass(frozen=True)
class ProjectSpec:
    """What to generate for one project (all names lowercase-hyphenated unless noted)."""

    name: str
    bucket: str
    processing_image: str
    training_image: str
    framework: str
    raw_files: tuple[str, ...]
    runs: int
    #: Approval status of each registered version, in version order (1, 2, ...).
    versions: tuple[str, ...]
    #: Endpoint name -> the versions deployed to it, oldest first.
    endpoints: dict[str, tuple[int, ...]]
    evaluations: int = 1
    transforms: int = 1
    featurize: bool = False
    team: str = "ml-platform"


@dataclass
class ProjectResult:
    """Notable ARNs and URIs of one generated project."""

    name: str
    pipeline_execution_arn: str
    train_uri: str
    experiment_name: str = ""
    trial_name: str = ""
    training_job_arns: list[str] = field(default_factory=list)
    model_package_arns: list[str] = field(default_factory=list)
    model_package_artifact_arns: list[str] = field(default_factory=list)
    endpoint_arns: list[str] = field(default_factory=list)
    endpoint_context_arns: list[str] = field(default_factory=list)


def pascal(name: str) -> str:
    """`demand-forecast` -> `DemandForecast`."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


def _stamp(b: LineageBuilder) -> str:
    return time.strftime("%y%m%d%H%M", time.gmtime(b.now))


def _hyperparameters(b: LineageBuilder, framework: str) -> dict[str, float | str]:
    r = b.rng
    if framework == "xgboost":
        return {
            "eta": round(r.uniform(0.05, 0.4), 3),
            "max_depth": float(r.randint(3, 10)),
            "subsample": round(r.uniform(0.6, 1.0), 2),
            "num_round": float(r.choice([50, 100, 200, 400])),
            "objective": r.choice(["binary:logistic", "reg:squarederror"]),
        }
    if framework == "deepar":
        return {
            "context_length": float(r.choice([14, 28, 56])),
            "prediction_length": 14.0,
            "epochs": float(r.randint(20, 100)),
            "learning_rate": round(r.uniform(1e-4, 1e-2), 5),
        }
    return {
        "learning_rate": round(r.uniform(1e-5, 1e-3), 6),
        "epochs": float(r.randint(2, 20)),
        "batch_size": float(r.choice([16, 32, 64, 128])),
        "optimizer": r.choice(["adamw", "sgd"]),
    }


def _register(
    b: LineageBuilder,
    group: str,
    group_context: str,
    version: int,
    status: str,
    model_uri: str,
    image_uri: str,
) -> tuple[str, str]:
    """Register a model package version; returns (model-package ARN, its artifact ARN)."""
    package_arn = b.arn("model-package", f"{group.lower()}/{version}")
    artifact = b.artifact(
        package_arn,
        "Model",
        id_type="Custom",
        id_value=f"ModelPackageVersion={version}",
        properties={"ModelPackageGroupName": group, "ModelApprovalStatus": status},
    )
    b.associate(b.uri_arn(model_uri), artifact)
    b.associate(b.uri_arn(image_uri), artifact)
    approval = b.action(
        f"{group.lower()}-{version}-{status}-{b.token(10)}",
        "Approval",
        package_arn,
        "ApprovalStatus",
        {"ModelApprovalStatus": status},
    )
    b.associate(approval, artifact)
    b.associate(artifact, group_context, ASSOCIATED_WITH)
    return package_arn, artifact


def _deploy(
    b: LineageBuilder, endpoint: str, context: str | None, inputs: list[str], team: str
) -> str:
    """A ModelDeployment action fed by `inputs`, AssociatedWith the endpoint's context."""
    endpoint_arn = b.arn("endpoint", endpoint)
    if context is None:
        context = b.context(
            f"{endpoint}-{int(b.now)}-aws-endpoint",
            "Endpoint",
            endpoint_arn,
            "AWS::SageMaker::Endpoint",
            f"Real-time inference endpoint {endpoint}",
        )
        b.tag(context, "team", team)
    b.tick(60, 600)
    config_arn = b.arn("endpoint-config", f"{endpoint}-config-{int(b.now)}")
    action = b.action(
        f"{endpoint}-{int(b.now)}-aws-model-deployment",
        "ModelDeployment",
        config_arn,
        "AWS::SageMaker::EndpointConfig",
        {"EndpointArn": endpoint_arn},
    )
    for arn in inputs:
        b.associate(arn, action)
    b.associate(action, context, ASSOCIATED_WITH)
    return context


def add_project(b: LineageBuilder, spec: ProjectSpec) -> ProjectResult:
    """Generate one project's pipeline execution and everything it left in the lineage graph."""
    root = f"s3://{spec.bucket}/{spec.name}"
    pipeline = f"{pascal(spec.name)}Pipeline"
    execution_id = b.token(12)
    execution = b.arn("pipeline", f"{pipeline.lower()}/execution/{execution_id}")
    b.pipeline_run(pipeline, execution_id, execution)
    b.image(spec.processing_image)
    b.image(spec.training_image)
    proc_image = {"SageMaker.ImageUri": spec.processing_image}
    train_image = {"SageMaker.ImageUri": spec.training_image}
    # Raw data -> (clean ->) train/validation/test, so datasets have upstream datasets.
    raw = {f"input-{i + 1}": f"{root}/raw/{f}" for i, f in enumerate(spec.raw_files)}
    split = {c: f"{root}/data/{c}/{c}.csv" for c in ("train", "validation", "test")}
    clean = {"clean": f"{root}/interim/clean.parquet"}
    code = {"code": f"{root}/code/preprocess.py"}
    _datasets(b, {**raw, **code})
    baseline = {"baseline": f"{root}/baseline/statistics.json"}
    first_out = {**(clean if spec.featurize else split), **baseline}
    _datasets(b, first_out)
    b.job(
        "processing",
        f"{spec.name}-preprocess-{_stamp(b)}",
        {**raw, **code, **proc_image},
        first_out,
        parameters={"instance_count": 1.0},
        pipeline_execution=execution,
    )
    if spec.featurize:
        feat_code = {"code": f"{root}/code/featurize.py"}
        _datasets(b, {**feat_code, **split})
        b.job(
            "processing",
            f"{spec.name}-featurize-{_stamp(b)}",
            {**clean, **feat_code, **proc_image},
            split,
            pipeline_execution=execution,
        )
    result = ProjectResult(spec.name, execution, split["train"], pipeline, execution_id)
    # Training runs (a tuning job's trials), each consuming the same datasets.
    channels = ("train", "validation") if spec.framework == "xgboost" else tuple(split)
    models: list[str] = []
    stamp = _stamp(b)
    for run in range(spec.runs):
        job = f"{spec.name}-train-{stamp}-{run + 1:03d}"
        model = f"{root}/models/{job}/output/model.tar.gz"
        b.artifact(model, "Model")
        trained = b.job(
            "training",
            job,
            {**{c: split[c] for c in channels}, **train_image},
            {"SageMaker.ModelArtifact": model},
            parameters=_hyperparameters(b, spec.framework),
            pipeline_execution=execution,
        )
        b.tag(trained.job_arn, "project", spec.name)
        b.tag(trained.job_arn, "team", spec.team)
        result.training_job_arns.append(trained.job_arn)
        models.append(model)
    # Evaluate the first models on the test set: a processing job that consumes a model.
    eval_code = {"code": f"{root}/code/evaluate.py"}
    _datasets(b, eval_code)
    for i, model in enumerate(models[: spec.evaluations]):
        job = f"{spec.name}-evaluate-{_stamp(b)}-{i + 1:03d}"
        report = {"evaluation": f"{root}/evaluation/{job}/evaluation.json"}
        _datasets(b, report)
        inputs = {"model": model, "validation": split["validation"], "test": split["test"]}
        b.job(
            "processing",
            job,
            {**inputs, **baseline, **eval_code, **train_image},
            report,
            pipeline_execution=execution,
        )
    # Batch transform with the first model.
    batch_in = {"input": f"{root}/batch/input/scoring.csv"}
    _datasets(b, batch_in)
    for i in range(spec.transforms):
        job = f"{spec.name}-transform-{_stamp(b)}-{i + 1:03d}"
        out = {"output": f"{root}/batch/output/{job}/scoring.csv.out"}
        _datasets(b, out)
        b.job(
            "transform",
            job,
            {"model": models[0], **batch_in, **train_image},
            out,
            pipeline_execution=execution,
        )
    _registry_and_endpoints(b, spec, execution, models, result)
    return result


def _datasets(b: LineageBuilder, uris: dict[str, str]) -> None:
    for uri in uris.values():
        b.dataset(uri)


def _registry_and_endpoints(
    b: LineageBuilder,
    spec: ProjectSpec,
    execution: str,
    models: list[str],
    result: ProjectResult,
) -> None:
    group = f"{pascal(spec.name)}PackageGroup"
    group_arn = b.arn("model-package-group", group.lower())
    group_context = b.context(
        f"{group}-{int(b.now)}-aws-model-package-group",
        "ModelGroup",
        group_arn,
        "AWS::SageMaker::ModelPackageGroup",
        f"Model registry group for {spec.name}",
        {"PipelineExecutionArn": execution},
    )
    b.tag(group_context, "project", spec.name)
    package_models: dict[int, tuple[str, str]] = {}
    for version, status in enumerate(spec.versions, start=1):
        model = models[(version - 1) % len(models)]
        b.tick(300, 3600)
        pkg, artifact = _register(
            b, group, group_context, version, status, model, spec.training_image
        )
        package_models[version] = (model, artifact)
        result.model_package_arns.append(pkg)
        result.model_package_artifact_arns.append(artifact)
    image = b.uri_arn(spec.training_image)
    for endpoint, versions in spec.endpoints.items():
        context: str | None = None
        for version in versions:
            model, artifact = package_models[version]
            context = _deploy(b, endpoint, context, [b.uri_arn(model), artifact, image], spec.team)
        if context is not None:
            result.endpoint_arns.append(b.arn("endpoint", endpoint))
            result.endpoint_context_arns.append(context)
