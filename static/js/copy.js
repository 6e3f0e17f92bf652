// Copy buttons beside account numbers, amounts and codes. They appear only
// where the Clipboard API works; without it the values are plain text to
// select. No inline code: the CSP.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  var status = document.getElementById("copy-status");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(
        function () {
          button.classList.add("copied");
          button.textContent = "✓";
          if (status) status.textContent = button.dataset.copied;
          window.setTimeout(function () {
            button.classList.remove("copied");
            button.textContent = label;
          }, 2000);
        },
        function () {
          if (status) status.textContent = "";
        }
      );
    });
  });
})();
