"""Callbacks for the details panel: one Describe for the clicked entity, shown as text."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from dash import Dash, Input, Output, State, ctx, html, no_update

from viz_app.core.model import TRIAL_COMPONENT, parse_arn
from viz_app.ui import ids
from viz_app.ui.backends import Backend
from viz_app.ui.callbacks_query import view_of
from viz_app.ui.labels import label_from_description, short_label
from viz_app.ui.messages import explain
from viz_app.ui.view_cache import ViewCache

_JOB_PAGES = {
    "training-job": "jobs",
    "processing-job": "processing-jobs",
    "transform-job": "transform-jobs",
}


def console_url(describe: dict[str, Any], region: str) -> str | None:
    """The AWS console page for the resource behind an entity, when there is one."""
    source = describe.get("Source") or {}
    uri = str(source.get("SourceUri") or source.get("SourceArn") or "")
    base = f"https://{region}.console.aws.amazon.com/sagemaker/home?region={region}#"
    if uri.startswith("s3://"):
        bucket, _, key = uri[5:].partition("/")
        return (
            f"https://s3.console.aws.amazon.com/s3/buckets/{quote(bucket)}"
            f"?region={region}&prefix={quote(key)}"
        )
    parsed = parse_arn(uri) if uri.startswith("arn:") else None
    if parsed is not None:
        if parsed.resource == "endpoint":
            return f"{base}/endpoints/{quote(parsed.name)}"
        if parsed.resource in _JOB_PAGES:
            return f"{base}/{_JOB_PAGES[parsed.resource]}/{quote(parsed.name)}"
        if parsed.resource == "model-package":
            return f"{base}/model-packages/{quote(parsed.name)}"
        if parsed.resource == "model-package-group":
            return f"{base}/model-registry/{quote(parsed.name)}"
    return None


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(value) if value is not None else "—"


def _who(value: Any) -> str:
    if isinstance(value, dict):
        return str(
            value.get("UserProfileName")
            or value.get("UserProfileArn")
            or (value.get("IamIdentity") or {}).get("Arn")
            or "—"
        )
    return "—"


def _row(name: str, value: Any) -> html.Tr:
    return html.Tr([html.Th(name), html.Td(value)])


TRIALS_KEY = "lineage-viz:trials"  # set by `show` on a trial component's Describe answer
TRIALS_ERROR_KEY = "lineage-viz:trials-error"


def _trial_rows(describe: dict[str, Any]) -> list[html.Tr]:
    """Which run a trial component belongs to: its trials and their experiments."""
    if describe.get(TRIALS_ERROR_KEY):
        return [_row("Trials", describe[TRIALS_ERROR_KEY])]
    parents = describe.get(TRIALS_KEY)
    if parents is None:
        return []
    trials = sorted({p["TrialName"] for p in parents})
    experiments = sorted({p["ExperimentName"] for p in parents if p.get("ExperimentName")})
    if not trials:
        return [_row("Trial", "none (not part of an experiment)")]
    return [
        _row("Trial" if len(trials) == 1 else "Trials", ", ".join(trials)),
        _row("Experiment" if len(experiments) == 1 else "Experiments", ", ".join(experiments)),
    ]


def details_rows(describe: dict[str, Any], arn: str, region: str) -> list[Any]:
    """The panel body: every value is plain text (Dash escapes it)."""
    source = describe.get("Source") or {}
    entity_type = (
        describe.get("ArtifactType")
        or describe.get("ContextType")
        or describe.get("ActionType")
        or source.get("SourceType")
        or "—"
    )
    name = (
        describe.get("ArtifactName")
        or describe.get("ContextName")
        or describe.get("ActionName")
        or describe.get("TrialComponentName")
        or label_from_description(describe)
    )
    rows = [_row("Name", name), _row("Type", entity_type), _row("ARN", html.Code(arn))]
    if source.get("SourceUri"):
        rows.append(_row("Source URI", html.Code(source["SourceUri"])))
    if source.get("SourceArn"):
        rows.append(_row("Job ARN", html.Code(source["SourceArn"])))
    rows += _trial_rows(describe)
    source_types = source.get("SourceTypes") or []
    if source_types:
        rows.append(
            _row(
                "Source types",
                ", ".join(f"{t.get('SourceIdType')}={t.get('Value')}" for t in source_types),
            )
        )
    if describe.get("Status"):
        status = describe["Status"]
        rows.append(
            _row("Status", status.get("PrimaryStatus") if isinstance(status, dict) else str(status))
        )
    if describe.get("Description"):
        rows.append(_row("Description", describe["Description"]))
    rows.append(
        _row(
            "Created", f"{_when(describe.get('CreationTime'))} by {_who(describe.get('CreatedBy'))}"
        )
    )
    rows.append(
        _row(
            "Modified",
            f"{_when(describe.get('LastModifiedTime'))} by {_who(describe.get('LastModifiedBy'))}",
        )
    )
    out: list[Any] = [html.Table(html.Tbody(rows), className="kv")]
    props = describe.get("Properties") or {}
    if props:
        out += [
            html.H4("Properties"),
            html.Table(
                html.Tbody([_row(k, str(v)) for k, v in sorted(props.items())]), className="kv"
            ),
        ]
    tags = describe.get("Tags") or []
    if tags:
        out += [
            html.H4("Tags"),
            html.Table(
                html.Tbody([_row(t["Key"], t.get("Value", "")) for t in tags]), className="kv"
            ),
        ]
    link = console_url(describe, region)
    if link:
        out.append(
            html.A(
                "Open in the AWS console ↗",
                href=link,
                target="_blank",
                rel="noopener noreferrer",
                className="console-link",
            )
        )
    return out


def start_rows(vertex: dict[str, Any], arn: str, name: str | None = None) -> list[Any]:
    """The panel for the view's start before any click: what QueryLineage said and its name."""
    rows = [
        _row("Name", name or short_label(arn, vertex.get("Type"), vertex.get("LineageType", ""))),
        _row("Type", vertex.get("Type") or "—"),
        _row("Lineage type", vertex.get("LineageType") or "—"),
        _row("ARN", html.Code(arn)),
    ]
    hint = "The start of this view. Click a node (or this one) for its full details."
    summary = html.Table(html.Tbody(rows), className="kv start-summary")
    return [summary, html.P(hint, className="muted")]


def register(app: Dash, backend: Backend, views: ViewCache) -> None:
    """Wire the details callbacks for `backend`."""

    @app.callback(
        Output(ids.DETAILS, "children"),
        Output(ids.DESCRIBE_STORE, "data"),
        Output(ids.REROOT, "disabled"),
        Output(ids.EXPAND, "disabled"),
        Input(ids.SELECTED_STORE, "data"),
        Input(ids.GRAPH_STORE, "data"),
        State(ids.DESCRIBE_STORE, "data"),
    )
    def show(
        selected: str | None, summary: dict[str, Any] | None, described: dict[str, Any] | None
    ) -> tuple[Any, ...]:
        start = (summary or {}).get("start")
        if not selected:
            if not start:
                return "Click a node to see its details.", no_update, True, True
            try:
                view = view_of(views, summary)
            except Exception:  # the graph's own callback says what went wrong
                view = None
            vertex = view.vertex(start) if view else {}
            name = backend.names.labels([vertex])[start] if vertex else None
            return start_rows(vertex, start, name), no_update, True, False
        if f"{ids.SELECTED_STORE}.data" not in ctx.triggered_prop_ids:
            return no_update, no_update, selected == start, False  # the same node, a new view
        try:
            describe = backend.describe(selected)
        except Exception as exc:
            return html.P(explain(exc), className="error-text"), no_update, True, True
        backend.names.learn(selected, describe)
        parsed = parse_arn(selected)
        if parsed is not None and parsed.kind == TRIAL_COMPONENT:
            try:
                describe[TRIALS_KEY] = backend.trials_of(selected)
            except Exception as exc:  # the rest of the details still stand
                describe[TRIALS_ERROR_KEY] = f"Could not read its trials: {explain(exc)}"
        store = dict(described or {})
        created = describe.get("CreationTime")
        store[selected] = {
            "label": label_from_description(describe),
            "created": created.isoformat() if isinstance(created, dt.datetime) else None,
            # Which questions fit (the same S3 URI) depends on the source.
            "source": (describe.get("Source") or {}).get("SourceUri"),
        }
        return details_rows(describe, selected, backend.region), store, selected == start, False
