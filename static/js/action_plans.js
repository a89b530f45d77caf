// Action plans: progressive enhancement only; every form also works without JavaScript.
(function () {
  "use strict";

  // With htmx present, a status <select> saves on change: its "Set" button is not needed.
  function hideNoJsButtons(root) {
    if (!window.htmx) return;
    root.querySelectorAll(".ap-nojs").forEach(function (button) {
      button.classList.add("d-none");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    hideNoJsButtons(document);
    document.querySelectorAll("[data-ap-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    hideNoJsButtons(event.target.parentNode || document);
  });
})();
