/* lineage-viz: double-click to re-root, fit/zoom/centre, and refit when a new graph arrives. */
(function () {
  "use strict";
  var GRAPH_ID = "graph";
  var DBLTAP_STORE = "dbltap-store";

  function cy() {
    var el = document.getElementById(GRAPH_ID);
    return el && el._cyreg ? el._cyreg.cy : null;
  }

  function fitSoon(instance) {
    clearTimeout(instance._lvFit);
    instance._lvFit = setTimeout(function () {
      instance.fit(undefined, 30);
    }, 60);
  }

  function bind(instance) {
    if (!instance || instance._lvBound) { return; }
    instance._lvBound = true;
    instance.on("dbltap", "node", function (evt) {
      var id = evt.target.id();
      if (id.indexOf("group:") === 0 || !window.dash_clientside) { return; }
      window.dash_clientside.set_props(DBLTAP_STORE, {data: {arn: id, at: Date.now()}});
    });
    instance.on("add", function () { fitSoon(instance); });
    if (instance.nodes().length) { fitSoon(instance); }
  }

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
