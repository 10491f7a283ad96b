"""The one table from SageMaker operation names to handlers, and dispatch through validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from viz_app.api import ops_entities as ent
from viz_app.api import ops_experiments as exp
from viz_app.api import ops_graph as graph
from viz_app.api import ops_registry as registry
from viz_app.api import ops_search
from viz_app.api import ops_tags as tags
from viz_app.api.request import RequestContext
from viz_app.api.shapes import validate_input
from viz_app.client.read_only import is_read_operation
from viz_app.core.errors import UnknownOperation, ValidationError

Handler = Callable[[RequestContext, dict[str, Any]], dict[str, Any]]

OPERATIONS: dict[str, Handler] = {
    "CreateArtifact": ent.create_artifact,
    "DescribeArtifact": ent.describe_artifact,
    "ListArtifacts": ent.list_artifacts,
    "UpdateArtifact": ent.update_artifact,
    "DeleteArtifact": ent.delete_artifact,
    "CreateContext": ent.create_context,
    "DescribeContext": ent.describe_context,
    "ListContexts": ent.list_contexts,
    "UpdateContext": ent.update_context,
    "DeleteContext": ent.delete_context,
    "CreateAction": ent.create_action,
    "DescribeAction": ent.describe_action,
    "ListActions": ent.list_actions,
    "UpdateAction": ent.update_action,
    "DeleteAction": ent.delete_action,
    "CreateTrialComponent": ent.create_trial_component,
    "DescribeTrialComponent": ent.describe_trial_component,
    "ListTrialComponents": exp.list_trial_components,
    "UpdateTrialComponent": ent.update_trial_component,
    "DeleteTrialComponent": ent.delete_trial_component,
    "AddAssociation": graph.add_association,
    "DeleteAssociation": graph.delete_association,
    "ListAssociations": graph.list_associations,
    "QueryLineage": graph.query_lineage_op,
    "CreateExperiment": exp.create_experiment,
    "DescribeExperiment": exp.describe_experiment,
    "ListExperiments": exp.list_experiments,
    "UpdateExperiment": exp.update_experiment,
    "DeleteExperiment": exp.delete_experiment,
    "CreateTrial": exp.create_trial,
    "DescribeTrial": exp.describe_trial,
    "ListTrials": exp.list_trials,
    "UpdateTrial": exp.update_trial,
    "DeleteTrial": exp.delete_trial,
    "AssociateTrialComponent": exp.associate_trial_component,
    "DisassociateTrialComponent": exp.disassociate_trial_component,
    "Search": ops_search.search,
    "DescribeModelPackage": registry.describe_model_package,
    "AddTags": tags.add_tags,
    "ListTags": tags.list_tags,
    "DeleteTags": tags.delete_tags,
}


# What a --read-only service still answers: the reads lineage-viz's own clients may make
# (server.py refuses the rest).
READ_ONLY = frozenset(op for op in OPERATIONS if is_read_operation(op))


def dispatch(ctx: RequestContext, operation: str, params: Any) -> dict[str, Any]:
    """Validate `params` against the model's input shape, then run the handler."""
    handler = OPERATIONS.get(operation)
    if handler is None:
        raise UnknownOperation(f"Operation {operation} is not supported by this service.")
    _check_nesting(params)
    validate_input(operation, params)
    return handler(ctx, _without_nulls(params))


MAX_NESTING = 64  # room for about 30 nested Search sub-expressions


def _check_nesting(params: Any) -> None:
    """Refuse requests nested deeper than any SageMaker shape needs (Search expressions nest
    without bound in the model) before anything walks them recursively."""
    stack = [(params, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ValidationError(f"The request is nested more than {MAX_NESTING} levels deep.")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _without_nulls(value: Any) -> Any:
    """JSON `null` members mean "not given" on the wire: drop them before anything is stored."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value if v is not None]
    return value
