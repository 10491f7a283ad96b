/* lineage-viz: fetch and draw packed elements at once, highlight client-side, double-click, fit/zoom/centre. */
(function () {
  "use strict";
  // Ids, routes, classes and colours come from Python (viz_app/ui/page_constants.py).
  var K = window.lineageVizConstants;
  var GRAPH_ID = K.ids.graph, DBLTAP_STORE = K.ids.dbltapStore;
  var SEARCH_STATUS = K.ids.searchStatus, DRAWN_STORE = K.ids.drawnStore;
  var ELEMENTS_PATH = K.paths.elements, NAMES_PATH = K.paths.names;
  var PROGRESS_PATH = K.paths.progress, STOP_PATH = K.paths.stop;
  // Labels and arrows are styled only on elements with the detail class, given to what is in
  // view: edges (arrows) from the zoom their arrowheads are a few pixels wide, nodes from the
  // zoom their labels are readable (no label a person must read is drawn under 10 px).
  // Further out, edges are plain haystack lines and nodes carry no text.
  var DETAIL_CLASS = K.classes.detail;
  var ARROW_ZOOM = 0.3;
  var READABLE_ZOOM = K.readableZoom;
  var DETAIL_ZOOM = READABLE_ZOOM;
  // A new view not here by then: draw the start's nearest neighbours (the first page of the
  // question at depth 1) while the rest pages, and from a second on say how far it got.
  var PEEK_MS = 400, PROGRESS_MS = 1000, POLL_MS = 300;
  var FIRST_NAMES = 400;  // names asked first: the nodes in view
  var MORE_NAMES = 1000;  // then the rest, this many a request
  var FOCUS_HOPS = 2;
  var PROGRESSIVE_MIN = 1500;  // elements: a bigger new view draws the start's part first
  var AHEAD_MS = 250;  // a node selected this long: its re-root view is fetched ahead
  var HIGHLIGHTS = K.classes.highlights;
  var RUN_BOX = K.classes.runBox;  // the frame of a pipeline run (`arrange=runs`)
  var RUN_OVERVIEW_MIN = 300;  // nodes: a view this big arranged by run opens on its runs
  var TITLE_SCREEN_PX = 15, TITLE_MIN_MODEL_PX = K.titles.minModelPx, TITLE_BAND = K.titles.band;
  var TITLE_BAND_FONT = TITLE_SCREEN_PX / READABLE_ZOOM, TITLE_OVER = K.titles.overClass;
  var wanted = {key: null, selected: null, answer: [], added: [], search: ""};
  var names = new Map();  // ARN -> name from Describe
  var loads = 0;  // number of the latest elements request; older answers are dropped
  var pending = null;  // {promise, query} of the request in flight
  var ahead = null;  // {promise, query} of the selected node's re-root view, fetched ahead
  var aheadTimer = null;
  var painted = null;  // the query whose answer the graph shows
  var drawn = null;  // "key\ngroups" the graph shows
  var announced = null;  // the key last put in the drawn store
  var storeKey = null;  // the key of the view the page's stores hold (from highlight())
  var shownKey = null;  // the key of the last elements the page's callbacks settled on
  var viewStart = null;  // the start ARN whose view the viewport was set for
  var deferredDraw = 0;  // the number of the draw whose second part is still to come (0: none)
  var unnamed = new Set();  // nodes whose labels are still ARN-derived (names on their way)
  var namesAsked = 0;  // name requests in flight
  var namesAgain = false;  // askNames() was called meanwhile: ask again when they end
  var focus = false;  // focus mode: only FOCUS_HOPS around the selected node (or start)
  var lastAnswer = "", lastSearch = "";

  function cy() {
    var el = document.getElementById(GRAPH_ID);
    return el && el._cyreg ? el._cyreg.cy : null;
  }

  /* Run frames' titles, TITLE_SCREEN_PX on screen: where node labels are read, in the
     frame's title band; zoomed further out, bigger (up to data fs, what the frame's width
     holds) over the frame's middle, the one text of the overview. */
  function sizeTitles(c) {
    var frames = c.nodes("." + RUN_BOX);
    if (!frames.length) { return; }
    var zoom = c.zoom(), over = zoom < READABLE_ZOOM, want = TITLE_SCREEN_PX / zoom;
    c.batch(function () {
      frames.toggleClass(TITLE_OVER, over);
      frames.forEach(function (f) {
        var font = Math.round(Math.max(TITLE_MIN_MODEL_PX, Math.min(want, over ? f.data("fs") : TITLE_BAND_FONT)));
        var drop = over ? 0 : Math.round((TITLE_BAND + 1.2 * font) / 2);
        if (font !== f.data("font") || drop !== f.data("tm")) { f.data({font: font, tm: drop}); }
      });
    });
  }

  /* Give the detail class to the elements in view that the zoom makes worth detailing. */
  function detailInView(c) {
    sizeTitles(c);
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
    if (window.lineageVizGestures) { window.lineageVizGestures.smooth(instance); }  // gestures.js
    if (window.lineageVizCull) { window.lineageVizCull.attach(instance); }  // viewport_cull.js
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
      drawMinimap(instance);
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

  /* Everything about a node but its position: an unchanged node is kept across views. */
  function signature(data, classes) {
    var SEP = "\u0001", extra = {};
    Object.keys(data).sort().forEach(function (k) {
      if (["id", "label", "lineage_type", "type"].indexOf(k) < 0) { extra[k] = data[k]; }
    });
    return classes + SEP + data.label + SEP + data.lineage_type + SEP + (data.type === undefined ? null : data.type) +
      SEP + JSON.stringify(extra);
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
      out[i] = {group: "nodes", data: data, classes: classes[n[6]],
                position: {x: n[4], y: n[5]}, scratch: {_lv: signature(data, classes[n[6]])}};
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
     only moved), the others are removed and added. Re-rooting keeps most of a graph.
     With `firstIds` (a big new view), only that part is on the graph for the first frame:
     Cytoscape's first frame costs time for every element present, moved ones included, so
     the rest (new elements, and kept ones parked off the graph) is returned for later. */
  function replace(c, next, firstIds) {
    var byId = new Map();
    for (var i = 0; i < next.length; i++) { byId.set(next[i].data.id, next[i]); }
    var stale = c.elements().filter(function (ele) {
      var want = byId.get(ele.id());
      return !want || want.scratch._lv !== ele.scratch("_lv");
    });
    c.remove(stale);  // removing a node removes its edges too: they are added again below
    var fresh = [], later = [], kept = c.collection();
    for (var j = 0; j < next.length; j++) {
      var el = next[j], have = c.getElementById(el.data.id);
      if (have.length) {
        if (el.position) { kept.merge(have); }
      } else if (!firstIds || (el.position ? firstIds.has(el.data.id) :
                 firstIds.has(el.data.source) && firstIds.has(el.data.target))) {
        fresh.push(el);
      } else {
        later.push(el);
      }
    }
    kept.positions(function (node) { return byId.get(node.id()).position; });  // one update
    var parked = firstIds ? kept.filter(function (n) { return !firstIds.has(n.id()); }).remove()
      : c.collection();  // with their edges
    c.add(fresh);
    return {later: later, parked: parked};
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
      if (node.hasClass(RUN_BOX)) { return; }  // a run's frame is no entity
      var members = node.data("members") || [node.id()];
      if (answer.size && members.some(function (m) { return answer.has(m); })) { node.addClass("answer"); }
      if (added.size && members.some(function (m) { return added.has(m); })) { node.addClass("added"); }
      var label = String(node.data("label") || "").replace(/\n/g, "").toLowerCase();
      var uri = String(node.data("uri") || "").toLowerCase();
      if (needle && (node.id().toLowerCase().indexOf(needle) >= 0 || label.indexOf(needle) >= 0 ||
                     uri.indexOf(needle) >= 0)) {
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

  /* Names learned on the page (names route, Describe) label nodes that came without one. */
  function nameNodes(c) {
    names.forEach(function (label, arn) {
      var node = c.getElementById(arn);
      if (node.length && node.data("label") !== label) {
        node.data("label", label);
        node.scratch("_lv", signature(node.data(), node.scratch("_lv").split("\u0001")[0]));
      }
    });
  }

  /* Show `packed` in one batch (unchanged elements kept), highlight, fit: one frame to draw. */
  function paint(packed, groups, n, peek) {
    var c = bind(cy());
    if (!c) {  // the graph component is not mounted yet
      setTimeout(function () { if (n === loads) { paint(packed, groups, n); } }, 50);
      return;
    }
    var key = packed ? packed.key : null;
    if (wanted.key !== key) {  // highlights of another view wait for this one's stores
      wanted = {key: key, selected: null, answer: [], added: [], search: wanted.search};
    }
    var sameView = packed && c._lvKey === key && viewStart === startOf(key) &&
      c._lvArrange === (packed.arrange || "");
    var rest = {later: [], parked: c.collection()};
    c.startBatch();
    if (packed) {
      var next = unpack(packed);
      // apply() below clears the highlights of kept elements
      // A view arranged by run may open on its overview: drawn whole at once.
      rest = replace(c, next, sameView || packed.arrange ? null : firstPart(c, next));
      nameNodes(c);
    } else {
      c.elements().remove();
      c._lvLit = false;
    }
    c._lvKey = key;
    c._lvArrange = packed ? packed.arrange || "" : "";
    if (focus) { focusOn(c, wanted.selected); }
    var hits = apply(c);
    c.endBatch();
    if (packed && !sameView) {  // a new view opens readable; an opened group keeps the zoom
      viewStart = startOf(key);
      openReadable(c);
    }
    if (packed) { goToNew(c, hits); }  // an answer merged into the view is shown
    if (packed) {
      detailInView(c);
      unnamed = new Set(packed.unnamed || []);
      names.forEach(function (_, arn) { unnamed.delete(arn); });
      askNames(c, key);
    }
    drawMinimap(c, true);
    var more = rest.later.length + rest.parked.length;
    deferredDraw = more ? n : 0;
    if (more) {  // the rest of a big graph, once the start's part is on screen
      requestAnimationFrame(function () {
        setTimeout(function () {
          if (deferredDraw !== n || c._lvKey !== key) { return; }
          c.startBatch();
          rest.parked.restore();
          c.add(rest.later);
          nameNodes(c);
          if (focus) { focusOn(c, wanted.selected); }
          apply(c);
          c.endBatch();
          deferredDraw = 0;
          detailInView(c);
          drawMinimap(c, true);
          askNames(c, key);
        }, 0);
      });
    }
    c._lvPeek = !!peek;
    if (peek) { return; }  // a first look only: the page's stores and tables wait for the view
    drawn = packed ? key + "\n" + groups : null;
    setProps(SEARCH_STATUS, {children: hitsText(hits)});
    // The tables follow the drawn view. Announced here only once the page's callbacks have
    // settled on this key (show() ran for it): a store set while the callback that outputs it
    // is still pending in Dash's chain sets off nothing. Drawn earlier, show() announces it.
    if (announced !== key && shownKey === key) {
      announced = key;
      setProps(DRAWN_STORE, {data: key});
    }
  }

  function routePrefix() {
    try {
      return JSON.parse(document.getElementById("_dash-config").textContent)
        .requests_pathname_prefix || "/";
    } catch (e) { return "/"; }
  }

  /* A view key asks for the same arrangement as the page's URL (a search carries its own). */
  function elementsUrl(query) {
    var arrange = new URLSearchParams(window.location.search).get(K.arrange.param);
    var extra = arrange && query.indexOf("key=") === 0 ?
      "&" + K.arrange.param + "=" + encodeURIComponent(arrange) : "";
    return routePrefix() + ELEMENTS_PATH + "?" + query + extra;
  }

  function startOf(key) {
    return new URLSearchParams(key || "").get("arn");  // a view key is a URL query (view_cache.py)
  }

  /* The part of the graph box not covered by overlays (the details card), in rendered px. */
  function freeArea(c) {
    var box = c.container().getBoundingClientRect();
    var area = {x1: 0, y1: 0, x2: box.width, y2: box.height};
    document.querySelectorAll("#" + K.ids.detailsCard).forEach(function (el) {
      if (el.offsetParent === null) { return; }  // hidden
      var r = el.getBoundingClientRect();
      if (r.left > box.left + box.width / 2 && r.left < box.right && r.top < box.bottom) {
        area.x2 = Math.min(area.x2, r.left - box.left - 8);
      }
    });
    return area;
  }

  /* Bounds of nodes with room for the labels under them (cheap: positions only). */
  function bounds(nodes, tight) {
    var b = {x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity};
    nodes.forEach(function (n) { grow(b, n, tight); });
    return b;
  }

  /* Widen `b` by node `n` (a Cytoscape node or a plain element) with room for its label;
     `tight`: by the node itself only (a label at the border may be cut by the edge). */
  function grow(b, n, tight) {
    var plain = typeof n.position !== "function";
    var p = plain ? n.position : n.position();
    var lines = String((plain ? n.data.label : n.data("label")) || "").split("\n");
    var half = tight ? 40 :
      Math.max(24, 3.6 * Math.max.apply(null, lines.map(function (l) { return l.length; })));
    b.x1 = Math.min(b.x1, p.x - half); b.x2 = Math.max(b.x2, p.x + half);
    b.y1 = Math.min(b.y1, p.y - (tight ? 30 : 25));
    b.y2 = Math.max(b.y2, p.y + (tight ? 50 : 25 + 15 * lines.length));
    return b;
  }

  /* Show `b` (model coordinates) centred in the free area at `zoom`. */
  function showAt(c, b, zoom) {
    var area = freeArea(c);
    c.viewport({
      zoom: zoom,
      pan: {x: (area.x1 + area.x2) / 2 - zoom * (b.x1 + b.x2) / 2,
            y: (area.y1 + area.y2) / 2 - zoom * (b.y1 + b.y2) / 2}
    });
  }

  /* Fit `nodes` if they can be read fitted; else show as many as can be read around `anchor`. */
  function readableFit(c, nodes, anchor, maxZoom) {
    if (!nodes.length) { return; }
    var area = freeArea(c), pad = 24, b = bounds(nodes);
    var fit = Math.min((area.x2 - area.x1 - 2 * pad) / (b.x2 - b.x1),
                       (area.y2 - area.y1 - 2 * pad) / (b.y2 - b.y1));
    if (fit >= READABLE_ZOOM) {
      showAt(c, b, Math.min(fit, maxZoom || 1.25));
      return;
    }
    var zoom = READABLE_ZOOM * 1.02, centre = anchor && anchor.length ? anchor : nodes.first();
    var room = {w: (area.x2 - area.x1 - 2 * pad) / zoom, h: (area.y2 - area.y1 - 2 * pad) / zoom};
    // The centre and as many of its neighbours, nearest first, as fit at a readable zoom.
    var c0 = centre.first().position(), shown = centre;
    var near = centre.neighborhood("node").sort(function (a, b) {
      var pa = a.position(), pb = b.position();
      return Math.hypot(pa.x - c0.x, pa.y - c0.y) - Math.hypot(pb.x - c0.x, pb.y - c0.y);
    });
    // Fits: the nodes themselves in view (a label at the border may be cut by the edge).
    var tb = bounds(shown, true);
    near.forEach(function (n) {
      var wider = grow(Object.assign({}, tb), n, true);
      if (wider.x2 - wider.x1 <= room.w && wider.y2 - wider.y1 <= room.h) {
        shown = shown.union(n);
        tb = wider;
      }
    });
    var sb = bounds(shown);
    showAt(c, (sb.x2 - sb.x1 <= room.w && sb.y2 - sb.y1 <= room.h) ? sb : tb, zoom);
  }

  /* A new view: the whole graph if it can be read fitted, else the start and its neighbours
     at a readable zoom, with the minimap for the rest. */
  function openReadable(c) {
    if (!runOverview(c)) { readableFit(c, c.nodes(), c.nodes(".start")); }
  }

  /* A big view arranged by pipeline run that cannot be read fitted opens on the list of its
     runs when every frame's title can be read there (node labels hide at that zoom, as in any
     overview); true if it did. A smaller one opens on its start, as any view. */
  function runOverview(c) {
    var frames = c.nodes("." + RUN_BOX);
    if (frames.length < 2 || c.nodes().length < RUN_OVERVIEW_MIN) { return false; }
    var b = bounds(c.nodes().not("." + RUN_BOX)), least = Infinity, pad = 24;
    frames.forEach(function (f) {
      var p = f.position(), w = f.data("w") / 2, h = f.data("h") / 2;
      b.x1 = Math.min(b.x1, p.x - w); b.x2 = Math.max(b.x2, p.x + w);
      b.y1 = Math.min(b.y1, p.y - h); b.y2 = Math.max(b.y2, p.y + h);
      least = Math.min(least, f.data("fs"));
    });
    var area = freeArea(c);
    var fit = Math.min((area.x2 - area.x1 - 2 * pad) / (b.x2 - b.x1),
                       (area.y2 - area.y1 - 2 * pad) / (b.y2 - b.y1), 1.25);
    // Read fitted (node labels and all), or titles too small to read: not an overview.
    if (fit >= READABLE_ZOOM || least * fit < K.titleMinPx) { return false; }
    showAt(c, b, fit);
    return true;
  }

  /* For a big new view, the ids of what lies in (and around) the part of the graph the view
     will open on: drawn first, so the start is readable a frame before the rest is there.
     Null when the whole graph opens fitted (or is small): then it is drawn at once. */
  function firstPart(c, next) {
    var nodes = next.filter(function (e) { return e.position; });
    if (next.length < PROGRESSIVE_MIN) { return null; }
    var start = nodes.filter(function (n) { return n.data.is_start; })[0];
    if (!start) { return null; }
    var area = freeArea(c), pad = 24, all = bounds(nodes);
    var fit = Math.min((area.x2 - area.x1 - 2 * pad) / (all.x2 - all.x1),
                       (area.y2 - area.y1 - 2 * pad) / (all.y2 - all.y1));
    if (fit >= READABLE_ZOOM) { return null; }
    // Room for the view at readable zoom around the start, and half as much again on each side.
    var w = (area.x2 - area.x1) / READABLE_ZOOM, h = (area.y2 - area.y1) / READABLE_ZOOM;
    var p = start.position, ids = new Set();
    nodes.forEach(function (n) {
      if (Math.abs(n.position.x - p.x) <= w && Math.abs(n.position.y - p.y) <= h) {
        ids.add(n.data.id);
      }
    });
    next.forEach(function (e) {  // the start's neighbours, wherever they are
      if (!e.position && (e.data.source === start.data.id || e.data.target === start.data.id)) {
        ids.add(e.data.source); ids.add(e.data.target);
      }
    });
    return ids;
  }

  /* Ask the server for the names of the drawn nodes still labelled by a hash: those in view
     first, then the rest. The members of a closed group are not drawn, so not asked (the
     tables name them on their own): opening it draws them, and they are asked then. A call
     while a chain of requests is in flight (a big view's second frame, a new view) asks
     again once that chain ends. */
  function askNames(c, key) {
    if (namesAsked) { namesAgain = true; return; }
    if (!unnamed.size) { return; }
    var box = c.extent(), inView = [], rest = [];
    unnamed.forEach(function (arn) {
      var n = c.getElementById(arn);
      if (!n.length) { return; }
      var p = n.position();
      var seen = p.x >= box.x1 && p.x <= box.x2 && p.y >= box.y1 && p.y <= box.y2;
      (seen ? inView : rest).push(arn);
    });
    var order = inView.concat(rest);
    if (!order.length) { return; }
    var firstSize = inView.length ? Math.min(inView.length, FIRST_NAMES) : MORE_NAMES;
    var batches = [order.slice(0, firstSize)];
    for (var i = firstSize; i < order.length; i += MORE_NAMES) {
      batches.push(order.slice(i, i + MORE_NAMES));
    }
    var done = function () {
      namesAsked = 0;
      if (!namesAgain) { return; }
      namesAgain = false;
      var now = cy();
      if (now && now._lvKey) { askNames(now, now._lvKey); }
    };
    var next = function () {
      var batch = batches.shift();
      if (!batch || c._lvKey !== key) { done(); return; }
      namesAsked = 1;
      fetch(routePrefix() + NAMES_PATH, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({key: key, arns: batch})
      }).then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; })
        .then(function (found) {
          if (!found || !found.names) { done(); return; }
          named(c, found.names);
          next();
        });
    };
    next();
  }

  /* Labels (and source URIs) from the names route, set on the nodes in place. */
  function named(c, found) {
    c.batch(function () {
      Object.keys(found).forEach(function (arn) {
        var n = c.getElementById(arn), item = found[arn];
        unnamed.delete(arn);
        names.set(arn, item.label);
        if (!n.length) { return; }
        n.data("label", item.label);
        if (item.uri) { n.data("uri", item.uri); }
        n.scratch("_lv", signature(n.data(), n.scratch("_lv").split("\u0001")[0]));
      });
    });
    window.lineageViz.namesDone = unnamed.size === 0;
  }

  /* Focus mode: what lies more than FOCUS_HOPS from the node (or the start) is hidden. */
  function focusOn(c, selected) {
    c.elements().removeClass("far");
    if (!focus) { return; }
    var node = selected ? c.getElementById(selected) : c.nodes(".start");
    if (!node.length) { node = c.nodes(".start"); }
    var near = node;
    for (var k = 0; k < FOCUS_HOPS; k++) { near = near.closedNeighborhood(); }
    c.elements().difference(near).addClass("far");
  }

  /* Briefly ring `nodes` so the eye finds them. */
  function pulse(nodes) {
    var times = 0;
    var tick = function () {
      nodes.toggleClass("pulse");
      if (++times < 6) { setTimeout(tick, 280); } else { nodes.removeClass("pulse"); }
    };
    tick();
  }

  /* Zoom to answer nodes or search hits (readable if they can be), and pulse them. */
  function goTo(c, nodes) {
    if (!nodes.length) { return; }
    readableFit(c, nodes, nodes.first(), 1.25);
    detailInView(c);
    drawMinimap(c);
    pulse(nodes);
  }

  /* The minimap: every node as a dot, the viewport as a frame; click or drag to move there.
     Shown only when part of the graph lies outside the view. */
  var MINI_W = 200, MINI_H = 130;
  function minimap(c) {
    var host = c.container().parentElement;
    var canvas = host.querySelector("canvas.lv-minimap");
    if (!canvas) {
      canvas = document.createElement("canvas");
      canvas.className = "lv-minimap";
      canvas.width = MINI_W; canvas.height = MINI_H;
      canvas.title = "Overview: click or drag to move the view";
      host.appendChild(canvas);
      var drag = false;
      var move = function (evt) {
        var m = canvas._lvMap, r = canvas.getBoundingClientRect();
        if (!m) { return; }
        var x = (evt.clientX - r.left - m.ox) / m.s, y = (evt.clientY - r.top - m.oy) / m.s;
        var z = c.zoom(), area = freeArea(c);
        c.pan({x: (area.x1 + area.x2) / 2 - z * x, y: (area.y1 + area.y2) / 2 - z * y});
      };
      canvas.addEventListener("mousedown", function (evt) { drag = true; move(evt); evt.preventDefault(); });
      window.addEventListener("mousemove", function (evt) { if (drag) { move(evt); } });
      window.addEventListener("mouseup", function () { drag = false; });
    }
    return canvas;
  }

  var COLORS = K.colors;
  var miniQueued = false, miniBase = null, miniDirty = true;
  /* The dots are drawn once per change of elements or highlights (into an offscreen
     canvas); a pan or zoom only copies them and draws the frame, so moving stays fast. */
  function drawMinimap(c, changed) {
    if (changed) { miniDirty = true; }
    if (miniQueued) { return; }
    miniQueued = true;
    requestAnimationFrame(function () {
      miniQueued = false;
      var canvas = minimap(c), ext = c.extent();
      if (miniDirty || !miniBase) {
        miniDirty = false;
        var nodes = c.nodes(), b = bounds(nodes), pad = 6;
        var base = document.createElement("canvas");
        base.width = MINI_W; base.height = MINI_H;
        var s = Math.min((MINI_W - 2 * pad) / (b.x2 - b.x1), (MINI_H - 2 * pad) / (b.y2 - b.y1));
        var ox = pad - b.x1 * s + ((MINI_W - 2 * pad) - (b.x2 - b.x1) * s) / 2;
        var oy = pad - b.y1 * s + ((MINI_H - 2 * pad) - (b.y2 - b.y1) * s) / 2;
        var bctx = base.getContext("2d");
        bctx.strokeStyle = "#8c8c8c"; bctx.lineWidth = 1;
        nodes.filter("." + RUN_BOX).forEach(function (n) {  // frames as outlines
          var p = n.position(), w = n.data("w") * s, h = n.data("h") * s;
          bctx.strokeRect(ox + p.x * s - w / 2, oy + p.y * s - h / 2, w, h);
        });
        nodes.not("." + RUN_BOX).forEach(function (n) {
          var p = n.position(), lit = n.hasClass("answer") || n.hasClass("search-hit");
          bctx.fillStyle = n.hasClass("start") ? "#000000" :
            (lit ? "#D55E00" : (COLORS[n.data("lineage_type")] || "#999999"));
          var r = n.hasClass("start") || lit ? 3 : 1.5;
          bctx.fillRect(ox + p.x * s - r, oy + p.y * s - r, 2 * r, 2 * r);
        });
        miniBase = {canvas: base, b: b, empty: !nodes.length};
        canvas._lvMap = {s: s, ox: ox, oy: oy};
      }
      var bb = miniBase.b;
      var all = !miniBase.empty &&
        (bb.x1 < ext.x1 || bb.x2 > ext.x2 || bb.y1 < ext.y1 || bb.y2 > ext.y2);
      canvas.style.display = all ? "block" : "none";
      if (!all) { return; }
      var m = canvas._lvMap, ctx = canvas.getContext("2d");
      ctx.clearRect(0, 0, MINI_W, MINI_H);
      ctx.drawImage(miniBase.canvas, 0, 0);
      ctx.strokeStyle = "#D55E00"; ctx.lineWidth = 2;
      ctx.strokeRect(m.ox + ext.x1 * m.s, m.oy + ext.y1 * m.s,
                     (ext.x2 - ext.x1) * m.s, (ext.y2 - ext.y1) * m.s);
    });
  }

  function fetchPacked(query) {
    return fetch(elementsUrl(query), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  }

  /* The query string of the re-root view of `target` from the page's URL query `search`. */
  function rerootSearch(search, target) {
    var params = new URLSearchParams(search || "");
    params.set("arn", target);
    return "?" + params.toString();
  }

  /* A node stays selected: fetch its re-root view now, so "Re-root here" (or a double click)
     draws it without waiting for the query, layout and names. One view at a time; the
     server's view cache makes a fetch joined by the click cost nothing twice. */
  function fetchAhead(selected) {
    clearTimeout(aheadTimer);
    if (!window.lineageViz.fetchAhead || !selected || selected.indexOf("arn:") !== 0) { return; }
    aheadTimer = setTimeout(function () {
      var params = new URLSearchParams(window.location.search);
      if (params.get("arn") === selected) { return; }
      var query = "search=" + encodeURIComponent(rerootSearch(window.location.search, selected));
      if (!ahead || ahead.query !== query) { ahead = {query: query, promise: fetchPacked(query)}; }
    }, AHEAD_MS);
  }

  /* Fetch packed elements and draw them, unless a newer request was made meanwhile. */
  function request(query, groups) {
    if (pending ? pending.query === query : painted === query) { return; }  // asked already
    var n = ++loads;
    var fetched = ahead && ahead.query === query ? ahead.promise : fetchPacked(query);
    ahead = null;
    var promise = fetched
      .then(function (packed) {
        if (n !== loads) { return; }
        pending = null;
        painted = query;
        paint(packed && packed.key ? packed : null, groups, n);
      });
    pending = {promise: promise, query: query};
    if (query.indexOf("search=") === 0) { watchSlow(query, n); }
  }

  function waiting(query, n) { return n === loads && pending !== null && pending.query === query; }

  /* A new view that keeps the page waiting: its start's nearest neighbours first, then how far
     the paging got, with a Stop button (viz_app/ui/query_progress.py). */
  function watchSlow(query, n) {
    setTimeout(function () {
      if (!waiting(query, n)) { return; }
      fetchPacked(query + "&peek=1").then(function (packed) {
        if (waiting(query, n) && packed && packed.key) { paint(packed, "", n, true); }
      });
    }, PEEK_MS);
    setTimeout(function poll() {
      if (!waiting(query, n)) { progressBox(null); return; }
      fetch(routePrefix() + PROGRESS_PATH + "?" + query, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; })
        .then(function (got) {
          if (!waiting(query, n)) { progressBox(null); return; }
          progressBox(got, query);
          setTimeout(poll, POLL_MS);
        });
    }, PROGRESS_MS);
  }

  /* The progress line over the graph (null: none). Text only: nothing from data is in it. */
  function progressBox(got, query) {
    var c = cy(), host = c ? c.container().parentElement : null;
    var box = host ? host.querySelector(".lv-progress") : null;
    document.body.classList.toggle("lv-live", !!got && !!host);
    if (!got) { if (box) { box.remove(); } return; }
    if (!host) { return; }
    if (!box) {
      box = document.createElement("div");
      box.className = "lv-progress";
      box.setAttribute("role", "status");
      var text = document.createElement("span");
      var stop = document.createElement("button");
      stop.type = "button";
      stop.textContent = "Stop";
      stop.addEventListener("click", function () {
        stop.disabled = true;
        var search = decodeURIComponent(box._lvQuery.slice("search=".length));
        fetch(routePrefix() + STOP_PATH, {method: "POST", credentials: "same-origin",
          headers: {"Content-Type": "application/json"}, body: JSON.stringify({search: search})});
      });
      box.appendChild(text);
      box.appendChild(stop);
      host.appendChild(box);
    }
    box._lvQuery = query;
    var peek = c && c._lvPeek;
    var pages = got.pages === null || got.pages === undefined ? null : got.pages;
    var line = pages === null ? "Loading lineage…" :
      "Loading lineage: " + pages.toLocaleString("en-US") + (pages === 1 ? " page, " : " pages, ") +
      got.vertices.toLocaleString("en-US") + " vertices so far";
    if (got.stopping) { line = "Stopping…"; }
    box.firstChild.textContent = line + (peek ? " · showing the start's nearest neighbours meanwhile" : "");
    box.lastChild.disabled = !!got.stopping || got.done === true;
  }

  /* The URL changed: fetch its view's elements now, beside the query callback. */
  function load(search) {
    request("search=" + encodeURIComponent(search || ""), "");
    return noUpdate();
  }

  /* The elements the page's callbacks settled on: drawn already, or fetched now. */
  function show(ref) {
    shownKey = ref ? ref.key : null;
    var context = window.dash_clientside.callback_context;
    if (!ref && context && !(context.triggered || []).some(function (t) { return t.prop_id !== "."; })) {
      return noUpdate();  // the page's first call, before any view: nothing to drop
    }
    if (!ref) {
      loads += 1;  // drop whatever is in flight
      pending = null;
      painted = null;
      paint(null, "", loads);
      return noUpdate();
    }
    var groups = (ref.groups || []).join("\n");
    if (!pending && drawn === ref.key + "\n" + groups) {  // drawn before the callbacks settled
      if (announced === ref.key) { return noUpdate(); }
      announced = ref.key;
      return ref.key;  // the tables follow
    }
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
    Object.keys(described || {}).forEach(function (arn) {
      var d = described[arn];
      // A node named by the server keeps its (wrapped, told-apart) label.
      if (d && typeof d.label === "string" && d.label && unnamed.has(arn)) {
        names.set(arn, d.label);
        unnamed.delete(arn);
      }
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
    fetchAhead(wanted.selected);
    var c = cy();
    // A new view is on its way: paint() applies these then, so the old graph is not restyled.
    if (!c || (graph && graph.key !== c._lvKey)) { return noUpdate(); }
    var hits;
    c.batch(function () {
      if (focus) { focusOn(c, wanted.selected); }
      hits = apply(c);
    });
    goToNew(c, hits);
    drawMinimap(c, true);
    return hitsText(hits);
  }

  /* A new answer or a new search with hits: zoom to those nodes (once per answer or search). */
  function goToNew(c, hits) {
    var answerKey = wanted.answer.join("\n"), searchKey = (wanted.search || "").trim();
    if (answerKey && answerKey !== lastAnswer && c.nodes(".answer").length) {
      goTo(c, c.nodes(".answer"));
      lastAnswer = answerKey;
    } else if (searchKey && searchKey !== lastSearch && hits) {
      goTo(c, c.nodes(".search-hit"));
    }
    if (!answerKey) { lastAnswer = ""; }
    lastSearch = searchKey;
  }

  /* Re-root: the URL's question from the selected (or double-clicked) node. */
  function reroot(clicks, dbltap, selected, search) {
    var skip = [noUpdate(), noUpdate(), noUpdate(), noUpdate()];
    var trigger = window.dash_clientside.callback_context.triggered_id;
    var target = trigger === DBLTAP_STORE ? (dbltap && dbltap.arn) : selected;
    if (!target || typeof target !== "string" || target.indexOf("arn:") !== 0) { return skip; }
    if (new URLSearchParams(search || "").get("arn") === target) { return skip; }
    var next = rerootSearch(search, target);
    load(next);  // ask for the new view's elements now; the URL change asks the same again
    return [next, target, [], ""];
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.lineageViz = {
    load: load, show: show, highlight: highlight, labels: labels, reroot: reroot
  };

  window.lineageViz = {
    cy: cy,
    namesDone: true,
    fetchAhead: true,  // the benchmark turns it off to time a re-root with nothing fetched ahead
    /* The labels a person can read now: rendered font size and box of each labelled node in
       view (tests and benchmarks read what is drawn). */
    readable: function () {
      var c = cy();
      if (!c) { return []; }
      var ext = c.extent(), z = c.zoom(), out = [];
      c.nodes().not("." + RUN_BOX).forEach(function (n) {
        var p = n.position();
        if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2 || n.hasClass("far")) { return; }
        var shown = n.hasClass("detailed") && n.style("label") !== "" && n.visible();
        var bb = shown ? n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true,
                                        includeOverlays: false, includeUnderlays: false}) : null;
        out.push({id: n.id(), label: n.data("label"), shown: shown,
                  px: parseFloat(n.style("font-size")) * z,
                  box: bb ? {x1: bb.x1, y1: bb.y1, x2: bb.x2, y2: bb.y2} : null});
      });
      return out;
    },
    /* The run frames as drawn: title, members' count, rendered box and title (font px on
       screen, and its text's rendered box). */
    frames: function () {
      var c = cy();
      if (!c) { return []; }
      var z = c.zoom();
      return c.nodes("." + RUN_BOX).map(function (f) {
        var b = f.renderedBoundingBox({includeLabels: false, includeOverlays: false});
        var t = f.renderedBoundingBox({includeNodes: false, includeLabels: true,
                                       includeOverlays: false});
        return {id: f.id(), title: f.data("label"), count: f.data("count"),
                px: parseFloat(f.style("font-size")) * z,
                box: {x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2},
                text: {x1: t.x1, y1: t.y1, x2: t.x2, y2: t.y2}};
      });
    },
    /* True once the drawn graph is the view the page's stores hold (tests wait for it). */
    settled: function () {
      var c = cy();
      return !!c && storeKey !== null && c._lvKey === storeKey && shownKey === storeKey &&
        deferredDraw === 0;
    },
    control: function (trigger, selected) {
      var c = cy();
      if (!c) { return; }
      var centre = {x: c.width() / 2, y: c.height() / 2};
      if (trigger === K.ids.fit) { c.fit(undefined, 30); }
      if (trigger === K.ids.focus) {
        focus = !focus;
        var button = document.getElementById(K.ids.focus);
        if (button) { button.classList.toggle("active", focus); button.setAttribute("aria-pressed", String(focus)); }
        c.batch(function () { focusOn(c, selected); });
        if (focus) { readableFit(c, c.nodes().not(".far"), selected ? c.getElementById(selected) : c.nodes(".start")); }
      }
      if (trigger === K.ids.zoomIn) { c.zoom({level: c.zoom() * 1.25, renderedPosition: centre}); }
      if (trigger === K.ids.zoomOut) { c.zoom({level: c.zoom() / 1.25, renderedPosition: centre}); }
      if (trigger === K.ids.centre) {
        var node = selected ? c.getElementById(selected) : null;
        if (node && node.length) { c.center(node); } else { c.center(); }
      }
    }
  };

  setInterval(function () { bind(cy()); }, 250);
})();
