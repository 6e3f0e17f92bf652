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

  // The village search: results as the shopper types; a tap fills the whole
  // chain (each level's code is a prefix of the village's), then the postal
  // code, whose change brings the couriers (static/js/checkout.js).
  function setLevel(level, code, rows) {
    fill(level, rows);
    selects[level].value = code;
  }

  function getChildren(code) {
    return fetch(base + encodeURIComponent(code) + ".json", { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error("wilayah"); return response.json(); })
      .then(function (data) { return data.children || []; });
  }

  function pickVillage(code) {
    var ticket = ++latest;
    var province = code.slice(0, 2), regency = code.slice(0, 5), district = code.slice(0, 8);
    chain.setAttribute("aria-busy", "true");
    return Promise.all([getChildren(province), getChildren(regency), getChildren(district)])
      .then(function (levels) {
        if (ticket !== latest) return;
        chain.removeAttribute("aria-busy");
        selects.province.value = province;
        setLevel("regency", regency, levels[0]);
        setLevel("district", district, levels[1]);
        setLevel("village", code, levels[2]);
        fillPostal();
        // The tapped result is gone: the street is what is left to type.
        var street = form && form.querySelector("input[name$='street']");
        if (street) street.focus();
      })
      .catch(function () { chain.removeAttribute("aria-busy"); });
  }

  var search = form && form.querySelector(".region-search[data-search-url]");
  if (search) {
    var input = search.querySelector("input[type=search]");
    var list = search.querySelector(".region-results");
    var searchTicket = 0, timer = 0;
    search.classList.add("js-search");
    var show = function (rows, query) {
      list.textContent = "";
      rows.forEach(function (row) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "region-result secondary";
        button.dataset.code = row.code;
        button.textContent = row.label + " · " + row.postal_code;
        item.appendChild(button);
        list.appendChild(item);
      });
      if (!rows.length && query) {
        var none = document.createElement("li");
        none.className = "small muted";
        none.textContent = search.dataset.none || "—";
        list.appendChild(none);
      }
    };
    var find = function () {
      var query = input.value.trim();
      var ticket = ++searchTicket;
      if (query.length < 3) { show([], ""); return; }
      fetch(search.dataset.searchUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === searchTicket) show(data.results || [], query); })
        .catch(function () { search.classList.remove("js-search"); });
    };
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(find, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); window.clearTimeout(timer); find(); }
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-code]");
      if (!button) return;
      event.preventDefault();
      list.textContent = "";
      input.value = button.textContent.split(",")[0];
      pickVillage(button.dataset.code);
    });
  }

  chain.addEventListener("change", function (event) {
    var level = event.target.dataset && event.target.dataset.level;
    if (level === "village") fillPostal();
    else if (level && level !== "postal_code") load(level);
  });
  if (form) form.dataset.regionsReady = "1";
})();
