"""One-click questions from the AWS page on querying lineage, per entity type, with SDK filters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from viz_app.client.directions import ASCENDANTS as ASC
from viz_app.client.directions import BOTH
from viz_app.client.directions import DESCENDANTS as DESC

PIPELINE_TAG: Final = "sagemaker:pipeline-execution-arn"


@dataclass(frozen=True)
class Question:
    """A question; `kind` is query (QueryLineage), pipeline (tags), source or package (List*),
    property (a Describe property, `extra["property"]`), impact or upstream (an impact list,
    `viz_app.ui.impact`), or via (`extra["via"]`'s answers, each asked `extra["then"]`).

    `title` heads its answer, `{e}` standing for the entity asked about ("endpoint churn-prod").
    """

    key: str
    label: str
    direction: str = ASC
    types: tuple[str, ...] = ()
    lineage_types: tuple[str, ...] = ()
    kind: str = "query"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    title: str = "Answers for {e}"

    def filters(self) -> dict[str, list[str]]:
        """QueryLineage `Filters`, exactly as the SageMaker SDK helper sends them."""
        out: dict[str, list[str]] = {}
        if self.types:
            out["Types"] = list(self.types)
        if self.lineage_types:
            out["LineageTypes"] = list(self.lineage_types)
        return out


def _q(
    key: str,
    label: str,
    direction: str,
    vtype: str | None,
    ltype: str | None,
    title: str,
) -> Question:
    types, ltypes = (vtype,) if vtype else (), (ltype,) if ltype else ()
    return Question(key, label, direction, types, ltypes, title=title)


DATASETS_UP: Final = _q(
    "datasets", "Which datasets went into it?", ASC, "DataSet", "Artifact", "Datasets behind {e}"
)
MODELS_UP: Final = _q(
    "models", "Which models does it use?", ASC, "Model", "Artifact", "Models used by {e}"
)
TRAINING_UP: Final = _q(
    "training-jobs",
    "Which training jobs?",
    ASC,
    "TrainingJob",
    "TrialComponent",
    "Training jobs behind {e}",
)
PROCESSING_UP: Final = _q(
    "processing-jobs",
    "Which processing jobs?",
    ASC,
    "ProcessingJob",
    "TrialComponent",
    "Processing jobs behind {e}",
)
TRANSFORM_UP: Final = _q(
    "transform-jobs",
    "Which transform jobs?",
    ASC,
    "TransformJob",
    "TrialComponent",
    "Transform jobs behind {e}",
)
TRIALS_UP: Final = _q(
    "trial-components",
    "Which trial components?",
    ASC,
    None,
    "TrialComponent",
    "Trial components behind {e}",
)
ENDPOINTS_DOWN: Final = _q(
    "endpoints",
    "Which endpoints does it reach?",
    DESC,
    "Endpoint",
    "Context",
    "Endpoints downstream of {e}",
)
MODELS_DOWN: Final = _q(
    "models-down",
    "Which models were built from it?",
    DESC,
    "Model",
    "Artifact",
    "Models built from {e}",
)
DATASETS_DOWN: Final = _q(
    "datasets-down",
    "Which datasets were derived from it?",
    DESC,
    "DataSet",
    "Artifact",
    "Datasets derived from {e}",
)
TRIALS_DOWN: Final = _q(
    "trials-down",
    "Which trial components use it downstream?",
    DESC,
    None,
    "TrialComponent",
    "Trial components using {e}",
)
PIPELINE: Final = Question(
    "pipeline",
    "Which pipeline execution produced it?",
    ASC,
    ("TrainingJob",),
    ("TrialComponent",),
    kind="pipeline",
    title="Pipeline execution behind {e}",
)
# Answered by ListArtifacts(SourceUri=...), which matches any source; offered where the source
# is an S3 URI (`offers_same_s3_uri`) or, for images, an ECR image URI.
SAME_SOURCE: Final = Question(
    "same-source",
    "Which artifacts use the same S3 URI?",
    kind="source",
    title="Artifacts with the same S3 URI as {e}",
)
SAME_IMAGE: Final = Question(
    "same-image",
    "Which artifacts use the same image?",
    kind="source",
    title="Artifacts using the same image as {e}",
)
ACTIONS_BOTH: Final = _q(
    "actions", "Which actions use it?", BOTH, None, "Action", "Actions using {e}"
)
ARTIFACTS_BOTH: Final = _q(
    "artifacts", "Which artifacts does it use?", BOTH, None, "Artifact", "Artifacts used by {e}"
)
MODEL_PACKAGE: Final = Question(
    "model-package",
    "Which model package was approved?",
    kind="package",
    title="Model package approved by {e}",
)
TRIALS_MADE: Final = _q(
    "trials-up",
    "Which trial components (jobs) made it upstream?",
    ASC,
    None,
    "TrialComponent",
    "Trial components that made {e}",
)
TRANSFORM_DOWN: Final = _q(
    "transform-down",
    "Which transform jobs used it?",
    DESC,
    "TransformJob",
    "TrialComponent",
    "Transform jobs using {e}",
)
IMPACT: Final = Question(
    "impact",
    "What does it reach? (models, packages, endpoints)",
    DESC,
    kind="impact",
    title="Impact of {e}: what it reaches downstream",
)
UPSTREAM_ALL: Final = Question(
    "upstream-all",
    "What went into it? (datasets, images, jobs)",
    ASC,
    kind="upstream",
    title="Everything that went into {e}",
)
GROUP_PIPELINE: Final = Question(
    "group-pipeline",
    "Which pipeline execution produced it?",
    kind="property",
    extra={"property": "PipelineExecutionArn"},
    title="Pipeline execution behind {e}",
)
# Questions SageMaker's links answer only in two steps (see EMPTY_BECAUSE).
PACKAGE_DATASETS: Final = Question(
    "package-datasets",
    "Which datasets went into its model package?",
    kind="via",
    extra={"via": MODEL_PACKAGE, "then": DATASETS_UP},
    title="Datasets behind the model package approved by {e}",
)
MODEL_TRANSFORMS: Final = Question(
    "model-transforms",
    "Which transform jobs used its models?",
    kind="via",
    extra={"via": MODELS_UP, "then": TRANSFORM_DOWN},
    title="Transform jobs using the models behind {e}",
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
        _q(
            "endpoints-down",
            "Which endpoints are downstream?",
            DESC,
            "Endpoint",
            "Context",
            "Endpoints downstream of {e}",
        ),
        UPSTREAM_ALL,
        MODEL_TRANSFORMS,
    ),
    ("Artifact", "Model"): (
        DATASETS_UP,
        ENDPOINTS_DOWN,
        TRAINING_UP,
        TRIALS_MADE,
        TRIALS_DOWN,
        PIPELINE,
        UPSTREAM_ALL,
        SAME_SOURCE,
    ),
    ("Artifact", "DataSet"): (
        MODELS_DOWN,
        ENDPOINTS_DOWN,
        _q(
            "datasets-up",
            "Which datasets is it derived from?",
            ASC,
            "DataSet",
            "Artifact",
            "Datasets {e} is derived from",
        ),
        DATASETS_DOWN,
        TRIALS_DOWN,
        TRIALS_MADE,
        SAME_SOURCE,
    ),
    ("Artifact", "Image"): (
        _q(
            "image-datasets",
            "Which datasets were used with this image?",
            BOTH,
            "DataSet",
            "Artifact",
            "Datasets used with {e}",
        ),
        TRIALS_DOWN,
        TRIALS_MADE,
        SAME_IMAGE,
    ),
    ("Context", "ModelGroup"): (GROUP_PIPELINE,),
    ("Action", "Approval"): (
        MODEL_PACKAGE,
        PACKAGE_DATASETS,
        DATASETS_UP,
        ENDPOINTS_DOWN,
        ARTIFACTS_BOTH,
    ),
    ("Action", "ModelDeployment"): (ARTIFACTS_BOTH, ENDPOINTS_DOWN),
    ("TrialComponent", None): (
        DATASETS_UP,
        _q(
            "tc-models",
            "Which models did it produce?",
            DESC,
            "Model",
            "Artifact",
            "Models produced by {e}",
        ),
        PIPELINE,
    ),
    ("Context", None): (ACTIONS_BOTH, TRIALS_UP),
    ("Artifact", None): (TRIALS_MADE, TRIALS_DOWN, SAME_SOURCE),
    ("Action", None): (ARTIFACTS_BOTH,),
}


# Empty answers that come from how SageMaker links entities, not from missing lineage: the
# sentence that says why, and the key of the question (in the same entity's list) that answers.
EMPTY_BECAUSE: Final[dict[tuple[str | None, str], tuple[str, str]]] = {
    ("Approval", "datasets"): (
        "An approval action sits upstream of its model package, so no dataset lies upstream "
        "of the approval itself.",
        PACKAGE_DATASETS.key,
    ),
    ("Endpoint", "transform-jobs"): (
        "Transform jobs sit downstream of a model, not upstream of an endpoint.",
        MODEL_TRANSFORMS.key,
    ),
}


def why_empty(vertex_type: str | None, key: str) -> tuple[str, str] | None:
    """(why, the key of the question that answers) when `key` asked of a `vertex_type` is empty
    by construction; None otherwise."""
    return EMPTY_BECAUSE.get((vertex_type, key))


def offers_same_s3_uri(vertex_type: str | None, source: str | None) -> bool:
    """Whether "the same S3 URI" fits: the source is known to be an S3 URI, or, before the
    entity is described, it is a DataSet (whose source is S3). A model-package Model artifact's
    source is an ARN, so a Model qualifies only once Describe says its source is `s3://`."""
    if source is not None:
        return source.startswith("s3://")
    return vertex_type == "DataSet"


def questions_for(
    lineage_type: str | None, vertex_type: str | None, source: str | None = None
) -> tuple[Question, ...]:
    """The questions that fit an entity (`source`: its source URI when described, else None):
    its type's own, then its lineage type's generic ones, then the impact question; trial
    components share one list whatever their job."""
    if lineage_type is None:
        return ()
    own = () if lineage_type == "TrialComponent" else _BY_TYPE.get((lineage_type, vertex_type), ())
    every = (*own, *_BY_TYPE.get((lineage_type, None), ()), IMPACT)
    unique: dict[str, Question] = {}
    for q in every:
        unique.setdefault(q.key, q)
    found = tuple(unique.values())
    if offers_same_s3_uri(vertex_type, source):
        return found
    return tuple(q for q in found if q is not SAME_SOURCE)


def find_question(
    lineage_type: str | None, vertex_type: str | None, key: str, source: str | None = None
) -> Question | None:
    """The question with `key` among those for this entity."""
    for question in questions_for(lineage_type, vertex_type, source):
        if question.key == key:
            return question
    return None


_NOUNS: Final = {
    "Endpoint": "endpoint",
    "Model": "model",
    "DataSet": "dataset",
    "Image": "image",
    "Approval": "approval",
    "ModelDeployment": "deployment",
    "ModelGroup": "model group",
    "TrainingJob": "training job",
    "ProcessingJob": "processing job",
    "TransformJob": "transform job",
    "TrialComponent": "trial component",
}


def entity_phrase(vertex_type: str | None, lineage_type: str | None, name: str) -> str:
    """`endpoint churn-prod`: the entity's kind in words, then its name, unless the name
    already starts with its kind (`Model · 17dd6c`), so no title says a type twice."""
    kind = vertex_type or lineage_type or ""
    noun = _NOUNS.get(kind, re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind).lower())
    if not noun or re.match(rf"(?:{re.escape(noun)}|{re.escape(kind)})\s", name, re.IGNORECASE):
        return name
    return f"{noun} {name}"


_TITLE_FOR: Final[dict[tuple[str, str | None], str]] = {
    ("endpoints", "Model"): "Endpoints serving {e}"
}


def answer_title(q: Question, vertex_type: str | None, lineage_type: str | None, name: str) -> str:
    """The heading of an answer, e.g. `Datasets behind endpoint churn-prod`."""
    title = _TITLE_FOR.get((q.key, vertex_type), q.title)
    return title.format(e=entity_phrase(vertex_type, lineage_type, name))


def matches(question: Question, vertex: dict[str, Any]) -> bool:
    """Whether a QueryLineage vertex is an answer (not merely a path through)."""
    if question.types and vertex.get("Type") not in question.types:
        return False
    return not (question.lineage_types and vertex.get("LineageType") not in question.lineage_types)
