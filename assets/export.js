/* lineage-viz: rasterise the exported SVG (caption included) to a PNG and download it. */
(function () {
  "use strict";
  /* Canvas limits that hold in current browsers; a bigger image is scaled down to fit. The
     SVG of a big graph is pages stacked top to bottom, each at most 1,600 px wide, so it is
     tall and narrow: a tall canvas keeps its text at natural size. */
  var MAX_SIDE = 32000;  /* pixels, either side */
  var MAX_AREA = 120e6;  /* pixels in all */
  var MAX_SCALE = 2;

  function say(text) {
    window.dash_clientside.set_props("export-error", {children: text});
  }

  function toPng(payload) {
    var match = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(payload.svg);
    var width = match ? parseFloat(match[1]) : 1200;
    var height = match ? parseFloat(match[2]) : 800;
    var scale = Math.min(MAX_SCALE, MAX_SIDE / Math.max(width, height, 1),
                         Math.sqrt(MAX_AREA / Math.max(width * height, 1)));
    var img = new Image();
    img.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      var g = canvas.getContext("2d");
      g.fillStyle = "#FFFFFF";
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.setTransform(scale, 0, 0, scale, 0, 0);
      g.drawImage(img, 0, 0, width, height);
      var url = canvas.toDataURL("image/png");
      window.dash_clientside.set_props("download", {data: {
        content: url.slice(url.indexOf(",") + 1),
        filename: payload.filename,
        type: "image/png",
        base64: true
      }});
    };
    img.onerror = function () {
      say("The PNG could not be drawn in this browser; export the SVG instead.");
    };
    /* An SVG drawn through <img> runs no script and loads nothing: the export stays inert. */
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(payload.svg);
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.lineageExport = {
    png: function (payload) {
      if (payload && payload.svg) { toPng(payload); }
      return window.dash_clientside.no_update;
    }
  };
})();
