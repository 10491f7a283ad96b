/* lineage-viz: draw packed elements at once, highlight client-side, double-click, fit/zoom/centre. */
(function () {
  "use strict";
  var GRAPH_ID = "graph";
  var DBLTAP_STORE = "dbltap-store";
  var SEARCH_STATUS = "graph-search-status";
  var DRAWN_STORE = "drawn-store";
  var HIGHLIGHTS = "highlighted selected-path faded answer added search-hit";
  var wanted = {selected: null, answer: [], added: [], search: ""};

  function cy() {
    var el = document.getElementById(GRAPH_ID);
    return el && el._cyreg ? el._cyreg.cy : null;
  }

  function bind(instance) {
    if (!instance || instance._lvBound) { return instance; }
    instance._lvBound = true;
    // dash-cytoscape copies every element back into its `elements` prop after each add or
    // remove, and diffs that copy on the next update. Elements here come from draw(), never
    // from that prop (it stays []), so those listeners only cost time: drop them.
    instance.off("add remove dragfree");
    instance.on("dbltap", "node", function (evt) {
      var id = evt.target.id();
      if (id.indexOf("group:") === 0 || !window.dash_clientside) { return; }
      window.dash_clientside.set_props(DBLTAP_STORE, {data: {arn: id, at: Date.now()}});
    });
    return instance;
  }

  /* Packed columns (viz_app/ui/packing.py) to Cytoscape element objects. */
  function unpack(packed) {
    var classes = packed.classes, nodes = packed.nodes, edges = packed.edges;
    var out = new Array(nodes.length + edges.length);
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i], data = {id: n[0], label: n[1], lineage_type: n[2]};
      if (n[3] !== null) { data.type = n[3]; }
      if (n[7]) { for (var k in n[7]) { data[k] = n[7][k]; } }
      out[i] = {group: "nodes", data: data, classes: classes[n[6]], position: {x: n[4], y: n[5]}};
    }
    for (var j = 0; j < edges.length; j++) {
      var e = edges[j], edata = {id: "e" + j, source: nodes[e[0]][0], target: nodes[e[1]][0]};
      if (e[2]) { edata.association_type = e[2]; }
      if (e[3] > 1) { edata.count = e[3]; }
      out[nodes.length + j] = {group: "edges", data: edata, classes: classes[e[4]]};
    }
    return out;
  }

  function toSet(list) { return new Set(list || []); }

  /* Put the wanted highlight classes on the graph; returns the number of search hits. */
  function apply(c) {
    if (c._lvLit) { c.elements().removeClass(HIGHLIGHTS); }
    c._lvLit = false;
    var sel = wanted.selected ? c.getElementById(wanted.selected) : c.collection();
    if (sel.length && sel.isNode()) {
      c._lvLit = true;
      if (!sel.hasClass("start")) {  // from the start, paths would cover the whole graph
        var path = sel.predecessors().union(sel.successors());
        c.elements().difference(path).difference(sel).addClass("faded");
        path.addClass("selected-path");
      }
      sel.addClass("highlighted");
    }
    var answer = toSet(wanted.answer), added = toSet(wanted.added);
    var needle = (wanted.search || "").trim().toLowerCase(), hits = 0;
    if (!answer.size && !added.size && !needle) { return 0; }
    c._lvLit = true;
    c.nodes().forEach(function (node) {
      var members = node.data("members") || [node.id()];
      if (answer.size && members.some(function (m) { return answer.has(m); })) { node.addClass("answer"); }
      if (added.size && members.some(function (m) { return added.has(m); })) { node.addClass("added"); }
      var label = String(node.data("label") || "").toLowerCase();
      if (needle && (node.id().toLowerCase().indexOf(needle) >= 0 || label.indexOf(needle) >= 0)) {
        node.addClass("search-hit");
        hits += 1;
      }
    });
    return hits;
  }

  function hitsText(hits) {
    if (!(wanted.search || "").trim()) { return ""; }
    return hits + (hits === 1 ? " match" : " matches");
  }

  /* Replace every element at once (no diffing), highlight, fit: one frame to draw. */
  function draw(packed) {
    var c = bind(cy());
    if (!c) {
      setTimeout(function () {
        window.dash_clientside.set_props(DRAWN_STORE, {data: draw(packed)});
      }, 50);
      return window.dash_clientside.no_update;
    }
    c.startBatch();
    c.elements().remove();
    c._lvLit = false;
    if (packed) { c.add(unpack(packed)); }
    c._lvKey = packed ? packed.key : null;
    var hits = apply(c);
    c.endBatch();
    if (packed) { c.fit(undefined, 30); }
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(SEARCH_STATUS, {children: hitsText(hits)});
    }
    return packed ? packed.key : null;
  }

  function highlight(selected, answer, search, graph) {
    wanted = {
      selected: selected || null,
      answer: (answer && answer.arns) || [],
      added: (graph && graph.added) || [],
      search: search || ""
    };
    var c = cy();
    // A new view is on its way: draw() applies these then, so the old graph is not restyled.
    if (!c || (graph && graph.key !== c._lvKey)) { return window.dash_clientside.no_update; }
    var hits;
    c.batch(function () { hits = apply(c); });
    return hitsText(hits);
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.lineageViz = {draw: draw, highlight: highlight};

  window.lineageViz = {
    cy: cy,
    control: function (trigger, selected) {
      var c = cy();
      if (!c) { return; }
      var centre = {x: c.width() / 2, y: c.height() / 2};
      if (trigger === "graph-fit") { c.fit(undefined, 30); }
      if (trigger === "graph-zoom-in") { c.zoom({level: c.zoom() * 1.25, renderedPosition: centre}); }
      if (trigger === "graph-zoom-out") { c.zoom({level: c.zoom() / 1.25, renderedPosition: centre}); }
      if (trigger === "graph-centre") {
        var node = selected ? c.getElementById(selected) : null;
        if (node && node.length) { c.center(node); } else { c.center(); }
      }
    }
  };

  setInterval(function () { bind(cy()); }, 250);
})();
