// The checkout page, a little faster with JavaScript (it works without):
// focus the error summary, offer only the payments that fit the delivery
// chosen, hide the address while everything is picked up, and refresh the
// server-rendered totals as the shopper chooses. No inline code: the CSP.
(function () {
  "use strict";
  var form = document.querySelector("form.checkout-form[data-totals-url]");
  if (!form) return;

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

  function fitPayments(section) {
    var delivery = chosenDelivery(section);
    section.querySelectorAll("input[type=radio][data-fits]").forEach(function (input) {
      var fits = delivery === "" || input.dataset.fits.split(" ").indexOf(delivery) !== -1;
      input.disabled = !fits;
      if (!fits && input.checked) input.checked = false;
    });
  }

  var address = document.getElementById("address-section");
  function toggleAddress() {
    if (!address) return;
    var allPickup = facilities.length > 0 && facilities.every(function (section) {
      return chosenDelivery(section) === "pickup";
    });
    address.hidden = allPickup;
  }

  var totals = document.getElementById("checkout-totals");
  var latest = 0;
  function refreshTotals() {
    if (!totals || !window.fetch) return;
    var ticket = ++latest;
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
        var holder = document.createElement("template");
        holder.innerHTML = html;
        var fresh = holder.content.getElementById("checkout-totals");
        if (!fresh) return;
        totals.innerHTML = fresh.innerHTML;
        fresh.querySelectorAll("[data-fee-for]").forEach(function (fee) {
          var line = document.getElementById("fee-" + fee.dataset.feeFor);
          if (line) line.innerHTML = fee.innerHTML;
        });
      })
      .catch(function () { /* the "Hitung" button still works */ });
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name || "";
    var section = event.target.closest(".facility-choice");
    if (section && /-delivery$/.test(name)) {
      fitPayments(section);
      toggleAddress();
    }
    if (/-(delivery|courier)$/.test(name) || name === "a-province" || name === "a-postal_code") {
      refreshTotals();
    }
  });

  facilities.forEach(fitPayments);
  toggleAddress();
})();
