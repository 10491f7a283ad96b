"""Exports of the current view: captioned SVG, CSV tables and the raw QueryLineage pages."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any, Final

from viz_app.render.svg import Caption, render_pages, stack_pages
from viz_app.ui.elements import to_elements
from viz_app.ui.query_state import QueryState

_UNSAFE_FILENAME_RE: Final = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ViewCaption(Caption):
    """A caption that also names the date and property filters of the view."""

    other_filters: tuple[str, ...] = ()

    def filters_text(self) -> str:
        parts = [p for p in (super().filters_text(),) if p != "none"]
        parts += list(self.other_filters)
        return "; ".join(parts) or "none"


def other_filters(state: QueryState) -> tuple[str, ...]:
    """The view's date and property filters as `Name=value` texts."""
    out = []
    for key in ("created_after", "created_before", "modified_after", "modified_before"):
        value = getattr(state, key)
        if value:
            out.append(f"{''.join(w.title() for w in key.split('_'))}={value}")
    if state.prop:
        out.append(f"Properties={state.prop[0]}={state.prop[1]}")
    return tuple(out)


def view_caption(
    state: QueryState,
    data: dict[str, Any],
    *,
    account: str | None,
    region: str,
    source: str,
    now: dt.datetime | None = None,
) -> ViewCaption:
    """The caption for what the graph store holds, asked as `state` says."""
    return ViewCaption(
        start_arn=str(data.get("start") or state.arn or ""),
        direction=str(data.get("direction") or state.direction),
        depth=int(data.get("depth") or state.depth),
        vertices=len(data.get("vertices", [])),
        edges=len(data.get("edges", [])),
        account=account,
        region=region,
        types=state.types,
        lineage_types=state.lineage_types,
        generated_at=now or dt.datetime.now(dt.UTC),
        source=source,
        other_filters=other_filters(state),
    )


def view_svg(
    data: dict[str, Any],
    caption: Caption,
    labels: dict[str, str],
    expanded_groups: frozenset[str],
) -> str:
    """The whole graph of the view (not just the viewport) as one captioned SVG file.

    A graph too wide to read at 1,600 px (see `render_pages`) gives one SVG file holding its
    overview and then each page, stacked top to bottom, each page at most 1,600 px wide: one
    download that opens in any browser, rather than a zip to unpack. The PNG export
    rasterises this same file (assets/export.js).
    """
    elements = to_elements(
        data["vertices"],
        data["edges"],
        start_arn=data.get("start"),
        labels=labels,
        expanded_groups=expanded_groups,
    )
    return stack_pages(render_pages(elements, caption), caption)


def base_name(caption: Caption) -> str:
    """A file name stem: `lineage-<entity name>-<UTC time>`, safe on every file system."""
    name = caption.start_arn.partition("/")[2][:60] or "view"
    stamp = caption.generated_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return _UNSAFE_FILENAME_RE.sub("_", f"lineage-{name}-{stamp}")


def pages_json(queries: list[dict[str, Any]], caption: Caption) -> str:
    """Every QueryLineage request of the view with the response pages it got, as JSON
    (records as the backend returned them: datetimes become ISO text here)."""
    document = {"caption": caption.lines(), "queries": queries}
    return json.dumps(document, indent=2, sort_keys=True, default=_iso, ensure_ascii=False)


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.datetime) else str(value)


def text_download(content: str, filename: str, mime: str) -> dict[str, Any]:
    """What dcc.Download needs to save `content` as a UTF-8 text file."""
    encoded = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return {"content": encoded, "filename": filename, "type": mime, "base64": True}
