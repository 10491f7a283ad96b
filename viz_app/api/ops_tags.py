"""AddTags, ListTags and DeleteTags on any SageMaker ARN."""

from __future__ import annotations

from typing import Any

from viz_app.api.paging import Pager, is_text
from viz_app.api.request import RequestContext
from viz_app.core.errors import ResourceNotFound, ValidationError
from viz_app.core.model import parse_arn

Params = dict[str, Any]

# The model sets only a minimum (50); like SageMaker we never send more than 100 a page.
TAG_PAGES = Pager(is_text, default=50, most=100)  # the last tag key sent


def _check_resource(ctx: RequestContext, arn: str) -> bool:
    """Lineage entities must exist; other resources (jobs, endpoints) are taken as given.
    True when `arn` is a lineage entity."""
    parsed = parse_arn(arn)
    if parsed is not None and parsed.kind is not None:
        if ctx.store.get_entity(arn) is None:
            raise ResourceNotFound(f"Resource {arn} does not exist.")
        return True
    return False


def add_tags(ctx: RequestContext, p: Params) -> Params:
    arn = p["ResourceArn"]
    entity = _check_resource(ctx, arn)
    tags = [(t["Key"], t.get("Value", "")) for t in p["Tags"]]
    existing = {k for k, _ in ctx.store.list_tags(arn, None, 10_000)}
    if len(existing | {k for k, _ in tags}) > ctx.limits.tags_per_resource:
        raise ValidationError(
            f"Resource {arn} would have more than {ctx.limits.tags_per_resource} tags."
        )
    other_limit = None if entity else ctx.limits.tagged_other_resources
    ctx.store.add_tags(arn, tags, other_limit=other_limit)
    return {"Tags": [{"Key": k, "Value": v} for k, v in tags]}


def delete_tags(ctx: RequestContext, p: Params) -> Params:
    arn = p["ResourceArn"]
    _check_resource(ctx, arn)
    ctx.store.delete_tags(arn, p["TagKeys"])
    return {}


def list_tags(ctx: RequestContext, p: Params) -> Params:
    arn = p["ResourceArn"]
    _check_resource(ctx, arn)
    cursor = TAG_PAGES.open(p, ["tags", arn])
    rows = ctx.store.list_tags(arn, cursor.after, cursor.size + 1)
    shown, token = cursor.cut(rows, lambda last: last[0])
    return {"Tags": [{"Key": k, "Value": v} for k, v in shown]} | token
