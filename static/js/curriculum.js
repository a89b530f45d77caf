// Curriculum pages: confirmation before destructive actions, and quick "mark everyone" on
// the attendance sheet. Everything works without this script; it only saves clicks.
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });

  document.querySelectorAll("[data-mark-all]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = button.dataset.markAll;
      document.querySelectorAll('input[type=radio][value="' + status + '"]').forEach(function (radio) {
        radio.checked = true;
      });
    });
  });
})();
