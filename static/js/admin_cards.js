// On a phone the admin's tables become cards (admin_mobile.css); each cell
// then needs its column's name, which only the table head knows. Copy it
// into data-label so the stylesheet can show it (no inline script: the CSP
// allows none, so this is a static file).
(function () {
  "use strict";
  function label(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) { return; }
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      var text = (cell.innerText || cell.textContent || "").trim();
      for (var i = 0; i < (cell.colSpan || 1); i += 1) { names.push(text); }
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
      var index = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (!cell.hasAttribute("data-label") && names[index]) {
          cell.setAttribute("data-label", names[index]);
        }
        index += cell.colSpan || 1;
      });
    });
    table.classList.add("kb-cards-ready");
  }
  function run() {
    Array.prototype.forEach.call(
      document.querySelectorAll("#result_list, .kb-table, .kb-card-table, .inline-group table"),
      label
    );
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
