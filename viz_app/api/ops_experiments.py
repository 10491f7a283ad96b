"""Experiments and trials: Create/Describe/List/Update/Delete, trial membership, and
ListTrialComponents by ExperimentName or TrialName."""

from __future__ import annotations

from typing import Any

from viz_app.api.ops_entities import ENTITY_PAGES, list_trial_components_plain, sort_key
from viz_app.api.ops_entities import find as find_entity
from viz_app.api.request import RequestContext
from viz_app.api.shapes import parse_timestamp
from viz_app.api.views import summary_view
from viz_app.core.errors import ResourceNotFound, ValidationError
from viz_app.core.experiments import EXPERIMENT, TRIAL, Experiments, Tracked
from viz_app.core.model import TRIAL_COMPONENT, parse_arn

Params = dict[str, Any]

_RESOURCE = {EXPERIMENT: "experiment", TRIAL: "experiment-trial"}


def _tags(p: Params) -> list[tuple[str, str]]:
    return [(t["Key"], t.get("Value", "")) for t in p.get("Tags") or []]


def find(ctx: RequestContext, kind: str, name_or_arn: str) -> Tracked:
    """An experiment or trial by name (or ARN) in the request's region; ResourceNotFound."""
    name = name_or_arn
    parsed = parse_arn(name_or_arn)
    if parsed is not None and parsed.resource == _RESOURCE[kind] and parsed.region == ctx.region:
        name = parsed.name
    rec = Experiments(ctx.store).find(kind, ctx.region, name)
    if rec is None:
        raise ResourceNotFound(f"{kind} {name_or_arn} does not exist.")
    return rec


# -- views -------------------------------------------------------------------------------------


def experiment_view(rec: Tracked) -> Params:
    """The DescribeExperiment answer (also the Experiment member of a Search record)."""
    out: Params = {"ExperimentName": rec.name, "ExperimentArn": rec.arn}
    out["DisplayName"] = rec.doc.get("DisplayName") or rec.name
    for member in ("Source", "Description"):
        if rec.doc.get(member) is not None:
            out[member] = rec.doc[member]
    out["CreationTime"] = rec.created
    out["LastModifiedTime"] = rec.modified
    return out


def trial_view(rec: Tracked) -> Params:
    """The DescribeTrial answer (also the start of a Trial member of a Search record)."""
    out: Params = {"TrialName": rec.name, "TrialArn": rec.arn}
    out["DisplayName"] = rec.doc.get("DisplayName") or rec.name
    out["ExperimentName"] = rec.experiment_name
    if rec.doc.get("Source") is not None:
        out["Source"] = rec.doc["Source"]
    out["CreationTime"] = rec.created
    out["LastModifiedTime"] = rec.modified
    if rec.doc.get("MetadataProperties") is not None:
        out["MetadataProperties"] = rec.doc["MetadataProperties"]
    return out


def _summary(rec: Tracked) -> Params:
    prefix = "Experiment" if rec.kind == EXPERIMENT else "Trial"
    out: Params = {f"{prefix}Arn": rec.arn, f"{prefix}Name": rec.name}
    out["DisplayName"] = rec.doc.get("DisplayName") or rec.name
    if rec.doc.get("Source") is not None:
        out[f"{prefix}Source"] = rec.doc["Source"]
    out["CreationTime"] = rec.created
    out["LastModifiedTime"] = rec.modified
    return out


# -- experiments -------------------------------------------------------------------------------


def create_experiment(ctx: RequestContext, p: Params) -> Params:
    name = p["ExperimentName"]
    doc: Params = {m: p[m] for m in ("DisplayName", "Description") if p.get(m) is not None}
    rec = Tracked(EXPERIMENT, ctx.arn("experiment", name), name, ctx.now, ctx.now, doc)
    Experiments(ctx.store).insert(rec, _tags(p))
    return {"ExperimentArn": rec.arn}


def describe_experiment(ctx: RequestContext, p: Params) -> Params:
    return experiment_view(find(ctx, EXPERIMENT, p["ExperimentName"]))


def update_experiment(ctx: RequestContext, p: Params) -> Params:
    rec = find(ctx, EXPERIMENT, p["ExperimentName"])
    for member in ("DisplayName", "Description"):
        if p.get(member) is not None:
            rec.doc[member] = p[member]
    rec.modified = ctx.now
    Experiments(ctx.store).replace(rec)
    return {"ExperimentArn": rec.arn}


def delete_experiment(ctx: RequestContext, p: Params) -> Params:
    rec = find(ctx, EXPERIMENT, p["ExperimentName"])
    Experiments(ctx.store).delete(rec)
    return {"ExperimentArn": rec.arn}


def _list(ctx: RequestContext, p: Params, kind: str, **within: str | None) -> Params:
    sort_by = p.get("SortBy") or "CreationTime"
    ascending = (p.get("SortOrder") or "Descending") == "Ascending"
    after_ts = parse_timestamp(p["CreatedAfter"]) if p.get("CreatedAfter") is not None else None
    before_ts = parse_timestamp(p["CreatedBefore"]) if p.get("CreatedBefore") is not None else None
    cursor = ENTITY_PAGES.open(
        p, [kind, ctx.region, within, after_ts, before_ts, sort_by, ascending]
    )
    by_name = sort_by == "Name"
    rows = Experiments(ctx.store).page(
        kind,
        ctx.region,
        created_after=after_ts,
        created_before=before_ts,
        sort_by_name=by_name,
        ascending=ascending,
        page=cursor.keyset(),
        **within,
    )
    shown, token = cursor.cut(
        rows, lambda last: [last.name.lower() if by_name else last.created, last.arn]
    )
    return {f"{kind}Summaries": [_summary(r) for r in shown]} | token


def list_experiments(ctx: RequestContext, p: Params) -> Params:
    return _list(ctx, p, EXPERIMENT)


# -- trials ------------------------------------------------------------------------------------


def create_trial(ctx: RequestContext, p: Params) -> Params:
    experiment = find(ctx, EXPERIMENT, p["ExperimentName"])
    name = p["TrialName"]
    doc: Params = {m: p[m] for m in ("DisplayName", "MetadataProperties") if p.get(m) is not None}
    rec = Tracked(
        TRIAL,
        ctx.arn("experiment-trial", name),
        name,
        ctx.now,
        ctx.now,
        doc,
        experiment_arn=experiment.arn,
        experiment_name=experiment.name,
    )
    Experiments(ctx.store).insert(rec, _tags(p))
    return {"TrialArn": rec.arn}


def describe_trial(ctx: RequestContext, p: Params) -> Params:
    return trial_view(find(ctx, TRIAL, p["TrialName"]))


def update_trial(ctx: RequestContext, p: Params) -> Params:
    rec = find(ctx, TRIAL, p["TrialName"])
    if p.get("DisplayName") is not None:
        rec.doc["DisplayName"] = p["DisplayName"]
    rec.modified = ctx.now
    Experiments(ctx.store).replace(rec)
    return {"TrialArn": rec.arn}


def delete_trial(ctx: RequestContext, p: Params) -> Params:
    rec = find(ctx, TRIAL, p["TrialName"])
    Experiments(ctx.store).delete(rec)
    return {"TrialArn": rec.arn}


def list_trials(ctx: RequestContext, p: Params) -> Params:
    experiment_arn = component_arn = None
    if p.get("ExperimentName"):
        experiment_arn = find(ctx, EXPERIMENT, p["ExperimentName"]).arn
    if p.get("TrialComponentName"):
        component_arn = find_entity(ctx, TRIAL_COMPONENT, p["TrialComponentName"]).arn
    return _list(ctx, p, TRIAL, experiment_arn=experiment_arn, component_arn=component_arn)


# -- membership --------------------------------------------------------------------------------


def associate_trial_component(ctx: RequestContext, p: Params) -> Params:
    component = find_entity(ctx, TRIAL_COMPONENT, p["TrialComponentName"])
    trial = find(ctx, TRIAL, p["TrialName"])
    Experiments(ctx.store).associate(trial, component, ctx.now)
    return {"TrialComponentArn": component.arn, "TrialArn": trial.arn}


def disassociate_trial_component(ctx: RequestContext, p: Params) -> Params:
    component = find_entity(ctx, TRIAL_COMPONENT, p["TrialComponentName"])
    trial = find(ctx, TRIAL, p["TrialName"])
    Experiments(ctx.store).disassociate(trial, component, ctx.now)
    return {"TrialComponentArn": component.arn, "TrialArn": trial.arn}


def list_trial_components(ctx: RequestContext, p: Params) -> Params:
    """ListTrialComponents: by ExperimentName or TrialName here, by SourceArn or all as before."""
    given = [m for m in ("ExperimentName", "TrialName", "SourceArn") if p.get(m)]
    if len(given) > 1:
        raise ValidationError(
            "Only one of ExperimentName, TrialName or SourceArn can be specified; "
            f"got {', '.join(given)}."
        )
    if not given or given[0] == "SourceArn":
        return list_trial_components_plain(ctx, p)
    trial_arn = experiment_arn = None
    if given[0] == "TrialName":
        trial_arn = find(ctx, TRIAL, p["TrialName"]).arn
    else:
        experiment_arn = find(ctx, EXPERIMENT, p["ExperimentName"]).arn
    sort_by = p.get("SortBy") or "CreationTime"
    ascending = (p.get("SortOrder") or "Descending") == "Ascending"
    after_ts = parse_timestamp(p["CreatedAfter"]) if p.get("CreatedAfter") is not None else None
    before_ts = parse_timestamp(p["CreatedBefore"]) if p.get("CreatedBefore") is not None else None
    cursor = ENTITY_PAGES.open(
        p, ["tc-in", ctx.region, trial_arn, experiment_arn, after_ts, before_ts, sort_by, ascending]
    )
    by_name = sort_by == "Name"
    rows = Experiments(ctx.store).list_components(
        ctx.region,
        trial_arn=trial_arn,
        experiment_arn=experiment_arn,
        created_after=after_ts,
        created_before=before_ts,
        sort_by_name=by_name,
        ascending=ascending,
        page=cursor.keyset(),
    )
    shown, token = cursor.cut(rows, lambda last: [sort_key(last, by_name), last.arn])
    return {"TrialComponentSummaries": [summary_view(r) for r in shown]} | token
