// The "Cetak" button of invoices and packing slips: no inline handlers under the CSP.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
