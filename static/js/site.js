// The header's menu button and the product page's "Masukkan keranjang",
// enhanced: both work without JavaScript (the menu opens as the #menu target,
// the form opens a small page of the shopper's own with the real form). No
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
  function say(text, ok, data) {
    if (!notice) return;
    notice.textContent = "";
    var line = document.createElement("p");
    line.className = "msg " + (ok ? "msg-success" : "msg-error");
    line.appendChild(document.createTextNode(text + " "));
    // Where the shopper goes next: the cart, or straight on to checkout.
    [[data.cart_url, notice.dataset.cartLabel], [data.checkout_url, notice.dataset.checkoutLabel]]
      .forEach(function (pair, n) {
        if (!ok || !pair[0] || !pair[1]) return;
        if (n) line.appendChild(document.createTextNode(" · "));
        var link = document.createElement("a");
        link.href = pair[0];
        link.textContent = pair[1];
        line.appendChild(link);
      });
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
  // Shared pages (the catalog, product pages ...) are the same bytes for every
  // visitor and carry no CSRF token: the script asks orders for one when a
  // form is used (docs/edge-cache.md).
  var token = null;
  function csrfToken() {
    if (token) return Promise.resolve(token);
    return fetch(notice.dataset.tokenUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) { token = data.token; return token; });
  }
  // The product page's buy form: without JavaScript it opens the small
  // per-visitor page with the real form; here it posts in place.
  document.querySelectorAll("form.add-to-cart[data-post-url]").forEach(function (form) {
    if (!window.fetch || !window.FormData || !notice) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      csrfToken()
        .then(function (csrf) {
          return fetch(form.dataset.postUrl, {
            method: "POST",
            body: new FormData(form),
            headers: { Accept: "application/json", "X-CSRFToken": csrf },
            credentials: "same-origin"
          });
        })
        .then(function (response) {
          return response.json().catch(function () { throw new Error("not json"); });
        })
        .then(function (data) {
          say(data.message, data.ok, data);
          if (data.ok) setCount(data.count);
        })
        .catch(function () {
          // Anything unexpected: the way without JavaScript.
          form.submit();
        })
        .then(function () {
          buttons.forEach(function (b) { b.disabled = false; });
        });
    });
  });

  // --- what a shared page shows per visitor: the cart count from the kb_cart
  // cookie (set by the app whenever the cart changes), and waiting messages
  // from /sesi.json, asked only while the kb_msg cookie says some wait.
  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }
  var count = cookie("kb_cart");
  if (count && !document.querySelector(".cart-link .cart-count")) setCount(count);
  if (cookie("kb_msg") && notice && notice.dataset.visitorUrl && window.fetch) {
    fetch(notice.dataset.visitorUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.messages || !data.messages.length) return;
        var box = document.createElement("div");
        box.className = "wrap messages";
        box.setAttribute("role", "status");
        data.messages.forEach(function (message) {
          var line = document.createElement("p");
          line.className = "msg msg-" + message.level;
          line.textContent = message.text;
          box.appendChild(line);
        });
        var main = document.getElementById("main");
        if (main) main.parentNode.insertBefore(box, main);
      })
      .catch(function () {});
  }

  // --- "+ Keranjang" on a product card: one piece, and the shopper stays on
  // the list. Lists are cached alike for everyone, so they carry no CSRF
  // token: the first tap asks orders for one. Without JavaScript (or on any
  // failure) the link opens the product page at its buy form.
  var token = null;
  function csrfToken() {
    if (token) return Promise.resolve(token);
    return fetch(notice.dataset.tokenUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) { token = data.token; return token; });
  }
  if (notice && notice.dataset.addUrl && window.fetch && window.FormData) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a.quick-add") : null;
      if (!link || link.dataset.busy) return;
      event.preventDefault();
      link.dataset.busy = "1";
      csrfToken()
        .then(function (csrf) {
          var body = new FormData();
          body.append("product", link.dataset.product);
          body.append("quantity", "1");
          return fetch(notice.dataset.addUrl, {
            method: "POST",
            body: body,
            headers: { Accept: "application/json", "X-CSRFToken": csrf },
            credentials: "same-origin"
          });
        })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          say(data.message, data.ok, data);
          if (data.ok) setCount(data.count);
        })
        .catch(function () { window.location.href = link.href; })
        .then(function () { delete link.dataset.busy; });
    });
  }
})();
