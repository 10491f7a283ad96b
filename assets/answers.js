/* lineage-viz: answers tied to the graph. A row of any table (an answer, an impact list, the
   vertex and edge tables) selects its node, centres it beside the details card and rings it;
   a new answer is scrolled into view in the details card. */
(function () {
  "use strict";
  var K = window.lineageVizConstants;  // viz_app/ui/page_constants.py
  var SELECTED_STORE = K.ids.selectedStore;
  var READABLE_ZOOM = 10 / 12;  // as in graph.js: no label under 10 px

  function cy() { return window.lineageViz && window.lineageViz.cy ? window.lineageViz.cy() : null; }

  /* The node showing `arn`: itself, or the group node it was folded into. */
  function nodeFor(c, arn) {
    var node = c.getElementById(arn);
    if (node.length) { return node; }
    return c.nodes().filter(function (n) { return (n.data("members") || []).indexOf(arn) >= 0; });
  }

  /* Centre `arn`'s node in the part of the graph the details card leaves free, readable. */
  function centreNode(arn) {
    var c = cy();
    if (!c) { return false; }
    var node = nodeFor(c, arn);
    if (!node.length) { return false; }
    node = node.first();
    var box = c.container().getBoundingClientRect(), right = box.width;
    var card = document.getElementById(K.ids.detailsCard);
    if (card && card.offsetParent !== null) {
      var r = card.getBoundingClientRect();
      if (r.left > box.left + box.width / 2 && r.left < box.right) { right = r.left - box.left - 8; }
    }
    var zoom = Math.max(c.zoom(), READABLE_ZOOM), p = node.position();
    c.viewport({zoom: zoom, pan: {x: right / 2 - zoom * p.x, y: box.height / 2 - zoom * p.y}});
    node.flashClass("pulse", 1500);
    return true;
  }

  /* Select `arn` as a click on its node would, and centre it (again once the view settles). */
  function pick(arn) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(SELECTED_STORE, {data: arn});
    }
    centreNode(arn);
    setTimeout(function () { centreNode(arn); }, 400);  // after the highlight redraw
  }

  /* The ARN a clicked grid row is about: the field its grid names in data-pick (an edge row:
     its source), read from the grid's own row data, never from the cell text. */
  function pickedArn(evt) {
    var row = evt.target && evt.target.closest ? evt.target.closest(".ag-row[row-id]") : null;
    var holder = row ? row.closest(".grid-holder[data-pick][data-grid]") : null;
    if (!holder || !window.dash_ag_grid) { return null; }
    var grid;
    try { grid = window.dash_ag_grid.getApi(holder.getAttribute("data-grid")); } catch (err) { return null; }
    var node = grid ? grid.getRowNode(row.getAttribute("row-id")) : null;
    var arn = node && node.data ? node.data[holder.getAttribute("data-pick")] : null;
    return typeof arn === "string" && arn.indexOf("arn:") === 0 ? {arn: arn, holder: holder} : null;
  }

  document.addEventListener("click", function (evt) {
    var picked = pickedArn(evt);
    if (!picked) { return; }
    if (picked.holder.closest("#answer")) {
      var card = document.getElementById(K.ids.detailsCard);
      if (card) { card.scrollTop = 0; }  // its details come in at the top; the answer stays below
    }
    pick(picked.arn);
  });

  /* Scroll the details card so the answer's heading is at its top (no scrolling for the user). */
  function revealAnswer(tries) {
    var card = document.getElementById(K.ids.detailsCard), answer = document.getElementById(K.ids.answer);
    var title = answer && answer.querySelector(".answer-title");
    if (!card || !title) {
      if (tries > 0) { setTimeout(function () { revealAnswer(tries - 1); }, 100); }
      return;
    }
    card.classList.remove("folded");
    var top = title.getBoundingClientRect().top - card.getBoundingClientRect().top;
    card.scrollTop += top - 8;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.lineageAnswers = {
    reveal: function (answer) {
      if (answer && answer.key) { setTimeout(function () { revealAnswer(20); }, 50); }
      return window.dash_clientside.no_update;
    }
  };
})();
