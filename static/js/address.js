// The address's chained choices, quicker with JavaScript (the "Pilih" buttons
// do the same without it): choosing a level fetches its children from
// /wilayah/<code>.json (same origin, cached a day) into the next select,
// empties the levels below, and fills the postal code from the village.
// No inline code: the CSP.
(function () {
  "use strict";
  var chain = document.querySelector(".region-chain[data-children-url]");
  if (!chain || !window.fetch) return;
  var base = chain.dataset.childrenUrl; // "/wilayah/"
  var form = chain.closest("form");
  var order = ["province", "regency", "district", "village", "postal_code"];
  var selects = {};
  order.forEach(function (level) {
    selects[level] = chain.querySelector("select[data-level='" + level + "']");
  });
  if (!selects.province || !selects.postal_code) return;
  chain.classList.add("js-regions");
  var villages = {}; // village code -> postal code, from the last fetch
  function prompt(level) {
    return selects[level].dataset.prompt || "—";
  }

  function reset(level, text) {
    var select = selects[level];
    select.textContent = "";
    var option = document.createElement("option");
    option.value = "";
    option.textContent = text;
    select.appendChild(option);
  }

  function clearBelow(level) {
    for (var i = order.indexOf(level) + 1; i < order.length; i++) {
      reset(order[i], prompt(order[i]));
    }
  }

  function fill(level, rows) {
    var select = selects[level];
    reset(level, prompt(level));
    rows.forEach(function (row) {
      var option = document.createElement("option");
      option.value = row.code;
      option.textContent = row.name;
      select.appendChild(option);
      if (row.postal_code !== undefined) villages[row.code] = row.postal_code;
    });
  }

  var latest = 0;
  function load(level) {
    var code = selects[level].value;
    var child = order[order.indexOf(level) + 1];
    clearBelow(level);
    if (!code) return;
    var ticket = ++latest;
    chain.setAttribute("aria-busy", "true");
    fetch(base + encodeURIComponent(code) + ".json", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (ticket !== latest) return; // an older answer after a newer choice
        chain.removeAttribute("aria-busy");
        if (!data) return; // unknown code: the server says so on submit
        fill(child, data.children || []);
        selects[child].focus();
      })
      .catch(function () {
        // Offline: the "Pilih" buttons still work.
        chain.removeAttribute("aria-busy");
        chain.classList.remove("js-regions");
      });
  }

  function fillPostal() {
    var village = selects.village.value;
    var postal = villages[village];
    reset("postal_code", prompt("postal_code"));
    if (!village || !postal) return;
    selects.postal_code.textContent = "";
    var option = document.createElement("option");
    option.value = postal;
    option.textContent = postal;
    option.selected = true;
    selects.postal_code.appendChild(option);
    // The courier choices and totals follow the postal code.
    selects.postal_code.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Villages already listed by the server (a re-rendered page): their postal
  // codes are not in the HTML, so ask once for them.
  if (selects.district.value && selects.village.options.length > 1) {
    fetch(base + encodeURIComponent(selects.district.value) + ".json", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        (data && data.children || []).forEach(function (row) { villages[row.code] = row.postal_code; });
      })
      .catch(function () {});
  }

  chain.addEventListener("change", function (event) {
    var level = event.target.dataset && event.target.dataset.level;
    if (level === "village") fillPostal();
    else if (level && level !== "postal_code") load(level);
  });
  if (form) form.dataset.regionsReady = "1";
})();
