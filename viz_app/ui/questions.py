"""One-click questions from the AWS page on querying lineage, per entity type, with SDK filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

ASC: Final = "Ascendants"
DESC: Final = "Descendants"
BOTH: Final = "Both"
PIPELINE_TAG: Final = "sagemaker:pipeline-execution-arn"


@dataclass(frozen=True)
class Question:
    """A question; `kind` is query (QueryLineage), pipeline (tags), source or package (List*)."""

    key: str
    label: str
    direction: str = ASC
    types: tuple[str, ...] = ()
    lineage_types: tuple[str, ...] = ()
    kind: str = "query"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def filters(self) -> dict[str, list[str]]:
        """QueryLineage `Filters`, exactly as the SageMaker SDK helper sends them."""
        out: dict[str, list[str]] = {}
        if self.types:
            out["Types"] = list(self.types)
        if self.lineage_types:
            out["LineageTypes"] = list(self.lineage_types)
        return out


def _q(key: str, label: str, direction: str, vtype: str | None, ltype: str | None) -> Question:
    return Question(key, label, direction, (vtype,) if vtype else (), (ltype,) if ltype else ())


DATASETS_UP: Final = _q("datasets", "Which datasets went into it?", ASC, "DataSet", "Artifact")
MODELS_UP: Final = _q("models", "Which models does it use?", ASC, "Model", "Artifact")
TRAINING_UP: Final = _q(
    "training-jobs", "Which training jobs?", ASC, "TrainingJob", "TrialComponent"
)
PROCESSING_UP: Final = _q(
    "processing-jobs", "Which processing jobs?", ASC, "ProcessingJob", "TrialComponent"
)
TRANSFORM_UP: Final = _q(
    "transform-jobs", "Which transform jobs?", ASC, "TransformJob", "TrialComponent"
)
TRIALS_UP: Final = _q("trial-components", "Which trial components?", ASC, None, "TrialComponent")
ENDPOINTS_DOWN: Final = _q(
    "endpoints", "Which endpoints does it reach?", DESC, "Endpoint", "Context"
)
MODELS_DOWN: Final = _q(
    "models-down", "Which models were built from it?", DESC, "Model", "Artifact"
)
DATASETS_DOWN: Final = _q(
    "datasets-down", "Which datasets were derived from it?", DESC, "DataSet", "Artifact"
)
TRIALS_DOWN: Final = _q(
    "trials-down", "Which trial components use it downstream?", DESC, None, "TrialComponent"
)
PIPELINE: Final = Question(
    "pipeline",
    "Which pipeline execution produced it?",
    ASC,
    ("TrainingJob",),
    ("TrialComponent",),
    kind="pipeline",
)
SAME_SOURCE: Final = Question("same-source", "Which artifacts use the same S3 URI?", kind="source")
ACTIONS_BOTH: Final = _q("actions", "Which actions use it?", BOTH, None, "Action")
ARTIFACTS_BOTH: Final = _q("artifacts", "Which artifacts does it use?", BOTH, None, "Artifact")
MODEL_PACKAGE: Final = Question(
    "model-package", "Which model package was approved?", kind="package"
)

_BY_TYPE: Final[dict[tuple[str, str | None], tuple[Question, ...]]] = {
    ("Context", "Endpoint"): (
        DATASETS_UP,
        MODELS_UP,
        TRAINING_UP,
        PROCESSING_UP,
        TRANSFORM_UP,
        TRIALS_UP,
        PIPELINE,
        _q("endpoints-down", "Which endpoints are downstream?", DESC, "Endpoint", "Context"),
    ),
    ("Artifact", "Model"): (DATASETS_UP, ENDPOINTS_DOWN, TRAINING_UP, PIPELINE, SAME_SOURCE),
    ("Artifact", "DataSet"): (
        MODELS_DOWN,
        ENDPOINTS_DOWN,
        _q("datasets-up", "Which datasets is it derived from?", ASC, "DataSet", "Artifact"),
        DATASETS_DOWN,
        TRIALS_DOWN,
        SAME_SOURCE,
    ),
    ("Artifact", "Image"): (
        _q(
            "image-datasets",
            "Which datasets were used with this image?",
            BOTH,
            "DataSet",
            "Artifact",
        ),
        SAME_SOURCE,
    ),
    ("Action", "Approval"): (
        MODEL_PACKAGE,
        DATASETS_UP,
        ENDPOINTS_DOWN,
        ARTIFACTS_BOTH,
    ),
    ("Action", "ModelDeployment"): (ARTIFACTS_BOTH, ENDPOINTS_DOWN),
    ("TrialComponent", None): (
        DATASETS_UP,
        _q("tc-models", "Which models did it produce?", DESC, "Model", "Artifact"),
        PIPELINE,
    ),
    ("Context", None): (ACTIONS_BOTH, TRIALS_UP),
    ("Artifact", None): (TRIALS_UP, TRIALS_DOWN, SAME_SOURCE),
    ("Action", None): (ARTIFACTS_BOTH,),
}


def questions_for(lineage_type: str | None, vertex_type: str | None) -> tuple[Question, ...]:
    """The questions that fit an entity; trial components share one list whatever their job."""
    if lineage_type is None:
        return ()
    if lineage_type == "TrialComponent":
        return _BY_TYPE[("TrialComponent", None)]
    return _BY_TYPE.get((lineage_type, vertex_type)) or _BY_TYPE.get((lineage_type, None), ())


def find_question(lineage_type: str | None, vertex_type: str | None, key: str) -> Question | None:
    """The question with `key` among those for this entity."""
    for question in questions_for(lineage_type, vertex_type):
        if question.key == key:
            return question
    return None


def matches(question: Question, vertex: dict[str, Any]) -> bool:
    """Whether a QueryLineage vertex is an answer (not merely a path through)."""
    if question.types and vertex.get("Type") not in question.types:
        return False
    return not (question.lineage_types and vertex.get("LineageType") not in question.lineage_types)
