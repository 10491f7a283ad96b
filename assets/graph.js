/* lineage-viz: fetch and draw packed elements at once, highlight client-side, double-click, fit/zoom/centre. */
(function () {
  "use strict";
  var GRAPH_ID = "graph";
  var DBLTAP_STORE = "dbltap-store";
  var SEARCH_STATUS = "graph-search-status";
  var DRAWN_STORE = "drawn-store";
  var ELEMENTS_PATH = "_lineage-viz/elements";  // viz_app/ui/elements_route.py
  // Labels and arrows are styled only on elements with this class (viz_app/ui/stylesheet.py
  // DETAIL_CLASS), given to what is in view: edges (arrows) from the zoom their arrowheads
  // are a few pixels wide, nodes from the zoom their labels are readable (min px / font px).
  // Further out, edges are plain haystack lines and nodes carry no text.
  var DETAIL_CLASS = "detailed";
  var ARROW_ZOOM = 0.3;
  var DETAIL_ZOOM = 5 / 11;
  var HIGHLIGHTS = "highlighted selected-path faded answer added search-hit";
  var wanted = {key: null, selected: null, answer: [], added: [], search: ""};
  var names = new Map();  // ARN -> name from Describe
  var loads = 0;  // number of the latest elements request; older answers are dropped
  var pending = null;  // {promise, query} of the request in flight
  var painted = null;  // the query whose answer the graph shows
  var drawn = null;  // "key\ngroups" the graph shows
  var announced = null;  // the key last put in the drawn store
  var storeKey = null;  // the key of the view the page's stores hold (from highlight())
  var shownKey = null;  // the key of the last elements the page's callbacks settled on

  function cy() {
    var el = document.getElementById(GRAPH_ID);
    return el && el._cyreg ? el._cyreg.cy : null;
  }

  /* Give the detail class to the elements in view that the zoom makes worth detailing. */
  function detailInView(c) {
    var zoom = c.zoom();
    if (zoom < ARROW_ZOOM) { return 0; }
    var box = c.extent(), margin = 80;
    var inView = function (p) {
      return p.x >= box.x1 - margin && p.x <= box.x2 + margin &&
        p.y >= box.y1 - margin && p.y <= box.y2 + margin;
    };
    var todo = zoom < DETAIL_ZOOM ? c.collection() : c.nodes().filter(function (n) {
      return !n.hasClass(DETAIL_CLASS) && inView(n.position());
    });
    todo = todo.union(c.edges().filter(function (e) {
      return !e.hasClass(DETAIL_CLASS) &&
        (inView(e.source().position()) || inView(e.target().position()));
    }));
    if (todo.length) { todo.addClass(DETAIL_CLASS); }
    return todo.length;
  }

  function bind(instance) {
    if (!instance || instance._lvBound) { return instance; }
    instance._lvBound = true;
    // Cytoscape caches where its container is on the page; text above the graph (status,
    // trail) can move it after a draw. Re-measure before a pointer or wheel event uses it.
    var container = instance.container(), seen = "";
    var remeasure = function () {
      var r = container.getBoundingClientRect(), now = r.left + "," + r.top + "," + r.width + "," + r.height;
      if (now !== seen) { seen = now; instance.resize(); }
    };
    ["mousedown", "touchstart", "wheel", "mouseenter"].forEach(function (type) {
      container.addEventListener(type, remeasure, {capture: true, passive: true});
    });
    var timer = null;
    instance.on("viewport", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { detailInView(instance); }, 60);
    });
    // dash-cytoscape copies every element back into its `elements` prop after each add or
    // remove, and diffs that copy on the next update. Elements here come from paint(), never
    // from that prop (it stays []), so those listeners only cost time: drop them.
    instance.off("add remove dragfree");
    instance.on("dbltap", "node", function (evt) {
      var id = evt.target.id();
      if (id.indexOf("group:") === 0 || !window.dash_clientside) { return; }
      window.dash_clientside.set_props(DBLTAP_STORE, {data: {arn: id, at: Date.now()}});
    });
    return instance;
  }

  /* Packed columns (viz_app/ui/packing.py) to Cytoscape element objects. Each carries a
     signature of everything but its position, so a later view can keep it if unchanged. */
  function unpack(packed) {
    var classes = packed.classes, nodes = packed.nodes, edges = packed.edges;
    var out = new Array(nodes.length + edges.length), SEP = "\u0001";
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i], data = {id: n[0], label: n[1], lineage_type: n[2]};
      if (n[3] !== null) { data.type = n[3]; }
      if (n[7]) { for (var k in n[7]) { data[k] = n[7][k]; } }
      var sig = n[1] + SEP + n[2] + SEP + n[3] + SEP + (n[7] ? JSON.stringify(n[7]) : "");
      out[i] = {group: "nodes", data: data, classes: classes[n[6]],
                position: {x: n[4], y: n[5]}, scratch: {_lv: classes[n[6]] + SEP + sig}};
    }
    for (var j = 0; j < edges.length; j++) {
      var e = edges[j], source = nodes[e[0]][0], target = nodes[e[1]][0];
      var edata = {id: "e" + SEP + source + SEP + target, source: source, target: target};
      if (e[2]) { edata.association_type = e[2]; }
      if (e[3] > 1) { edata.count = e[3]; }
      out[nodes.length + j] = {group: "edges", data: edata, classes: classes[e[4]],
                               scratch: {_lv: classes[e[4]] + SEP + e[2] + SEP + e[3]}};
    }
    return out;
  }

  /* Make the graph show `next`: elements whose signature is unchanged stay (styled already,
     only moved), the others are removed and added. Re-rooting keeps most of a graph. */
  function replace(c, next) {
    var byId = new Map();
    for (var i = 0; i < next.length; i++) { byId.set(next[i].data.id, next[i]); }
    var stale = c.elements().filter(function (ele) {
      var want = byId.get(ele.id());
      return !want || want.scratch._lv !== ele.scratch("_lv");
    });
    c.remove(stale);  // removing a node removes its edges too: they are added again below
    var fresh = [], kept = c.collection();
    for (var j = 0; j < next.length; j++) {
      var el = next[j], have = c.getElementById(el.data.id);
      if (!have.length) { fresh.push(el); } else if (el.position) { kept.merge(have); }
    }
    kept.positions(function (node) { return byId.get(node.id()).position; });  // one update
    c.add(fresh);
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

  function noUpdate() { return window.dash_clientside.no_update; }

  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(id, props);
    }
  }

  /* Described names replace the ARN-derived labels of the nodes they belong to. */
  function nameNodes(c) {
    names.forEach(function (label, arn) {
      var node = c.getElementById(arn);
      if (node.length) { node.data("label", label); }
    });
  }

  /* Show `packed` in one batch (unchanged elements kept), highlight, fit: one frame to draw. */
  function paint(packed, groups, n) {
    var c = bind(cy());
    if (!c) {  // the graph component is not mounted yet
      setTimeout(function () { if (n === loads) { paint(packed, groups, n); } }, 50);
      return;
    }
    var key = packed ? packed.key : null;
    if (wanted.key !== key) {  // highlights of another view wait for this one's stores
      wanted = {key: key, selected: null, answer: [], added: [], search: wanted.search};
    }
    c.startBatch();
    if (packed) {
      replace(c, unpack(packed));  // apply() below clears the highlights of kept elements
      nameNodes(c);
    } else {
      c.elements().remove();
      c._lvLit = false;
    }
    c._lvKey = key;
    var hits = apply(c);
    c.endBatch();
    if (packed) {
      c.fit(undefined, 30);
      // Before the first frame: a graph small enough to read is drawn with its labels, fitted.
      if (detailInView(c)) { c.fit(undefined, 30); }
    }
    drawn = packed ? key + "\n" + groups : null;
    setProps(SEARCH_STATUS, {children: hitsText(hits)});
    if (announced !== key) {  // the tables follow the drawn view
      announced = key;
      setProps(DRAWN_STORE, {data: key});
    }
  }

  function elementsUrl(query) {
    var prefix = "/";
    try {
      prefix = JSON.parse(document.getElementById("_dash-config").textContent)
        .requests_pathname_prefix || "/";
    } catch (e) { /* the default prefix */ }
    return prefix + ELEMENTS_PATH + "?" + query;
  }

  /* Fetch packed elements and draw them, unless a newer request was made meanwhile. */
  function request(query, groups) {
    if (pending ? pending.query === query : painted === query) { return; }  // asked already
    var n = ++loads;
    var promise = fetch(elementsUrl(query), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (packed) {
        if (n !== loads) { return; }
        pending = null;
        painted = query;
        paint(packed && packed.key ? packed : null, groups, n);
      });
    pending = {promise: promise, query: query};
  }

  /* The URL changed: fetch its view's elements now, beside the query callback. */
  function load(search) {
    request("search=" + encodeURIComponent(search || ""), "");
    return noUpdate();
  }

  /* The elements the page's callbacks settled on: drawn already, or fetched now. */
  function show(ref) {
    shownKey = ref ? ref.key : null;
    if (!ref) {
      loads += 1;  // drop whatever is in flight
      pending = null;
      painted = null;
      paint(null, "", loads);
      return noUpdate();
    }
    var groups = (ref.groups || []).join("\n");
    var ensure = function () {
      if (drawn === ref.key + "\n" + groups) { return; }
      var query = "key=" + encodeURIComponent(ref.key);
      (ref.groups || []).forEach(function (g) { query += "&group=" + encodeURIComponent(g); });
      request(query, groups);
    };
    if (pending) { pending.promise.then(ensure); } else { ensure(); }
    return noUpdate();
  }

  function labels(described) {
    names = new Map();
    Object.keys(described || {}).forEach(function (arn) {
      var d = described[arn];
      if (d && typeof d.label === "string" && d.label) { names.set(arn, d.label); }
    });
    var c = cy();
    if (c && names.size) { c.batch(function () { nameNodes(c); }); }
    return noUpdate();
  }

  function highlight(selected, answer, search, graph) {
    storeKey = graph ? graph.key : null;
    wanted = {
      key: graph ? graph.key : null,
      selected: selected || null,
      answer: (answer && answer.arns) || [],
      added: (graph && graph.added) || [],
      search: search || ""
    };
    var c = cy();
    // A new view is on its way: paint() applies these then, so the old graph is not restyled.
    if (!c || (graph && graph.key !== c._lvKey)) { return noUpdate(); }
    var hits;
    c.batch(function () { hits = apply(c); });
    return hitsText(hits);
  }

  /* Re-root: the URL's question from the selected (or double-clicked) node. */
  function reroot(clicks, dbltap, selected, search) {
    var skip = [noUpdate(), noUpdate(), noUpdate(), noUpdate()];
    var trigger = window.dash_clientside.callback_context.triggered_id;
    var target = trigger === DBLTAP_STORE ? (dbltap && dbltap.arn) : selected;
    if (!target || typeof target !== "string" || target.indexOf("arn:") !== 0) { return skip; }
    var params = new URLSearchParams(search || "");
    if (params.get("arn") === target) { return skip; }
    params.set("arn", target);
    var next = "?" + params.toString();
    load(next);  // ask for the new view's elements now; the URL change asks the same again
    return [next, target, [], ""];
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.lineageViz = {
    load: load, show: show, highlight: highlight, labels: labels, reroot: reroot
  };

  window.lineageViz = {
    cy: cy,
    /* True once the drawn graph is the view the page's stores hold (tests wait for it). */
    settled: function () {
      var c = cy();
      return !!c && storeKey !== null && c._lvKey === storeKey && shownKey === storeKey;
    },
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
