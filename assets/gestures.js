/* lineage-viz: smooth pan and zoom on big views.

   Cytoscape draws every element in view each frame; on a 20,000-vertex view a frame costs
   ~150 ms with a software canvas, so dragging or wheeling the graph runs at a few frames a
   second. Its `textureOnViewport` mode instead moves one picture of the view while a gesture
   lasts and draws the elements again when it ends, but it makes that picture with a full
   frame at the gesture's start (a visible stall), and it is a start-up option that
   dash-cytoscape does not pass on. Here, per gesture:
   - the mode is used only when the last full frame cost more than a frame's budget, so small
     views keep live drawing (nothing blank at the edges while panning);
   - the picture is a copy of the canvas already on screen, so the gesture starts at once.
   graph.js calls window.lineageVizGestures.smooth(cy) once per Cytoscape instance. */
(function () {
  "use strict";

  function smooth(cy) {
    var r = cy && cy.renderer ? cy.renderer() : null;
    if (!r || r._lvSmooth || typeof r.render !== "function" || !r.data || !r.data.canvases) { return; }
    r._lvSmooth = {fullFrameMs: 0, pictures: 0};
    var stats = r._lvSmooth, render = r.render, copy = document.createElement("canvas");

    // The cost and viewport of the last frame that drew the element layer in full (not
    // from the picture): the picture is that frame, placed where it was drawn.
    var drawn = null;
    r.render = function (options) {
      var full = !(options && options.forcedContext) && this.data.canvasNeedsRedraw[this.NODE];
      var t0 = performance.now();
      var out = render.apply(this, arguments);
      if (full && !this.textureDrawLastFrame) {
        stats.fullFrameMs = performance.now() - t0;
        var zoom = cy.zoom(), pan = cy.pan();
        drawn = {zoom: zoom, pan: {x: pan.x, y: pan.y}, width: this.canvasWidth, height: this.canvasHeight,
                 mpan: {x: -pan.x / zoom, y: -pan.y / zoom}};
      }
      return out;
    };

    /* As a gesture starts (capture phase, before Cytoscape pans): the first move of a drag
       that began on the background or an edge (a drag from a node moves the node), or a
       wheel notch.
       Not on mousedown: the frame drawn after it would drop the picture. */
    var pans = function (down) { return !down || down.pannable(); };  // as Cytoscape decides
    var arm = function (event) {
      if (event.type === "mousemove" && (!(event.buttons & 1) || !pans(r.hoverData.down))) { return; }
      if (event.type === "touchmove" && (event.touches.length !== 1 || !pans(r.touchData.start))) { return; }
      r.textureOnViewport = api.enabled && stats.fullFrameMs > api.budgetMs;
      // A redraw may be pending (a class changed a moment ago): the last drawn frame is still
      // the best picture to move; the change shows when the gesture ends.
      if (!r.textureOnViewport || r.textureCache || !drawn) { return; }
      var layer = r.data.canvases[r.NODE];
      if (layer.width !== drawn.width || layer.height !== drawn.height) { return; }  // resized since
      if (copy.width !== layer.width || copy.height !== layer.height) {
        copy.width = layer.width;
        copy.height = layer.height;
      }
      var context = copy.getContext("2d");
      context.clearRect(0, 0, copy.width, copy.height);
      context.drawImage(layer, 0, 0);
      // The shape Cytoscape gives its own picture: the canvas size and the viewport it shows.
      r.textureCache = {bb: null, texture: copy, viewport: drawn};
      stats.pictures += 1;
    };
    var container = cy.container();
    ["mousemove", "touchmove", "wheel"].forEach(function (type) {
      container.addEventListener(type, arm, {capture: true, passive: true});
    });
  }

  // `enabled`: the benchmark turns it off to time live drawing in the same run. `budgetMs`: a
  // frame at 60 Hz is 16.7 ms; a full frame over 12 ms leaves too little for the page's work.
  var api = window.lineageVizGestures = {smooth: smooth, enabled: true, budgetMs: 12};
})();
