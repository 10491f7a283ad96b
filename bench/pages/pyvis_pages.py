"""The two pyvis pages we compare with, written self-contained (no CDN) with a timing hook.

`sdk_page` is `sagemaker.lineage.query.LineageQueryResult.visualize()` run unchanged on the
response; `example_page` is a page in the style of the AWS examples' lineage `visualizer.py`
(a pyvis Network, nodes coloured by lineage type, physics on). Afterwards the CDN tags pyvis
writes are replaced by the same files pyvis ships (vis-network 9.1.2, its utils.js) inlined;
bootstrap's CDN tags (page chrome only) are dropped. What vis-network draws is unchanged.
"""

from __future__ import annotations

import json
import re
import time
import warnings
from pathlib import Path
from typing import Any, Final

PHYSICS_OPTIONS: Final = {
    "layout": {"hierarchical": {"enabled": True, "direction": "LR", "sortMethod": "directed"}},
    "physics": {
        "enabled": True,
        "solver": "hierarchicalRepulsion",
        "hierarchicalRepulsion": {"centralGravity": 0},
        "minVelocity": 0.75,
    },
    "edges": {"arrows": {"to": {"enabled": True}}, "smooth": False},
}
EXAMPLE_COLORS: Final = {
    "Artifact": "#146eb4",
    "Context": "#ff9900",
    "Action": "#88c396",
    "TrialComponent": "#f6cf61",
}
# Records when vis-network emits events, before any network exists (patched on the prototype).
TIMING_HOOK: Final = """<script>
window.__pv = {first: null, stab: null, drawn: null};
(function () {
  var emit = vis.Network.prototype.emit;
  vis.Network.prototype.emit = function (name) {
    var now = performance.now(), pv = window.__pv;
    if (name === "stabilizationIterationsDone" && pv.stab === null) { pv.stab = now; }
    if (name === "afterDrawing") {
      if (pv.first === null) { pv.first = now; }
      if (pv.stab !== null && pv.drawn === null) { pv.drawn = now; }
    }
    return emit.apply(this, arguments);
  };
})();
</script>"""


def _lib() -> Path:
    import pyvis  # type: ignore[import-untyped]

    return Path(pyvis.__file__).parent / "templates" / "lib"


def self_contained(html: str) -> str:
    """Inline pyvis's own vis-network and utils.js instead of CDN/relative tags; add the hook."""
    lib = _lib()
    js = (lib / "vis-9.1.2" / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-9.1.2" / "vis-network.css").read_text(encoding="utf-8")
    utils = (lib / "bindings" / "utils.js").read_text(encoding="utf-8")
    html = re.sub(r'<script[^>]*src="lib/bindings/utils.js"[^>]*>\s*</script>', "", html)
    html = re.sub(r"<link[^>]*vis-network[^>]*?/?>", "", html, flags=re.S)
    html = re.sub(r"<script[^>]*vis-network[^>]*>\s*</script>", "", html, flags=re.S)
    html = re.sub(r"<link[^>]*bootstrap[^>]*?/?>", "", html, flags=re.S)
    html = re.sub(r"<script[^>]*bootstrap[^>]*>\s*</script>", "", html, flags=re.S)
    if "https://" in re.sub(r"<!--.*?-->", "", html, flags=re.S).split("<body")[0]:
        raise RuntimeError("a remote resource is left in the pyvis page head")
    utils = utils.replace("</script", "<\\/script")
    inline = f"<style>{css}</style><script>{js}</script>{TIMING_HOOK}<script>{utils}</script>"
    return html.replace("<head>", "<head>" + inline, 1)


def sdk_page(response: dict[str, Any], start_arn: str, path: Path) -> float:
    """Write the SDK visualizer's page for `response`; returns the seconds `visualize()` took."""
    from sagemaker.lineage.query import LineageQuery, LineageQueryResult

    query = LineageQuery(None)  # type: ignore[no-untyped-call]
    result = query._convert_api_response(response, LineageQueryResult(startarn=[start_arn]))
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result.visualize(path=str(path))
    elapsed = time.perf_counter() - started
    path.write_text(self_contained(path.read_text(encoding="utf-8")), encoding="utf-8")
    return elapsed


def example_page(response: dict[str, Any], path: Path) -> float:
    """Write an examples-style pyvis page (physics on); returns the seconds it took in Python."""
    from pyvis.network import Network  # type: ignore[import-untyped]

    started = time.perf_counter()
    net = Network(height="600px", width="100%", directed=True, cdn_resources="local")
    net.set_options("var options = " + json.dumps(PHYSICS_OPTIONS))
    for vertex in response["Vertices"]:
        arn, kind = vertex["Arn"], vertex["LineageType"]
        label = f"{vertex.get('Type') or kind}\n{kind}"
        color = EXAMPLE_COLORS.get(kind, "#cccccc")
        net.add_node(arn, label=label, title=arn, color=color, shape="box")
    for edge in response["Edges"]:
        title = edge.get("AssociationType") or ""
        net.add_edge(edge["SourceArn"], edge["DestinationArn"], title=title)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = net.generate_html(notebook=False)
    elapsed = time.perf_counter() - started
    path.write_text(self_contained(html), encoding="utf-8")
    return elapsed
