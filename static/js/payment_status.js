// The payment page: count down to the deadline, ask the shop every few
// seconds whether the online payment has arrived, and reload once it has a
// final answer (the page then says "Dibayar"). Without JavaScript the
// "Perbarui status" link does the same by hand. No inline code: the CSP.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || box.getAttribute("data-status") !== "pending") return;

  var countdown = box.querySelector("[data-deadline]");
  if (countdown) {
    var deadline = Date.parse(countdown.dataset.deadline);
    var tick = function () {
      var left = Math.floor((deadline - Date.now()) / 1000);
      if (isNaN(left)) return;
      if (left <= 0) {
        countdown.textContent = "(" + countdown.dataset.over + ")";
        return;
      }
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      var text = (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(s).padStart(2, "0");
      countdown.textContent = "(" + countdown.dataset.prefix + " " + text + ")";
      window.setTimeout(tick, 1000);
    };
    tick();
  }

  if (!window.fetch) return;
  var url = box.getAttribute("data-status-url");
  var label = box.querySelector("[data-status-label]");
  var delay = 3000;
  var tries = 0;
  function check() {
    tries += 1;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.final) {
          if (label) label.textContent = data.label;
          window.location.reload();
          return;
        }
        // Slow down after a minute; stop after about half an hour.
        if (tries > 20) delay = 10000;
        if (tries < 200) window.setTimeout(check, delay);
      })
      .catch(function () { window.setTimeout(check, 10000); });
  }
  window.setTimeout(check, delay);
})();
