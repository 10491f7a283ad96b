"""Search for ExperimentTrialComponent, Experiment and ExperimentTrial records."""

from __future__ import annotations

from typing import Any, Final

from viz_app.api.ops_experiments import experiment_view, trial_view
from viz_app.api.paging import BAD_TOKEN, Pager
from viz_app.api.request import RequestContext
from viz_app.api.shapes import parse_timestamp, service_model
from viz_app.api.views import describe_view
from viz_app.core.errors import ValidationError
from viz_app.core.experiments import EXPERIMENT, TRIAL, Experiments
from viz_app.core.model import TRIAL_COMPONENT, Arn, EntityRecord, parse_arn
from viz_app.core.search import (
    EXPERIMENT_RESOURCE,
    PROPERTIES,
    TRIAL_COMPONENT_RESOURCE,
    TRIAL_RESOURCE,
    Matcher,
    sorter,
)
from viz_app.core.store import Page

Params = dict[str, Any]

_MEMBER: Final = {
    TRIAL_COMPONENT_RESOURCE: "TrialComponent",
    EXPERIMENT_RESOURCE: "Experiment",
    TRIAL_RESOURCE: "Trial",
}
_ARN: Final = {
    TRIAL_COMPONENT_RESOURCE: "TrialComponentArn",
    EXPERIMENT_RESOURCE: "ExperimentArn",
    TRIAL_RESOURCE: "TrialArn",
}
_EVERY: Final = 10**9
_PARENT_KINDS: Final = {"Parents.TrialName": TRIAL, "Parents.ExperimentName": EXPERIMENT}
_PINNING: Final = frozenset({"TrialComponentArn", "TrialComponentName", *_PARENT_KINDS})
_NOWHERE: Final = Arn("", "", "", "", "")


def _tag_list(tags: list[tuple[str, str]]) -> list[Params]:
    return [{"Key": k, "Value": v} for k, v in tags]


def _component_members() -> frozenset[str]:
    return frozenset(service_model().shape_for("TrialComponent").members)


def _components(ctx: RequestContext, expression: Params | None) -> list[Params]:
    """Trial-component records, fetched by ARN or name when the expression pins them."""
    exp = Experiments(ctx.store)
    pinned = _pinned(expression)
    if pinned is None:
        recs = ctx.store.list_entities(TRIAL_COMPONENT, ctx.region, page=Page(None, _EVERY))
    else:
        recs = list(_pinned_components(ctx, exp, pinned).values())
    arns = [r.arn for r in recs]
    parents, tags = exp.parents(arns), exp.tags(arns)
    allowed = _component_members()
    out = []
    for rec in recs:
        record = {k: v for k, v in describe_view(rec).items() if k in allowed}
        source = record.get("Source") or {}
        if source.get("SourceArn"):
            record["SourceDetail"] = {"SourceArn": source["SourceArn"]}
        record["Tags"] = _tag_list(tags.get(rec.arn, []))
        record["Parents"] = [
            {"TrialName": p.trial_name, "ExperimentName": p.experiment_name}
            for p in parents.get(rec.arn, [])
        ]
        out.append(record)
    return out


def _pinned_components(
    ctx: RequestContext, exp: Experiments, pinned: list[tuple[str, str]]
) -> dict[str, EntityRecord]:
    """The trial components that have one of the pinned (member, value) pairs."""
    by_arn = ctx.store.get_entities(v for m, v in pinned if m == "TrialComponentArn")
    found: dict[str, EntityRecord] = {
        a: r
        for a, r in by_arn.items()
        if r.kind == TRIAL_COMPONENT and (parse_arn(a) or _NOWHERE).region == ctx.region
    }
    for member, value in pinned:
        rec = None
        if member == "TrialComponentName":
            rec = ctx.store.find_by_name(TRIAL_COMPONENT, ctx.region, value)
        elif member in _PARENT_KINDS:
            parent = exp.find(_PARENT_KINDS[member], ctx.region, value)
            # Names match exactly in Search: a case-insensitive lookup may find another case.
            if parent is not None and parent.name == value:
                in_trial = parent.kind == TRIAL
                for tc in exp.list_components(
                    ctx.region,
                    trial_arn=parent.arn if in_trial else None,
                    experiment_arn=None if in_trial else parent.arn,
                    page=Page(None, _EVERY),
                ):
                    found[tc.arn] = tc
        if rec is not None:
            found[rec.arn] = rec
    return found


def _pinned(expression: Params | None) -> list[tuple[str, str]] | None:
    """(member, value) pairs every match must have one of, when the expression says so.

    An And with an Equals/In filter on TrialComponentArn, TrialComponentName or a parent's
    trial or experiment name pins the candidates, as does an Or made only of such filters
    (what the SDK's trial helpers send).
    """
    if not expression:
        return None
    filters = expression.get("Filters") or []
    keyed = [
        f
        for f in filters
        if f.get("Name") in _PINNING
        and (f.get("Operator") or "Equals") in ("Equals", "In")
        and isinstance(f.get("Value"), str)
    ]

    def values(f: Params) -> list[tuple[str, str]]:
        if (f.get("Operator") or "Equals") == "In":
            return [(f["Name"], part.strip()) for part in f["Value"].split(",")]
        return [(f["Name"], f["Value"])]

    if (expression.get("Operator") or "And") == "Or":
        only_filters = not expression.get("NestedFilters") and not expression.get("SubExpressions")
        if only_filters and keyed and len(keyed) == len(filters):
            return [pair for f in keyed for pair in values(f)]
        return None
    return values(keyed[0]) if keyed else None


def _experiments(ctx: RequestContext) -> list[Params]:
    exp = Experiments(ctx.store)
    recs = exp.all(EXPERIMENT, ctx.region)
    tags = exp.tags(r.arn for r in recs)
    return [experiment_view(r) | {"Tags": _tag_list(tags.get(r.arn, []))} for r in recs]


def _trials(ctx: RequestContext) -> list[Params]:
    exp = Experiments(ctx.store)
    recs = exp.all(TRIAL, ctx.region)
    tags = exp.tags(r.arn for r in recs)
    members = exp.members(r.arn for r in recs)
    components = ctx.store.get_entities(a for arns in members.values() for a in arns)
    out = []
    for rec in recs:
        summaries = []
        for arn in members.get(rec.arn, []):
            tc = components.get(arn)
            if tc is None:
                continue
            item: Params = {"TrialComponentName": tc.name, "TrialComponentArn": tc.arn}
            if tc.doc.get("Source"):
                item["TrialComponentSource"] = tc.doc["Source"]
            item["CreationTime"] = tc.created
            summaries.append(item)
        record = trial_view(rec) | {"Tags": _tag_list(tags.get(rec.arn, []))}
        record["TrialComponentSummaries"] = summaries
        out.append(record)
    return out


def is_rank(position: Any) -> bool:
    """A page position as `_rank` makes it: [0 or 1, a sort value, an ARN]."""
    if not isinstance(position, list) or len(position) != 3:
        return False
    flag, value, arn = position
    scalar = isinstance(value, str | int | float) and not isinstance(value, bool)
    return flag in (0, 1) and not isinstance(flag, bool) and scalar and isinstance(arn, str)


SEARCH_PAGES: Final = Pager(is_rank)  # the last record's rank


def search(ctx: RequestContext, p: Params) -> Params:
    """Search: filter, sort (missing values last) and page with a keyset NextToken."""
    resource = p["Resource"]
    if resource not in PROPERTIES:
        raise ValidationError(
            f"Search for {resource} is not supported by this service: it answers Search for "
            "ExperimentTrialComponent, Experiment and ExperimentTrial."
        )
    if p.get("VisibilityConditions"):
        raise ValidationError("VisibilityConditions are not supported by this service.")
    expression = p.get("SearchExpression")
    matcher = Matcher(resource, expression, parse_timestamp) if expression is not None else None
    sort_by = p.get("SortBy") or "LastModifiedTime"
    ascending = (p.get("SortOrder") or "Descending") == "Ascending"
    key_of = sorter(resource, sort_by)
    cursor = SEARCH_PAGES.open(p, ["search", ctx.region, resource, expression, sort_by, ascending])
    after = cursor.after
    if resource == TRIAL_COMPONENT_RESOURCE:
        records = _components(ctx, expression)
    elif resource == EXPERIMENT_RESOURCE:
        records = _experiments(ctx)
    else:
        records = _trials(ctx)
    arn = _ARN[resource]
    ranked = [
        (_rank(key_of(r), r[arn]), r) for r in records if matcher is None or matcher.matches(r)
    ]
    present = sorted((x for x in ranked if x[0][0] == 0), key=lambda x: x[0], reverse=not ascending)
    missing = sorted((x for x in ranked if x[0][0] == 1), key=lambda x: x[0], reverse=not ascending)
    ordered = present + missing
    if after is not None:
        last = (after[0], after[1], after[2])
        try:
            ordered = [x for x in ordered if _is_after(x[0], last, ascending)]
        except TypeError:  # a position of another sort (a forged token) cannot be compared
            raise ValidationError(BAD_TOKEN) from None
    page, token = cursor.cut(ordered, lambda last: list(last[0]))
    return {"Results": [{_MEMBER[resource]: r} for _, r in page]} | token


def _rank(value: Any, arn: str) -> tuple[int, Any, str]:
    """Sort position: records without the property come last, in either order."""
    return (1, "", arn) if value is None else (0, value, arn)


def _is_after(rank: tuple[int, Any, str], last: tuple[int, Any, str], ascending: bool) -> bool:
    if rank[0] != last[0]:
        return rank[0] > last[0]
    if rank[1] != last[1]:
        return bool(rank[1] > last[1]) if ascending else bool(rank[1] < last[1])
    return rank[2] > last[2] if ascending else rank[2] < last[2]
