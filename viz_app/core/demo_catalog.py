"""Demo project specs: the hand-shaped showcase (scale 1) and generated projects for scale N."""

from __future__ import annotations

import random
from typing import Final

from viz_app.core.demo_projects import ProjectSpec

APPROVED: Final = "Approved"
PENDING: Final = "PendingManualApproval"

# The two showcase endpoints whose projects share nothing but the XGBoost image.
PAIR_ENDPOINTS: Final = ("churn-prod", "fraud-detection-realtime")

_TEAM_SIZE: Final = 10
_TEAMS: Final = ("risk", "growth", "supply", "payments", "support", "ads", "vision", "ops")
# Use case -> (framework, raw files).
_USE_CASES: Final = {
    "churn": ("xgboost", ("customers.csv", "usage-events.csv")),
    "fraud": ("xgboost", ("transactions.parquet", "chargebacks.csv")),
    "abalone": ("xgboost", ("abalone.csv",)),
    "demand-forecast": ("deepar", ("sales-history.csv", "holidays.csv", "stores.csv")),
    "credit-risk": ("xgboost", ("applications.csv", "bureau.csv")),
    "lifetime-value": ("xgboost", ("orders.parquet", "customers.csv")),
    "product-recs": ("pytorch", ("interactions.parquet", "catalog.json")),
    "review-sentiment": ("huggingface", ("reviews.jsonl",)),
    "predictive-maintenance": ("xgboost", ("sensor-readings.parquet", "work-orders.csv")),
    "ad-click-through": ("pytorch", ("impressions.parquet", "clicks.parquet")),
    "lead-scoring": ("xgboost", ("leads.csv", "crm-activity.csv")),
    "call-intent": ("huggingface", ("transcripts.jsonl", "intents.csv")),
}
_FRAMEWORK_IMAGES: Final = {
    "xgboost": "xgboost:1.7-1",
    "deepar": "forecasting-deepar:1",
    "pytorch": "pytorch-training:2.1.0-gpu-py310",
    "huggingface": "huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310",
}


def _ecr(account: str, region: str, repository: str) -> str:
    return f"{account}.dkr.ecr.{region}.amazonaws.com/{repository}"


def showcase(region: str, account: str) -> list[ProjectSpec]:
    """Five hand-shaped projects with five endpoints.

    churn and fraud-detection share only the public XGBoost 1.7-1 image; other projects share
    processing images with them, so a Both query from churn-prod crosses images only.
    """
    bucket = f"sagemaker-{region}-{account}"
    xgb17 = _ecr("683313688378", region, "sagemaker-xgboost:1.7-1")
    xgb15 = _ecr("683313688378", region, "sagemaker-xgboost:1.5-1")
    sklearn = _ecr("683313688378", region, "sagemaker-scikit-learn:1.2-1-cpu-py3")
    spark = _ecr("173754725891", region, "sagemaker-spark-processing:3.3-cpu-py39-v1.0")
    deepar = _ecr("522234722520", region, "forecasting-deepar:1")
    hf = _ecr(
        "763104351884",
        region,
        "huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04",
    )
    return [
        ProjectSpec(
            name="churn",
            bucket=bucket,
            processing_image=sklearn,
            training_image=xgb17,
            framework="xgboost",
            raw_files=("customers.csv", "usage-events.csv"),
            runs=3,
            versions=(APPROVED, APPROVED, PENDING),
            endpoints={"churn-prod": (1, 2), "churn-staging": (2,)},
            evaluations=2,
            team="growth",
        ),
        ProjectSpec(
            name="fraud-detection",
            bucket=bucket,
            processing_image=spark,
            training_image=xgb17,
            framework="xgboost",
            raw_files=("transactions.parquet", "chargebacks.csv"),
            runs=2,
            versions=(APPROVED,),
            endpoints={"fraud-detection-realtime": (1,)},
            featurize=True,
            team="payments",
        ),
        ProjectSpec(
            name="abalone",
            bucket=bucket,
            processing_image=sklearn,
            training_image=xgb15,
            framework="xgboost",
            raw_files=("abalone.csv",),
            runs=2,
            versions=(PENDING, APPROVED),
            endpoints={"abalone-age": (2,)},
            team="research",
        ),
        ProjectSpec(
            name="demand-forecast",
            bucket=bucket,
            processing_image=spark,
            training_image=deepar,
            framework="deepar",
            raw_files=("sales-history.csv", "holidays.csv", "stores.csv"),
            runs=3,
            versions=(APPROVED,),
            endpoints={"demand-forecast": (1,)},
            featurize=True,
            team="supply",
        ),
        ProjectSpec(
            name="review-sentiment",
            bucket=bucket,
            processing_image=hf,
            training_image=hf,
            framework="huggingface",
            raw_files=("reviews.jsonl",),
            runs=2,
            versions=(APPROVED,),
            endpoints={},
            transforms=2,
            team="support",
        ),
    ]


def generated(index: int, rng: random.Random, region: str, account: str) -> ProjectSpec:
    """Project `index` (1-based) of a large demo: ~100 entities, images shared within its team."""
    team_no = (index - 1) // _TEAM_SIZE
    team = f"{_TEAMS[team_no % len(_TEAMS)]}-{team_no + 1:03d}"
    use_case = rng.choice(sorted(_USE_CASES))
    framework, raw_files = _USE_CASES[use_case]
    name = f"p{index:05d}-{use_case}"
    runs = rng.randint(16, 22)
    n_versions = rng.randint(2, 4)
    versions = tuple(rng.choice((APPROVED, APPROVED, PENDING)) for _ in range(n_versions))
    return ProjectSpec(
        name=name,
        bucket=f"{team}-ml-{account}-{region}",
        processing_image=_ecr(account, region, f"{team}/sklearn-processing:1.2-1"),
        training_image=_ecr(account, region, f"{team}/{_FRAMEWORK_IMAGES[framework]}"),
        framework=framework,
        raw_files=raw_files,
        runs=runs,
        versions=versions,
        endpoints={f"{name}-prod": (1, n_versions), f"{name}-staging": (n_versions,)},
        evaluations=runs,
        transforms=2,
        featurize=True,
        team=team,
    )


def team_boundary(index: int) -> bool:
    """True when generated project `index` starts a new team (nothing earlier is reused)."""
    return (index - 1) % _TEAM_SIZE == 0
