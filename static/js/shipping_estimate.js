// The product page's "Ongkir ke <provinsi> mulai Rp ...": asks /ongkir/<id>/
// for the answer and shows it in place (without JS the form opens that page).
// On load it asks once with no province: the remembered one, if any, answers.
(function () {
  document.querySelectorAll("form.shipping-estimate").forEach(function (form) {
    var answer = form.querySelector(".estimate-answer");
    var url = form.dataset.estimateUrl;
    function ask(query) {
      fetch(url + "?fragment=1" + query, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (html.trim()) { answer.innerHTML = html; } });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      ask("&provinsi=" + encodeURIComponent(form.elements.provinsi.value));
    });
    ask("");
  });
})();
