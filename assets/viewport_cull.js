/* lineage-viz: frames of big views draw only what is near the viewport.

   Cytoscape's canvas renderer walks every element each frame, computing its bounding box
   to test it against the viewport before drawing it; on a 20,000-vertex view that walk, not
   the drawing, is most of a 150-250 ms frame, though only a few hundred elements are in
   view at a readable zoom. Here, per frame drawn on screen, the renderer is handed the
   z-sorted elements near the viewport instead of all of them:
   - "near" is the viewport grown by one viewport on each side; the list is kept while the
     viewport stays inside that area (and has not zoomed in far), so most frames reuse it;
   - an element is tested by its centre (a node) or its ends (an edge), padded by the room a
     node and its label take, which is cheap arithmetic instead of a bounding box;
   - the list is made again when elements are added, removed, moved or grabbed.
   Hit tests (one per mouse move, over every interactive element) at a point inside that area
   use the same list. Exports (PNG/SVG), box selection and everything else still see every
   element. Views with compound nodes are not culled (a parent's
   centre does not say where its children are).
   graph.js calls window.lineageVizCull.attach(cy) once per Cytoscape instance. */
(function () {
  "use strict";

  function attach(cy) {
    var r = cy && cy.renderer ? cy.renderer() : null;
    if (!r || r._lvCull || typeof r.render !== "function" || typeof r.getCachedZSortedEles !== "function") {
      return;
    }
    // `from`: how many elements the last frame on screen was drawn from; `lists`: lists made.
    var state = r._lvCull = {full: null, nondrag: null, area: null, near: null, moved: true, lists: 0,
                             from: 0};
    cy.on("add remove position", function () { state.moved = true; });

    var grown = function (ext) {  // the viewport and one viewport's size around it
      var w = ext.x2 - ext.x1, h = ext.y2 - ext.y1;
      return {x1: ext.x1 - w, y1: ext.y1 - h, x2: ext.x2 + w, y2: ext.y2 + h};
    };
    var within = function (ext, area) {  // inside the area, and not zoomed in far since
      return !!area && ext.x1 >= area.x1 && ext.y1 >= area.y1 && ext.x2 <= area.x2 && ext.y2 <= area.y2 &&
        (ext.x2 - ext.x1) * api.maxShrink >= (area.x2 - area.x1) / 3;
    };
    var nearTo = function (area) {
      var pad = api.padding, x1 = area.x1 - pad, y1 = area.y1 - pad, x2 = area.x2 + pad, y2 = area.y2 + pad;
      return function (ele) {
        if (ele.isNode()) {
          var p = ele.position(), w = (ele.data("w") || 0) / 2, h = (ele.data("h") || 0) / 2;
          return p.x + w >= x1 && p.x - w <= x2 && p.y + h >= y1 && p.y - h <= y2;  // frames: w, h
        }
        var s = ele.source().position(), t = ele.target().position();
        return Math.min(s.x, t.x) <= x2 && Math.max(s.x, t.x) >= x1 &&
          Math.min(s.y, t.y) <= y2 && Math.max(s.y, t.y) >= y1;
      };
    };

    var render = r.render;
    r.render = function (options) {
      if (options && options.forcedContext) { return render.apply(this, arguments); }
      if (!api.enabled) {
        state.from = this.getCachedZSortedEles().length;
        return render.apply(this, arguments);
      }
      var full = this.getCachedZSortedEles();
      if (full.length < api.minElements || !full.nondrag || cy.hasCompoundNodes()) {
        state.from = full.length;
        return render.apply(this, arguments);
      }
      var ext = cy.extent();
      if (state.moved || state.full !== full || state.nondrag !== full.nondrag || !within(ext, state.area)) {
        var area = grown(ext), near = nearTo(area);
        var list = full.filter(near);
        list.nondrag = full.nondrag.filter(near);
        list.drag = full.drag;
        list.interactive = full.interactive.filter(near);
        state.full = full;
        state.nondrag = full.nondrag;
        state.area = area;
        state.near = list;
        state.moved = false;
        state.lists += 1;
      }
      this.cachedZSortedEles = state.near;
      state.from = state.near.length;
      try {
        return render.apply(this, arguments);
      } finally {
        // Put every element back, unless the frame itself dropped the list (it is made anew).
        if (this.cachedZSortedEles === state.near) { this.cachedZSortedEles = full; }
      }
    };

    /* Hit tests (Cytoscape runs one on every mouse move, over every interactive element) at
       a point inside the list's area: an element under the point has its centre or ends
       within the padding of it, so the list holds it. Elsewhere, every element. */
    var findNearest = r.findNearestElements;
    r.findNearestElements = function (x, y) {
      var full = this.cachedZSortedEles, area = state.area;
      if (!api.enabled || !full || full !== state.full || full.nondrag !== state.nondrag || state.moved ||
          !area || x < area.x1 || x > area.x2 || y < area.y1 || y > area.y2) {
        return findNearest.apply(this, arguments);
      }
      this.cachedZSortedEles = state.near;
      try {
        return findNearest.apply(this, arguments);
      } finally {
        if (this.cachedZSortedEles === state.near) { this.cachedZSortedEles = full; }
      }
    };
  }

  // `enabled`: the benchmark turns it off to time the frames it saves, in the same run.
  // `minElements`: below this, a frame over every element is cheap enough. `padding`: model
  // units a node's body and label reach from its centre (labels wrap at 400). `maxShrink`:
  // the list is made again once the viewport is this many times narrower than when made.
  var api = window.lineageVizCull = {attach: attach, enabled: true, minElements: 2000, padding: 320,
                                     maxShrink: 2};
})();
