"""The report's inline script and style: pan/zoom and click-to-details, no external code."""

from __future__ import annotations

from typing import Final

REPORT_CSS: Final = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0;color:#222;background:#fff}
header,main{padding:12px 20px}
header h1{font-size:20px;margin:0 0 6px}
.caption-lines{margin:0;padding:0;list-style:none;font-size:13px;line-height:1.5}
.caption-lines li{word-break:break-all}
.layout{display:flex;gap:12px;align-items:stretch}
#lv-graph{flex:1 1 auto;border:1px solid #ccc;height:72vh;overflow:hidden;position:relative}
#lv-graph svg{width:100%;height:100%;cursor:grab;display:block}
#lv-graph svg.dragging{cursor:grabbing}
#lv-details{flex:0 0 360px;border:1px solid #ccc;padding:8px;height:72vh;overflow:auto}
#lv-details pre{white-space:pre-wrap;word-break:break-all;font-size:11px}
.toolbar{margin:6px 0}
.toolbar button{margin-right:4px}
g.node{cursor:pointer}
g.node.lv-selected polygon,g.node.lv-selected ellipse{stroke:#D55E00;stroke-width:4}
table{border-collapse:collapse;font-size:12px;margin:8px 0 24px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-all}
th{background:#f0f0f0}
body.lv-export #lv-graph{height:auto;overflow:visible;border:0}
body.lv-export #lv-graph svg{width:auto;height:auto}
"""

REPORT_JS: Final = """
(function () {
  "use strict";
  var holder = document.getElementById("lv-graph");
  var svg = holder ? holder.querySelector("svg") : null;
  var dataNode = document.getElementById("lv-data");
  if (!svg || !dataNode) { return; }
  var details = JSON.parse(dataNode.textContent || "{}");
  var graph = svg.querySelector("g.lineage-graph");
  var ox = parseFloat(graph.getAttribute("data-ox")) || 0;
  var oy = parseFloat(graph.getAttribute("data-oy")) || 0;
  var view = {x: 0, y: 0, k: 1};
  var drag = null;
  var selected = null;

  function apply() {
    graph.setAttribute("transform", "translate(" + (ox + view.x) + "," + (oy + view.y) +
      ") scale(" + view.k + ")");
  }
  function toSvg(evt) {
    var pt = svg.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    var m = svg.getScreenCTM();
    return m ? pt.matrixTransform(m.inverse()) : pt;
  }
  function zoomAt(px, py, factor) {
    var k = Math.min(8, Math.max(0.1, view.k * factor));
    var gx = (px - ox - view.x) / view.k, gy = (py - oy - view.y) / view.k;
    view.x = px - ox - k * gx; view.y = py - oy - k * gy; view.k = k;
    apply();
  }
  function reset() { view = {x: 0, y: 0, k: 1}; apply(); }
  function show(id) {
    var info = details[id];
    var panel = document.getElementById("lv-details-body");
    if (selected) { selected.classList.remove("lv-selected"); }
    selected = null;
    svg.querySelectorAll("g.node").forEach(function (g) {
      if (g.getAttribute("data-id") === id) { selected = g; g.classList.add("lv-selected"); }
    });
    panel.textContent = "";
    if (!info) { panel.textContent = "No details for " + id; return; }
    var title = document.createElement("h3");
    title.textContent = info.label;
    var arn = document.createElement("p");
    arn.textContent = info.arn;
    var kind = document.createElement("p");
    kind.textContent = info.lineage_type + (info.type ? " · " + info.type : "");
    var pre = document.createElement("pre");
    pre.textContent = JSON.stringify(info.describe || {}, null, 2);
    panel.appendChild(title); panel.appendChild(arn); panel.appendChild(kind);
    panel.appendChild(pre);
  }

  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var p = toSvg(evt);
    zoomAt(p.x, p.y, evt.deltaY < 0 ? 1.15 : 1 / 1.15);
  }, {passive: false});
  svg.addEventListener("pointerdown", function (evt) {
    if (evt.target.closest && evt.target.closest("g.node")) { return; }
    var p = toSvg(evt);
    drag = {x: p.x - view.x, y: p.y - view.y};
    svg.classList.add("dragging");
  });
  window.addEventListener("pointermove", function (evt) {
    if (!drag) { return; }
    var p = toSvg(evt);
    view.x = p.x - drag.x; view.y = p.y - drag.y; apply();
  });
  window.addEventListener("pointerup", function () {
    drag = null; svg.classList.remove("dragging");
  });
  svg.addEventListener("click", function (evt) {
    var g = evt.target.closest ? evt.target.closest("g.node") : null;
    if (g) { show(g.getAttribute("data-id")); }
  });
  svg.addEventListener("keydown", function (evt) {
    var g = evt.target.closest ? evt.target.closest("g.node") : null;
    if (g && (evt.key === "Enter" || evt.key === " ")) {
      evt.preventDefault(); show(g.getAttribute("data-id"));
    }
  });
  document.getElementById("lv-zoom-in").addEventListener("click", function () {
    var b = svg.viewBox.baseVal; zoomAt(b.width / 2, b.height / 2, 1.25);
  });
  document.getElementById("lv-zoom-out").addEventListener("click", function () {
    var b = svg.viewBox.baseVal; zoomAt(b.width / 2, b.height / 2, 0.8);
  });
  document.getElementById("lv-reset").addEventListener("click", reset);
  window.lineageReport = {show: show, reset: reset, view: function () { return view; }};
  document.body.setAttribute("data-ready", "1");
})();
"""
