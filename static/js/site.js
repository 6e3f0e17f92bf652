// The header's menu button and the product page's "Masukkan keranjang",
// enhanced: both work without JavaScript (the menu opens as the #menu target,
// the form posts and comes back to the product page with a message). No
// inline code anywhere: the CSP forbids it.
(function () {
  "use strict";

  // --- the header's menu (phones): open and close in place, no jump to #menu.
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("menu");
  if (toggle && menu) {
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // --- adding to the cart stays on the page and says so.
  var notice = document.getElementById("cart-notice");
  function say(text, ok, cartUrl, cartLabel) {
    if (!notice) return;
    notice.textContent = "";
    var line = document.createElement("p");
    line.className = "msg " + (ok ? "msg-success" : "msg-error");
    line.appendChild(document.createTextNode(text + " "));
    if (ok && cartUrl) {
      var link = document.createElement("a");
      link.href = cartUrl;
      link.textContent = cartLabel;
      line.appendChild(link);
    }
    notice.appendChild(line);
    window.clearTimeout(say.timer);
    say.timer = window.setTimeout(function () { notice.textContent = ""; }, 8000);
  }
  function setCount(count) {
    var link = document.querySelector(".cart-link");
    if (!link) return;
    var badge = link.querySelector(".cart-count");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "cart-count";
      link.appendChild(document.createTextNode(" "));
      link.appendChild(badge);
    }
    badge.textContent = "(" + count + ")";
  }
  document.querySelectorAll("form.add-to-cart").forEach(function (form) {
    if (!window.fetch || !window.FormData) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
        .then(function (response) {
          return response.json().catch(function () { throw new Error("not json"); });
        })
        .then(function (data) {
          say(data.message, data.ok, data.cart_url, form.dataset.cartLabel || "");
          if (data.ok) setCount(data.count);
        })
        .catch(function () {
          // Anything unexpected: post the form the old way.
          form.submit();
        })
        .then(function () {
          buttons.forEach(function (b) { b.disabled = false; });
        });
    });
  });
})();
