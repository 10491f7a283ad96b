"""Cytoscape stylesheet, CSS class names and legend data for lineage graphs."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any, Final

# Okabe-Ito, a colour-blind-safe palette. Dark mode uses lighter members readable on #1e1e1e.
COLOR_BY_LINEAGE_TYPE: Final[dict[str, str]] = {
    "Artifact": "#0072B2",
    "Context": "#E69F00",
    "Action": "#009E73",
    "TrialComponent": "#CC79A7",
}
DARK_COLOR_BY_LINEAGE_TYPE: Final[dict[str, str]] = {
    "Artifact": "#56B4E9",
    "Context": "#E69F00",
    "Action": "#2FBF8F",
    "TrialComponent": "#DDA0C4",
}
NODE_FONT_PX: Final = 12
NODE_LABEL_MIN_PX: Final = 10  # node labels hide below 10 px on screen (zoom < 10/12)
READABLE_PX: Final = 10  # no label a person must read is drawn smaller on screen
READABLE_ZOOM: Final = READABLE_PX / NODE_FONT_PX
EDGE_FONT_PX: Final = 10
EDGE_LABEL_MIN_PX: Final = 11  # edge labels show from zoom 1.1 (11 px on screen)
NODE_PX: Final = 34
START_NODE_PX: Final = 42
GROUP_NODE_PX: Final = 46
# Label geometry the layout reserves room for (DejaVu Sans averages ~0.6 em a character).
LABEL_CHAR_PX: Final = 7.2
LABEL_LINE_PX: Final = 15.0
LABEL_MARGIN_PX: Final = 4
DETAIL_CLASS: Final = "detailed"  # the explorer's in-view, readable elements (assets/graph.js)
GROUP_COLOR: Final = "#999999"
UNKNOWN_COLOR: Final = "#BBBBBB"
LIGHT_BACKGROUND: Final = "#FFFFFF"
DARK_BACKGROUND: Final = "#1E1E1E"
LIGHT_TEXT: Final = "#222222"
DARK_TEXT: Final = "#E6E6E6"

# Cytoscape node shapes; vertices whose Type is not listed are ellipses.
SHAPE_BY_TYPE: Final[dict[str, str]] = {
    "DataSet": "barrel",
    "Model": "hexagon",
    "ModelData": "concave-hexagon",
    "Image": "rhomboid",
    "Checkpoint": "tag",
    "TensorBoard": "pentagon",
    "Endpoint": "star",
    "ModelGroup": "round-octagon",
    "ModelReplaced": "diamond",
    "ModelDeployment": "triangle",
    "Approval": "vee",
    "TrainingJob": "rectangle",
    "ProcessingJob": "cut-rectangle",
    "TransformJob": "bottom-round-rectangle",
}
DEFAULT_SHAPE: Final = "ellipse"


@dataclass(frozen=True)
class EdgeStyle:
    """How one association type is drawn."""

    line_style: str  # Cytoscape line-style: solid | dashed | dotted
    arrow: str  # Cytoscape target-arrow-shape
    width: float


EDGE_STYLE_BY_ASSOCIATION: Final[dict[str, EdgeStyle]] = {
    "ContributedTo": EdgeStyle("solid", "triangle", 1.5),
    "Produced": EdgeStyle("solid", "triangle-backcurve", 2.5),
    "AssociatedWith": EdgeStyle("dashed", "triangle", 1.5),
    "DerivedFrom": EdgeStyle("dotted", "triangle", 2.0),
    "SameAs": EdgeStyle("dotted", "diamond", 1.5),
}

_CLASS_UNSAFE_RE: Final = re.compile(r"[^a-z0-9_-]+")


def css_token(value: str) -> str:
    """Lower-case `value` and replace anything unsafe in a class name by `-`."""
    return _CLASS_UNSAFE_RE.sub("-", value.lower()).strip("-") or "unknown"


def lineage_class(lineage_type: str) -> str:
    """Node class for a LineageType, e.g. `lineage-trialcomponent`."""
    return f"lineage-{css_token(lineage_type)}"


def type_class(vertex_type: str | None) -> str:
    """Node class for a vertex Type, e.g. `type-dataset`; `type-unknown` when missing."""
    return f"type-{css_token(vertex_type) if vertex_type else 'unknown'}"


def assoc_class(association_type: str | None) -> str:
    """Edge class for an AssociationType, e.g. `assoc-contributedto`."""
    return f"assoc-{css_token(association_type) if association_type else 'unknown'}"


def stylesheet(dark: bool = False, detail_class: str | None = None) -> list[dict[str, Any]]:
    """The dash-cytoscape stylesheet; later rules win, so highlight classes come last.

    Labels hide when zoomed out (`min-zoomed-font-size`) so big graphs stay fast: node
    labels (11 px) show from zoom ~0.45, where a fitted depth-10 graph of 50-150 vertices
    sits with `graph_layout`'s spacing, and hide at the zooms 2,000+ vertices fit at. Edges
    are straight (no bezier bundling to compute) and only labelled when they have a type.
    Every property that changes an element's bounds costs Cytoscape a "bounds" event per
    element when a graph is drawn, so none is set to its default: labels are already
    shortened to 28 characters (`labels.ellipsize`), text is centred by default.

    With `detail_class`, text and arrows are styled only on elements of that class: the
    explorer (assets/graph.js) gives it to the edges in view from zoom 0.3 (arrowheads a few
    pixels wide) and to the nodes in view once their labels are readable. Further out, edges
    are haystack lines, centre to centre under the nodes (no endpoints or arrowheads to
    compute), so a big graph is drawn without styling thousands of labels and arrows nobody
    could read.
    """
    text = DARK_TEXT if dark else LIGHT_TEXT
    background = DARK_BACKGROUND if dark else LIGHT_BACKGROUND
    palette = DARK_COLOR_BY_LINEAGE_TYPE if dark else COLOR_BY_LINEAGE_TYPE
    edge_color = "#8A8A8A" if dark else "#7A7A7A"
    accent = "#F0E442" if dark else "#D55E00"
    outline = "#FFFFFF" if dark else "#000000"
    node_text = {
        "label": "data(label)",
        "color": text,
        "font-size": NODE_FONT_PX,
        "text-valign": "bottom",
        "text-margin-y": LABEL_MARGIN_PX,
        "text-wrap": "wrap",  # labels carry their own line break (labels.wrap_label)
        "text-max-width": 400,
        "line-height": LABEL_LINE_PX / NODE_FONT_PX,
        "text-background-color": background,
        "text-background-opacity": 0.7,
        "min-zoomed-font-size": NODE_LABEL_MIN_PX,
    }
    edge_text = {
        "font-size": EDGE_FONT_PX,
        "color": text,
        "text-rotation": "autorotate",
        "text-background-color": background,
        "text-background-opacity": 0.8,
        "min-zoomed-font-size": EDGE_LABEL_MIN_PX,
    }
    node_base = {
        "shape": DEFAULT_SHAPE,
        "width": NODE_PX,
        "height": NODE_PX,
        "background-color": UNKNOWN_COLOR,
        "border-width": 1,
        "border-color": "#555555" if dark else "#333333",
    }
    edge_base = {
        "curve-style": "straight",
        "width": 1.5,
        "line-color": edge_color,
        "target-arrow-color": edge_color,
        "target-arrow-shape": "triangle",
    }
    arrows = "edge" if detail_class is None else f"edge.{detail_class}"
    if detail_class is None:
        rules: list[dict[str, Any]] = [
            _rule("node", {**node_text, **node_base}),
            _rule("edge", {**edge_base, **edge_text}),
            _rule("edge[association_type]", {"label": "data(association_type)"}),
        ]
    else:
        overview = {"curve-style": "haystack", "haystack-radius": 0, "target-arrow-shape": "none"}
        rules = [
            _rule("node", node_base),
            _rule("edge", {**edge_base, **overview}),
            _rule(f"node.{detail_class}", node_text),
            _rule(
                arrows, {**edge_text, "curve-style": "straight", "target-arrow-shape": "triangle"}
            ),
            _rule(f"{arrows}[association_type]", {"label": "data(association_type)"}),
        ]
    for lineage_type, color in palette.items():
        rules.append(
            {"selector": f".{lineage_class(lineage_type)}", "style": {"background-color": color}}
        )
    for vertex_type, shape in SHAPE_BY_TYPE.items():
        rules.append({"selector": f".{type_class(vertex_type)}", "style": {"shape": shape}})
    for association, style in EDGE_STYLE_BY_ASSOCIATION.items():
        line = {"line-style": style.line_style, "width": style.width}
        if detail_class is None:
            rules.append(
                _rule(f".{assoc_class(association)}", {**line, "target-arrow-shape": style.arrow})
            )
        else:
            rules.append(_rule(f".{assoc_class(association)}", line))
            rules.append(
                _rule(f"{arrows}.{assoc_class(association)}", {"target-arrow-shape": style.arrow})
            )
    answer = "#FFFFFF" if dark else "#F0E442"
    rules += [
        _rule(
            ".group",
            {"background-color": GROUP_COLOR, "width": GROUP_NODE_PX, "height": GROUP_NODE_PX},
        ),
        _rule(".group", {"border-width": 3, "border-style": "double", "font-weight": "bold"}),
        # A pipeline run's frame (arrange=runs): under its members, its title in its title
        # band, no clicks; assets/graph.js sizes the title (font, tm) to the zoom, and zoomed
        # out puts it over the frame's middle (RUN_TITLE_OVER).
        _rule(
            f"node.{RUN_BOX}",
            {
                "shape": "round-rectangle",
                "width": "data(w)",
                "height": "data(h)",
                "background-color": "#9AA5B1",
                "background-opacity": 0.12 if dark else 0.07,
                **_border("#9AA5B1" if dark else "#6B7785", 1.5, "dashed"),
                "label": "data(label)",
                "color": text,
                "font-size": "data(font)",
                "font-weight": "bold",
                "text-valign": "top",
                "text-margin-y": "data(tm)",
                "text-wrap": "ellipsis",
                "text-max-width": "data(tw)",
                "text-background-opacity": 0,
                "min-zoomed-font-size": NODE_LABEL_MIN_PX,
                "events": "no",
            },
        ),
        _rule(
            f"node.{RUN_BOX}.{RUN_TITLE_OVER}",
            {
                "text-valign": "center",
                "text-background-color": background,
                "text-background-opacity": 0.8,
                "text-background-padding": 6,
            },
        ),
        _rule(".start", {**_border(outline, 5), **_size(START_NODE_PX)}),
        # In a filtered view, a vertex only on the way to a match is pale, its label italic.
        _rule(f"node.{PATH_ONLY}", {"background-opacity": 0.3, "font-style": "italic"}),
        _rule(".faded", {"opacity": 0.15, "text-opacity": 0.1}),
        _rule(".far", {"display": "none"}),
        _rule("node.pulse", {"overlay-color": accent, "overlay-opacity": 0.45}),
        _rule("node.pulse", {"overlay-padding": 16}),
        _rule("node.highlighted", {**_border(accent, 4), "z-index": 10}),
        _rule("edge.highlighted", {**_line(accent, 3), "z-index": 10}),
        _rule("node.selected-path", {**_border(accent, 4), "z-index": 20}),
        _rule("edge.selected-path", {**_line(accent, 4), "z-index": 20}),
        _rule(
            "node.answer", {**_border(answer, 6, "double"), "font-weight": "bold", "z-index": 30}
        ),
        _rule(".search-hit", {"overlay-color": "#F0E442", "overlay-opacity": 0.45}),
        _rule(".search-hit", {"overlay-padding": 6}),
        _rule("node.added", _border("#56B4E9", 4, "dashed")),
        _rule("edge.added", _line("#56B4E9", 3)),
        _rule("node.removed", {**_border("#D55E00", 4, "dotted"), "opacity": 0.45}),
        _rule("edge.removed", {**_line("#D55E00", 2), "line-style": "dotted", "opacity": 0.45}),
        _rule(":selected", {"overlay-color": accent, "overlay-opacity": 0.25}),
    ]
    return rules


PATH_ONLY: Final = "path-only"
RUN_BOX: Final = "run-box"  # the frame of a pipeline run (`viz_app.ui.run_layout`)
RUN_TITLE_OVER: Final = "title-over"  # zoomed out: the frame's title over its middle


def _size(px: float) -> dict[str, Any]:
    return {"width": px, "height": px}


def _rule(selector: str, style: dict[str, Any]) -> dict[str, Any]:
    return {"selector": selector, "style": style}


def _border(color: str, width: float, style: str = "solid") -> dict[str, Any]:
    return {"border-color": color, "border-width": width, "border-style": style}


def _line(color: str, width: float) -> dict[str, Any]:
    return {"line-color": color, "target-arrow-color": color, "width": width}


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: `kind` is "lineage", "type" or "association"."""

    kind: str
    label: str
    color: str
    shape: str  # a Cytoscape shape name for nodes, "line" for associations
    dashed: bool = False
    line_style: str = "solid"


def legend_entries(dark: bool = False) -> list[LegendEntry]:
    """Legend rows matching `stylesheet(dark)`: colours, then shapes, then line styles."""
    palette = DARK_COLOR_BY_LINEAGE_TYPE if dark else COLOR_BY_LINEAGE_TYPE
    entries = [
        LegendEntry("lineage", name, color, DEFAULT_SHAPE) for name, color in palette.items()
    ]
    entries.append(LegendEntry("lineage", "Group (collapsed)", GROUP_COLOR, DEFAULT_SHAPE))
    entries += [
        LegendEntry("type", name, UNKNOWN_COLOR, shape) for name, shape in SHAPE_BY_TYPE.items()
    ]
    entries.append(LegendEntry("type", "Other type", UNKNOWN_COLOR, DEFAULT_SHAPE))
    entries += [
        LegendEntry(
            "association",
            name,
            "#8A8A8A" if dark else "#7A7A7A",
            "line",
            dashed=style.line_style != "solid",
            line_style=style.line_style,
        )
        for name, style in EDGE_STYLE_BY_ASSOCIATION.items()
    ]
    return entries


LEGEND: Final[list[LegendEntry]] = legend_entries()

# Shape outlines in a 24x24 box, for legend icons; shapes not listed fall back to an ellipse.
_SVG_POINTS: Final[dict[str, str]] = {
    "rectangle": "3,5 21,5 21,19 3,19",
    "cut-rectangle": "7,5 17,5 21,9 21,15 17,19 7,19 3,15 3,9",
    "bottom-round-rectangle": "3,5 21,5 21,15 19,19 5,19 3,15",
    "barrel": "5,4 19,4 21,8 21,16 19,20 5,20 3,16 3,8",
    "hexagon": "7,3 17,3 22,12 17,21 7,21 2,12",
    "concave-hexagon": "3,3 21,3 18,12 21,21 3,21 6,12",
    "rhomboid": "7,5 22,5 17,19 2,19",
    "diamond": "12,2 22,12 12,22 2,12",
    "triangle": "12,3 22,21 2,21",
    "vee": "2,3 12,10 22,3 12,21",
    "tag": "2,5 16,5 22,12 16,19 2,19",
    "pentagon": "12,2 22,10 18,21 6,21 2,10",
    "round-octagon": "8,2 16,2 22,8 22,16 16,22 8,22 2,16 2,8",
    "star": "12,2 14.5,9 22,9 16,13.5 18.5,21 12,16.5 5.5,21 8,13.5 2,9 9.5,9",
}


def legend_svg(entry: LegendEntry) -> str:
    """A 24x24 inline SVG icon for a legend entry (a node shape, or a styled line with arrow)."""
    head = '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">'
    if entry.shape == "line":
        dash = {"dashed": ' stroke-dasharray="5,3"', "dotted": ' stroke-dasharray="1.5,2.5"'}
        body = (
            f'<line x1="1" y1="12" x2="17" y2="12" stroke="{entry.color}" stroke-width="2"'
            f"{dash.get(entry.line_style, '')}/>"
            f'<polygon points="16,7 23,12 16,17" fill="{entry.color}"/>'
        )
    elif entry.shape in _SVG_POINTS:
        join = ' stroke-linejoin="round"' if entry.shape.startswith("round") else ""
        body = (
            f'<polygon points="{_SVG_POINTS[entry.shape]}" fill="{entry.color}" '
            f'stroke="#333333" stroke-width="1"{join}/>'
        )
    else:
        body = f'<ellipse cx="12" cy="12" rx="10" ry="9" fill="{entry.color}" stroke="#333333"/>'
    return f"{head}{body}</svg>"


def legend_data_uri(entry: LegendEntry) -> str:
    """`legend_svg` as a data: URI, ready for `html.Img(src=...)` in Dash."""
    encoded = base64.b64encode(legend_svg(entry).encode()).decode()
    return f"data:image/svg+xml;base64,{encoded}"
