/* lineage-viz: the tables' grids (viz_app/ui/grid.py). Their theme follows the page's palette,
   creation times filter by UTC day, the box above a grid filters every column, "Columns" lists
   the grid's own columns to show or hide, and "Download CSV" asks the server for the rows the
   grid shows. Headings are ours; cell values are data and stay text (AG Grid escapes them). */
(function () {
  "use strict";

  function api(gridId) {
    try {
      return window.dash_ag_grid && gridId ? window.dash_ag_grid.getApi(gridId) : null;
    } catch (err) {
      return null;  // not drawn yet (a tab never opened)
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  window.dashAgGridFunctions = window.dashAgGridFunctions || {};
  /* The page's colours through its CSS variables, so light and dark mode need no second theme. */
  window.dashAgGridFunctions.lineageGridTheme = function (agGrid) {
    return agGrid.themeQuartz.withParams({
      backgroundColor: "var(--panel)",
      foregroundColor: "var(--text)",
      textColor: "var(--text)",
      accentColor: "var(--accent)",
      borderColor: "var(--border)",
      chromeBackgroundColor: "var(--bg)",
      headerBackgroundColor: "var(--bg)",
      oddRowBackgroundColor: "var(--panel)",
      fontSize: 13,
      headerFontSize: 13,
      spacing: 5,
      wrapperBorderRadius: 4,
      browserColorScheme: "inherit"
    });
  };
  /* AG Grid's date filter: the filter's day (local midnight) against the cell's UTC day. */
  window.dashAgGridFunctions.lineageGridDayCompare = function (filterDay, cell) {
    if (!cell) { return -1; }
    var day = String(cell).slice(0, 10);
    var want = filterDay.getFullYear() + "-" + pad(filterDay.getMonth() + 1) + "-" + pad(filterDay.getDate());
    return day < want ? -1 : (day > want ? 1 : 0);
  };

  /* A creation time as people read it: `2026-03-02 09:01` (UTC), the full text in the tooltip. */
  window.dashAgGridFunctions.lineageGridTime = function (value) {
    return value ? String(value).slice(0, 16).replace("T", " ") : "";
  };

  function gridOf(el) {
    var holder = el && el.closest ? el.closest("[data-grid]") : null;
    return holder ? holder.getAttribute("data-grid") : null;
  }

  /* The box above a grid filters every column as one types. */
  document.addEventListener("input", function (evt) {
    var box = evt.target && evt.target.closest ? evt.target.closest(".grid-quick[data-grid]") : null;
    var grid = box ? api(box.getAttribute("data-grid")) : null;
    if (grid) { grid.setGridOption("quickFilterText", evt.target.value || ""); }
  });

  /* "Columns": a checkbox per column of the grid, as the grid has them now. */
  function listColumns(list) {
    var grid = api(list.getAttribute("data-grid"));
    list.textContent = "";
    if (!grid) { return; }
    grid.getColumns().forEach(function (col) {
      var label = document.createElement("label"), box = document.createElement("input");
      box.type = "checkbox";
      box.checked = col.isVisible();
      box.setAttribute("data-col", col.getColId());
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + (col.getColDef().headerName || col.getColId())));
      list.appendChild(label);
    });
  }
  document.addEventListener("toggle", function (evt) {
    var details = evt.target;
    if (details && details.classList && details.classList.contains("grid-columns") && details.open) {
      var list = details.querySelector(".grid-columns-list");
      if (list) { listColumns(list); }
    }
  }, true);  // toggle does not bubble
  document.addEventListener("change", function (evt) {
    var box = evt.target;
    if (!box || !box.getAttribute || !box.getAttribute("data-col")) { return; }
    var grid = api(gridOf(box));
    if (grid) { grid.setColumnsVisible([box.getAttribute("data-col")], box.checked); }
  });

  /* The rows a grid shows, as indexes into the view's list: null when it shows every row in
     its own order (nothing filtered or sorted). */
  function shown(gridId) {
    var grid = api(gridId);
    if (!grid) { return null; }
    var sorted = grid.getColumnState().some(function (c) { return !!c.sort; });
    if (!sorted && !grid.isAnyFilterPresent()) { return null; }
    var rows = [];
    grid.forEachNodeAfterFilterAndSort(function (node) {
      if (node.data) { rows.push(node.data.i); }
    });
    return rows;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.lineageGrid = {
    shownRows: function (_vertices, _edges, drawn) {
      var edges = window.dash_clientside.callback_context.triggered_id === "download-edges";
      return {
        table: edges ? "edges" : "vertices",
        view: drawn,
        rows: shown(edges ? "edge-table" : "vertex-table"),
        at: Date.now()
      };
    }
  };
})();
