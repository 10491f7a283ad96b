"""Lineage records and ARNs, shaped the way SageMaker names and builds them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Final

# LineageType values, and the ARN resource segment for each.
ARTIFACT: Final = "Artifact"
CONTEXT: Final = "Context"
ACTION: Final = "Action"
TRIAL_COMPONENT: Final = "TrialComponent"
LINEAGE_TYPES: Final = (ARTIFACT, CONTEXT, ACTION, TRIAL_COMPONENT)

RESOURCE_OF_KIND: Final = {
    ARTIFACT: "artifact",
    CONTEXT: "context",
    ACTION: "action",
    TRIAL_COMPONENT: "experiment-trial-component",
}
KIND_OF_RESOURCE: Final = {v: k for k, v in RESOURCE_OF_KIND.items()}

DEFAULT_ACCOUNT_ID: Final = "123456789012"
DEFAULT_REGION: Final = "us-east-1"

# Regions where the developer guide says lineage queries are not available.
QUERY_UNAVAILABLE_REGIONS: Final = frozenset(
    {"af-south-1", "ap-southeast-3", "ap-northeast-3", "eu-south-1", "eu-south-2", "il-central-1"}
)

_ARN_RE = re.compile(
    r"^arn:(?P<partition>aws[a-z\-]*):sagemaker:(?P<region>[a-z0-9\-]*):(?P<account>[0-9]{12}):"
    r"(?P<resource>[a-z\-]+)/(?P<name>.+)$"
)


@dataclass(frozen=True)
class Arn:
    """A parsed SageMaker ARN."""

    partition: str
    region: str
    account: str
    resource: str
    name: str

    @property
    def kind(self) -> str | None:
        """The LineageType for lineage entities, None for other resources."""
        return KIND_OF_RESOURCE.get(self.resource)

    def __str__(self) -> str:
        return (
            f"arn:{self.partition}:sagemaker:{self.region}:{self.account}:"
            f"{self.resource}/{self.name}"
        )


def parse_arn(text: str) -> Arn | None:
    """Parse a SageMaker ARN, or return None when `text` is not one."""
    match = _ARN_RE.match(text)
    if match is None:
        return None
    return Arn(**match.groupdict())


def build_arn(region: str, account: str, resource: str, name: str) -> str:
    """Build an ARN the way SageMaker does (partition from the region)."""
    partition = "aws"
    if region.startswith("cn-"):
        partition = "aws-cn"
    elif region.startswith("us-gov-"):
        partition = "aws-us-gov"
    return f"arn:{partition}:sagemaker:{region}:{account}:{resource}/{name}"


def artifact_id(source_uri: str, source_types: list[dict[str, str]] | None) -> str:
    """Deterministic 32-hex artifact id from its source, as SageMaker's ids appear to be."""
    parts = [source_uri]
    for item in sorted(source_types or [], key=lambda t: (t["SourceIdType"], t["Value"])):
        parts.append(f"{item['SourceIdType']}={item['Value']}")
    return hashlib.md5("|".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()


def vertex_type(kind: str, entity_type: str | None) -> str | None:
    """QueryLineage's vertex `Type`: the entity type, or the job kind for a trial component."""
    if kind == TRIAL_COMPONENT:
        if entity_type and entity_type.startswith("SageMaker"):
            return entity_type[len("SageMaker") :]
        return entity_type or None
    return entity_type


@dataclass
class EntityRecord:
    """One lineage entity as stored.

    `entity_type` is ArtifactType / ContextType / ActionType, or for a trial component its
    `Source.SourceType` (e.g. SageMakerTrainingJob). `doc` holds the remaining Describe fields
    in wire form (Source, Description, Status, Properties, MetadataProperties, DisplayName, ...).
    Times are epoch seconds.
    """

    arn: str
    kind: str
    name: str | None
    entity_type: str | None
    source_uri: str | None
    created: float
    modified: float
    doc: dict[str, Any] = field(default_factory=dict)
    manual: bool = False  # created through the API (counts against SageMaker's manual limits)


@dataclass
class AssociationRecord:
    """One association: an edge from `source_arn` to `destination_arn`."""

    source_arn: str
    destination_arn: str
    association_type: str | None
    created: float
    created_by: dict[str, Any] | None = None
    manual: bool = False
