// The stand till on a phone (docs/stand-till.md). Every sale gets its UUID
// here and goes into a local queue (localStorage) before it is sent, so a
// sale made without signal is kept, listed as "belum terkirim" and synced
// when the network returns; the server applies each UUID once.
(function () {
  "use strict";
  var root = document.getElementById("till");
  if (!root) return;
  var T = document.getElementById("till-text").dataset;
  var tillId = root.dataset.till;
  var QUEUE_KEY = "kb-stan-queue-" + tillId;
  var DATA_KEY = "kb-stan-data-" + tillId;
  var qrisOffered = root.dataset.qris === "1";
  var $ = function (id) { return document.getElementById(id); };

  var state = { products: [], sales: [], version: -1, open: true, cart: [], pending: null };

  // --- helpers ------------------------------------------------------------------
  function rupiah(n) {
    return "Rp " + String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") node.className = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(items) { localStorage.setItem(QUEUE_KEY, JSON.stringify(items)); }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify(body || {}),
    });
  }
  function product(id) {
    for (var i = 0; i < state.products.length; i++) if (state.products[i].id === id) return state.products[i];
    return null;
  }
  // What the phone may still sell: the server's count less what waits in the queue.
  function left(id) {
    var p = product(id);
    if (!p) return 0;
    var held = 0;
    queue().forEach(function (sale) {
      sale.lines.forEach(function (l) { if (l.product === id) held += l.quantity; });
    });
    state.cart.forEach(function (l) { if (l.product === id) held += l.quantity; });
    return p.left - held;
  }
  function total() {
    return state.cart.reduce(function (sum, l) { return sum + product(l.product).price * l.quantity; }, 0);
  }
  function showError(text) {
    var box = $("till-error");
    box.textContent = text || "";
    box.hidden = !text;
  }

  // --- network state ------------------------------------------------------------
  function setNet() {
    var on = navigator.onLine;
    var badge = $("till-net");
    badge.textContent = on ? T.online : T.offline;
    badge.className = "till-net " + (on ? "is-online" : "is-offline");
    $("till-qris-button").hidden = !qrisOffered;
    $("till-qris-button").disabled = !on;
  }

  // --- products -----------------------------------------------------------------
  function renderProducts() {
    var q = $("till-q").value.trim().toLowerCase();
    var list = $("till-products");
    list.replaceChildren();
    var shown = state.products.filter(function (p) {
      return !q || p.name.toLowerCase().indexOf(q) >= 0 || p.barcode.toLowerCase() === q;
    });
    shown.slice(0, 40).forEach(function (p) {
      var n = left(p.id);
      var button = el("button", { type: "button", class: "till-product", "data-product": p.id });
      button.appendChild(el("span", { class: "till-product-name" }, p.name));
      button.appendChild(el("span", { class: "till-product-meta" }, rupiah(p.price) + " · " + T.left + " " + n));
      button.disabled = n <= 0;
      list.appendChild(el("li")).appendChild(button);
    });
  }
  function addToCart(id) {
    var p = product(id);
    if (!p) { showError(T.unknown); return; }
    if (left(id) <= 0) { showError(T.empty + ": " + p.name); return; }
    showError("");
    $("till-done").hidden = true;
    var line = state.cart.filter(function (l) { return l.product === id; })[0];
    if (line) line.quantity += 1; else state.cart.push({ product: id, quantity: 1 });
    renderCart();
  }
  function addByCode(code) {
    var value = (code || "").trim().toUpperCase();
    var match = /^KB(\d{7,})$/.exec(value);  // catalog.barcode_value's rule
    if (!match) return false;
    addToCart(parseInt(match[1], 10));
    return true;
  }

  // --- cart and payment -----------------------------------------------------------
  function renderCart() {
    var lines = $("till-lines");
    lines.replaceChildren();
    state.cart = state.cart.filter(function (l) { return l.quantity > 0; });
    state.cart.forEach(function (l) {
      var p = product(l.product);
      var li = el("li", { class: "till-line" });
      li.appendChild(el("span", { class: "till-line-name" }, l.quantity + "× " + p.name));
      var minus = el("button", { type: "button", "aria-label": T.remove + " " + p.name, "data-minus": p.id }, "−");
      var plus = el("button", { type: "button", "aria-label": T.add + " " + p.name, "data-plus": p.id }, "+");
      li.appendChild(minus);
      li.appendChild(plus);
      lines.appendChild(li);
    });
    $("till-cart").hidden = state.cart.length === 0;
    $("till-total").textContent = rupiah(total());
    ["till-cash", "till-transfer", "till-qris"].forEach(function (id) { $(id).hidden = true; });
    $("till-pay").hidden = false;
    renderProducts();
  }
  function showCash() {
    var t = total();
    var quick = $("till-quick");
    quick.replaceChildren();
    var amounts = [t];
    [10000, 20000, 50000, 100000].forEach(function (step) {
      var up = Math.ceil(t / step) * step;
      if (up > t && amounts.indexOf(up) < 0 && amounts.length < 4) amounts.push(up);
    });
    amounts.forEach(function (a, i) {
      quick.appendChild(el("button", { type: "button", "data-given": a, class: i === 0 ? "stand-primary" : "" },
        i === 0 ? T.exact : rupiah(a)));
    });
    $("till-cash").hidden = false;
    $("till-transfer").hidden = true;
  }

  function newSale(payment, extra) {
    var sale = {
      uuid: uuid4(),
      lines: state.cart.map(function (l) { return { product: l.product, quantity: l.quantity }; }),
      payment: payment,
      sold_at: new Date().toISOString(),
      total: total(),
    };
    Object.keys(extra || {}).forEach(function (k) { sale[k] = extra[k]; });
    return sale;
  }

  // Cash and transfer: queued first, then sent; offline it waits in the queue.
  function record(sale) {
    var items = queue();
    items.push(sale);
    saveQueue(items);
    state.cart = [];
    renderCart();
    renderQueue();
    if (!navigator.onLine) { done(sale, T.saved); return Promise.resolve(); }
    return post(root.dataset.saleUrl, sale).then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 201 || response.status === 200) {
          drop(sale.uuid);
          done(sale, body.label);
          refresh();
        } else if (response.status === 409 || response.status === 400) {
          // Refused online (stock gone meanwhile, till closed): not a sale.
          drop(sale.uuid);
          showError(body.error);
          refresh();
        } else {
          done(sale, T.saved);
        }
      });
    }).catch(function () { done(sale, T.saved); });
  }
  function drop(uuid) {
    saveQueue(queue().filter(function (s) { return s.uuid !== uuid; }));
    renderQueue();
  }
  function done(sale, label) {
    var box = $("till-done");
    box.replaceChildren();
    box.appendChild(el("strong", {}, label + " · " + rupiah(sale.total)));
    if (sale.payment === "cash" && sale.cash_given) {
      box.appendChild(el("span", { class: "till-change" }, " " + T.change + " " + rupiah(sale.cash_given - sale.total)));
    }
    // The slip is the server's page: offered once the sale has reached it.
    if (label !== T.saved) {
      var slip = el("a", { href: root.dataset.base + "struk/" + sale.uuid + "/", class: "till-slip" }, T.slip);
      box.appendChild(document.createTextNode(" "));
      box.appendChild(slip);
    }
    box.hidden = false;
    box.dataset.uuid = sale.uuid;
    renderProducts();
  }

  // QRIS: online only; the sale waits for the gateway with its stock held.
  var qrisTimer = null;
  function payQris() {
    if (!navigator.onLine) { showError(T.qrisOffline); return; }
    var sale = newSale("qris");
    post(root.dataset.saleUrl, sale).then(function (response) {
      return response.json().then(function (body) {
        if (response.status >= 400) { showError(body.error); return null; }
        state.pending = sale;
        return post(root.dataset.base + "qris/" + sale.uuid + "/");
      });
    }).then(function (response) {
      if (!response) return;
      return response.json().then(function (body) {
        if (response.status >= 400) { showError(body.error); return; }
        $("till-pay").hidden = true;
        $("till-qris").hidden = false;
        $("till-qris-amount").textContent = rupiah(body.amount);
        var box = $("till-qris-box");
        box.replaceChildren(el("img", { id: "till-qris-img", src: body.qr, alt: box.dataset.alt, width: 240, height: 240 }));
        pollQris(sale);
      });
    }).catch(function () { showError(T.qrisOffline); });
  }
  function pollQris(sale) {
    clearTimeout(qrisTimer);
    qrisTimer = setTimeout(function () {
      fetch(root.dataset.base + "qris/" + sale.uuid + "/status.json", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          $("till-qris-status").textContent = body.label;
          if (body.status === "recorded") {
            state.pending = null;
            state.cart = [];
            renderCart();
            done(sale, T.paid);
            refresh();
          } else if (body.status === "awaiting_qris") {
            pollQris(sale);
          } else {
            state.pending = null;
            $("till-qris").hidden = true;
            $("till-pay").hidden = false;
            showError(body.label);
          }
        })
        .catch(function () { pollQris(sale); });
    }, 1500);
  }
  function cancelQris() {
    var sale = state.pending;
    if (!sale) return;
    clearTimeout(qrisTimer);
    post(root.dataset.base + "batal/" + sale.uuid + "/").then(function () {
      state.pending = null;
      $("till-qris").hidden = true;
      $("till-pay").hidden = false;
      refresh();
    });
  }

  // --- queue and sync ---------------------------------------------------------------
  function renderQueue() {
    var items = queue();
    $("till-queue").hidden = items.length === 0;
    $("till-queue-count").textContent = items.length;
    var list = $("till-queue-list");
    list.replaceChildren();
    items.forEach(function (s) {
      var names = s.lines.map(function (l) { var p = product(l.product); return l.quantity + "× " + (p ? p.name : l.product); });
      var text = names.join(", ") + " · " + rupiah(s.total || 0) + (s.error ? " · " + s.error : "");
      list.appendChild(el("li", { class: "till-queued", "data-uuid": s.uuid }, text));
    });
  }
  var syncing = false;
  function sync() {
    var items = queue();
    if (syncing || !items.length || !navigator.onLine) return Promise.resolve();
    syncing = true;
    return post(root.dataset.syncUrl, { sales: items }).then(function (response) {
      if (!response.ok) return;
      return response.json().then(function (body) {
        var answered = {};
        body.results.forEach(function (r) { answered[r.uuid] = r; });
        var still = queue().filter(function (s) {
          var r = answered[s.uuid];
          if (r && r.status === "error") { s.error = r.error; return true; }
          return !r;
        });
        saveQueue(still);
        renderQueue();
        return refresh();
      });
    }).catch(function () { /* still offline: the queue waits */ })
      .then(function () { syncing = false; });
  }

  // --- the server's view: stock left and both phones' sales -------------------------------
  function applyData(data) {
    state.products = data.products;
    state.sales = data.sales;
    state.open = data.open;
    state.version = data.version;
    renderProducts();
    renderSales();
    renderQueue();
  }
  function refresh() {
    return fetch(root.dataset.dataUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        localStorage.setItem(DATA_KEY, JSON.stringify(data));
        applyData(data);
      })
      .catch(function () {
        if (state.version < 0) {
          var kept = localStorage.getItem(DATA_KEY);
          if (kept) applyData(JSON.parse(kept));
        }
      });
  }
  function renderSales() {
    var list = $("till-sales");
    list.replaceChildren();
    state.sales.forEach(function (s) {
      var li = el("li", { class: "till-sale status-" + s.status, "data-uuid": s.uuid });
      li.appendChild(el("span", { class: "till-sale-status" }, s.label));
      li.appendChild(el("span", {}, s.at + " · " + s.payment_label + " · " + rupiah(s.total) + (s.offline ? " · " + T.late : "")));
      li.appendChild(el("span", { class: "till-sale-lines" }, s.lines.join(", ")));
      if (s.note) li.appendChild(el("span", { class: "small" }, s.note));
      list.appendChild(li);
    });
  }

  // --- the camera: BarcodeDetector where the browser has it, else the vendored
  // zxing decoder (loaded only then), on live frames or on a photo of the label.
  var stream = null;
  var scanning = false;
  var zxingReader = null;
  function loadZxing() {
    if (window.ZXing) return Promise.resolve(window.ZXing);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = root.dataset.zxing;
      script.onload = function () { resolve(window.ZXing); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  // One frame or photo, drawn on a canvas -> the label's value or null.
  function decodeCanvas(canvas) {
    if ("BarcodeDetector" in window) {
      return new window.BarcodeDetector({ formats: ["code_128"] }).detect(canvas).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    }
    return loadZxing().then(function (Z) {
      if (!zxingReader) {
        zxingReader = new Z.MultiFormatReader();
        var hints = new Map();
        hints.set(Z.DecodeHintType.POSSIBLE_FORMATS, [Z.BarcodeFormat.CODE_128]);
        hints.set(Z.DecodeHintType.TRY_HARDER, true);
        zxingReader.setHints(hints);
      }
      try {
        var bitmap = new Z.BinaryBitmap(new Z.HybridBinarizer(new Z.HTMLCanvasElementLuminanceSource(canvas)));
        return zxingReader.decode(bitmap).getText();
      } catch (e) {
        return null;  // nothing readable in this frame
      }
    });
  }
  function drawn(source, width, height) {
    var canvas = document.createElement("canvas");
    var scale = Math.min(1, 1280 / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.getContext("2d").drawImage(source, 0, 0, canvas.width, canvas.height);
    return canvas;
  }
  function found(value) {
    if (value && addByCode(value)) { stopScan(); return true; }
    return false;
  }
  function stopScan() {
    scanning = false;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    $("till-scanner").hidden = true;
  }
  function startScan() {
    var note = $("till-scan-note");
    $("till-scanner").hidden = false;
    note.textContent = T.aim;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      note.textContent = T.noscan;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      var video = $("till-video");
      video.srcObject = s;
      return video.play().then(function () {
        scanning = true;
        (function look() {
          if (!scanning) return;
          decodeCanvas(drawn(video, video.videoWidth || 640, video.videoHeight || 480))
            .then(function (value) { if (!found(value)) setTimeout(look, 200); })
            .catch(function () { setTimeout(look, 400); });
        })();
      });
    }).catch(function () { note.textContent = T.noscan; });
  }
  // A photo of the label: every browser can take one, even without live video.
  $("till-photo").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) return;
    createImageBitmap(file).then(function (image) {
      return decodeCanvas(drawn(image, image.width, image.height));
    }).then(function (value) {
      if (!found(value)) $("till-scan-note").textContent = T.unread;
    }).catch(function () { $("till-scan-note").textContent = T.unread; })
      .then(function () { event.target.value = ""; });
  });

  // --- wiring ------------------------------------------------------------------------------
  $("till-q").addEventListener("input", renderProducts);
  $("till-q").addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    if (addByCode(event.target.value)) { event.target.value = ""; renderProducts(); }
  });
  $("till-products").addEventListener("click", function (event) {
    var button = event.target.closest("[data-product]");
    if (button) addToCart(parseInt(button.dataset.product, 10));
  });
  $("till-lines").addEventListener("click", function (event) {
    var minus = event.target.closest("[data-minus]");
    var plus = event.target.closest("[data-plus]");
    if (minus) state.cart.forEach(function (l) { if (l.product === +minus.dataset.minus) l.quantity -= 1; });
    if (plus) { addToCart(+plus.dataset.plus); return; }
    renderCart();
  });
  $("till-pay").addEventListener("click", function (event) {
    var button = event.target.closest("[data-pay]");
    if (!button || !state.cart.length) return;
    showError("");
    if (button.dataset.pay === "cash") showCash();
    if (button.dataset.pay === "transfer") { $("till-transfer").hidden = false; $("till-cash").hidden = true; $("till-ref").focus(); }
    if (button.dataset.pay === "qris") payQris();
  });
  $("till-quick").addEventListener("click", function (event) {
    var button = event.target.closest("[data-given]");
    if (button) record(newSale("cash", { cash_given: parseInt(button.dataset.given, 10) }));
  });
  $("till-cash-ok").addEventListener("click", function () {
    var given = parseInt($("till-given").value, 10);
    if (!(given >= total())) { showError(T.short); return; }
    $("till-given").value = "";
    record(newSale("cash", { cash_given: given }));
  });
  $("till-transfer-ok").addEventListener("click", function () {
    record(newSale("transfer", { transfer_reference: $("till-ref").value }));
    $("till-ref").value = "";
  });
  $("till-qris-cancel").addEventListener("click", cancelQris);
  $("till-sync").addEventListener("click", sync);
  $("till-scan").addEventListener("click", startScan);
  $("till-scan-close").addEventListener("click", stopScan);
  window.addEventListener("online", function () { setNet(); sync(); });
  window.addEventListener("offline", setNet);
  // Both phones at a stand: each asks every 10 s what the other sold.
  setInterval(function () { if (navigator.onLine) sync().then(refresh); }, 10000);

  // The installable app: the worker keeps this page, its data and assets.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: "/stan/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var keep = [location.pathname, root.dataset.dataUrl];
      if (!("BarcodeDetector" in window)) keep.push(root.dataset.zxing);
      document.querySelectorAll("script[src], link[rel=stylesheet]").forEach(function (node) {
        keep.push(node.getAttribute("src") || node.getAttribute("href"));
      });
      registration.active.postMessage({ keep: keep });
    }).catch(function () { /* no worker: the queue still works while the page is open */ });
  }

  setNet();
  renderQueue();
  refresh().then(sync);
})();
