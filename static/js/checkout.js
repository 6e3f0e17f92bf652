// The checkout page, a little faster with JavaScript (it works without):
// focus the error summary, offer only the payments that fit the deliveries
// chosen, hide the address while everything is picked up, and as the shopper
// chooses, swap in the server-rendered totals and, when the address changes,
// each facility's courier services with their prices (orders.views.
// checkout_totals). No inline code: the CSP.
(function () {
  "use strict";
  var form = document.querySelector("form.checkout-form[data-totals-url]");
  if (!form) return;
  // The round-trip buttons ("Hitung ongkos kirim") are for pages without script.
  form.querySelectorAll(".js-hidden").forEach(function (el) { el.hidden = true; });

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      // The label sits above the field: bring both into view.
      (field.closest(".field") || field).scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  var facilities = Array.prototype.slice.call(form.querySelectorAll(".facility-choice"));

  function chosenDelivery(section) {
    var checked = section.querySelector("input[type=radio][name$='-delivery']:checked");
    return checked ? checked.value : "";
  }

  // One payment for the checkout: an option with data-fits (pay at pickup)
  // fits only when every delivery chosen is one of them.
  function fitPayments() {
    var chosen = facilities.map(chosenDelivery).filter(Boolean);
    form.querySelectorAll("input[type=radio][name='g-payment'][data-fits]").forEach(function (input) {
      var fits = input.dataset.fits.split(" ");
      var ok = chosen.every(function (d) { return fits.indexOf(d) !== -1; });
      input.disabled = !ok;
      if (!ok && input.checked) input.checked = false;
    });
  }

  function showCouriers(section) {
    var box = section.querySelector(".courier-box");
    if (box) box.hidden = chosenDelivery(section) !== "courier";
  }

  var address = document.getElementById("alamat");
  function toggleAddress() {
    if (!address) return;
    var allPickup = facilities.length > 0 && facilities.every(function (section) {
      return chosenDelivery(section) === "pickup";
    });
    address.hidden = allPickup;
  }

  var totals = document.getElementById("checkout-totals");
  var latest = 0;
  function refresh(withCouriers) {
    if (!totals || !window.fetch) return;
    var ticket = ++latest;
    form.setAttribute("aria-busy", "true");
    fetch(form.dataset.totalsUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) { return response.status === 200 ? response.text() : null; })
      .then(function (html) {
        // An older answer arriving after a newer one is dropped.
        if (html === null || ticket !== latest) return;
        form.removeAttribute("aria-busy");
        var holder = document.createElement("template");
        holder.innerHTML = html;
        var fresh = holder.content.getElementById("checkout-totals");
        if (!fresh) return;
        totals.innerHTML = fresh.innerHTML;
        fresh.querySelectorAll("[data-fee-for]").forEach(function (fee) {
          var line = document.getElementById("fee-" + fee.dataset.feeFor);
          if (line) line.innerHTML = fee.innerHTML;
        });
        if (!withCouriers) return;
        holder.content.querySelectorAll("[data-courier-for]").forEach(function (block) {
          var box = document.getElementById("courier-" + block.dataset.courierFor);
          if (box) box.innerHTML = block.innerHTML;
        });
      })
      .catch(function () {
        // Offline: the "Hitung ongkos kirim" button still works.
        form.removeAttribute("aria-busy");
        form.querySelectorAll(".js-hidden").forEach(function (el) { el.hidden = false; });
      });
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name || "";
    var section = event.target.closest(".facility-choice");
    if (section && /-delivery$/.test(name)) {
      fitPayments();
      toggleAddress();
      showCouriers(section);
    }
    if (/^a-(province|regency|district|village|postal_code)$/.test(name) || /-delivery$/.test(name)) {
      refresh(true); // the couriers follow the address
    } else if (/-courier$/.test(name)) {
      refresh(false);
    }
  });

  fitPayments();
  facilities.forEach(showCouriers);
  toggleAddress();
})();
