"""Which Describe call each kind of lineage entity takes, and the fields of its answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from viz_app.core.model import ACTION, ARTIFACT, CONTEXT, TRIAL_COMPONENT, parse_arn


@dataclass(frozen=True)
class Describer:
    """One kind's Describe call (boto3 method, the member naming the entity) and the fields
    of its answer that hold the ARN, the name and the entity type."""

    kind: str
    method: str
    member: str
    arn_field: str
    name_field: str
    type_field: str | None  # a trial component has none: its type is its Source's

    def params(self, arn: str, *, by_arn: bool = False) -> dict[str, str]:
        """The request naming `arn`'s entity: by name, as the console does, where the member
        takes a name (an artifact has only its ARN); by the whole ARN with `by_arn`."""
        if by_arn or self.member == self.arn_field:
            return {self.member: arn}
        parsed = parse_arn(arn)
        return {self.member: parsed.name if parsed else arn}

    def call(self, client: Any) -> Callable[..., Any]:
        """The bound boto3 method of `client` for this Describe."""
        method: Callable[..., Any] = getattr(client, self.method)
        return method


DESCRIBERS: Final[Mapping[str, Describer]] = {
    ARTIFACT: Describer(
        ARTIFACT, "describe_artifact", "ArtifactArn", "ArtifactArn", "ArtifactName", "ArtifactType"
    ),
    CONTEXT: Describer(
        CONTEXT, "describe_context", "ContextName", "ContextArn", "ContextName", "ContextType"
    ),
    ACTION: Describer(
        ACTION, "describe_action", "ActionName", "ActionArn", "ActionName", "ActionType"
    ),
    TRIAL_COMPONENT: Describer(
        TRIAL_COMPONENT,
        "describe_trial_component",
        "TrialComponentName",
        "TrialComponentArn",
        "TrialComponentName",
        None,
    ),
}


def describer_for(arn: str, kind: str | None = None) -> Describer | None:
    """The Describer for `kind` (a LineageType), else for the kind `arn` names; None for an
    ARN that is not a lineage entity's."""
    if kind is not None and kind in DESCRIBERS:
        return DESCRIBERS[kind]
    parsed = parse_arn(arn)
    return DESCRIBERS.get(parsed.kind or "") if parsed else None


def describe(
    client: Any, arn: str, kind: str | None = None, *, by_arn: bool = False
) -> dict[str, Any] | None:
    """The Describe answer for one lineage entity, without ResponseMetadata; None when `arn`
    is not a lineage entity's. SageMaker's errors are raised as botocore raises them."""
    describer = describer_for(arn, kind)
    if describer is None:
        return None
    answer = dict(describer.call(client)(**describer.params(arn, by_arn=by_arn)))
    answer.pop("ResponseMetadata", None)
    return answer
