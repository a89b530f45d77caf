// Coaching pages: show the video link or the place field to fit the session's mode, and
// confirm before a session is cancelled. Loaded with the page's CSP nonce; no inline script.
(function () {
  "use strict";

  function fieldWrapper(name) {
    var input = document.querySelector('[name="' + name + '"]');
    return input ? input.closest(".mb-3") || input.parentElement : null;
  }

  function syncModeFields() {
    var mode = document.querySelector('#coaching-session-form [name="mode"]');
    if (!mode) return;
    var video = fieldWrapper("video_url");
    var place = fieldWrapper("location");
    if (video) video.hidden = mode.value !== "video";
    if (place) place.hidden = mode.value !== "in_person";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var mode = document.querySelector('#coaching-session-form [name="mode"]');
    if (mode) {
      mode.addEventListener("change", syncModeFields);
      syncModeFields();
    }
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  });
})();
