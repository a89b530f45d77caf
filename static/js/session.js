// Sessions end after a while without activity (accounts/sessions.py). This script:
// - warns shortly before the end and offers to stay signed in;
// - keeps what is typed in forms on this device (sessionStorage), so that after the
//   session ends and the person signs in again, the half-typed form is put back.
(function () {
  var body = document.body;
  var storageKey = "cw-draft:" + location.pathname;

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "password" &&
        el.type !== "file" && el.type !== "hidden" && el.type !== "submit";
    });
  }

  function saveDrafts() {
    var drafts = {};
    document.querySelectorAll("form[method=post]").forEach(function (form, index) {
      var values = {};
      fields(form).forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.checked) (values[el.name] = values[el.name] || []).push(el.value);
        } else if (el.value) {
          values[el.name] = el.value;
        }
      });
      if (Object.keys(values).length) drafts[form.id || index] = values;
    });
    try {
      if (Object.keys(drafts).length) sessionStorage.setItem(storageKey, JSON.stringify(drafts));
    } catch (e) { /* storage full or off: nothing kept */ }
  }

  function restoreDrafts() {
    var raw;
    try { raw = sessionStorage.getItem(storageKey); } catch (e) { return; }
    if (!raw) return;
    sessionStorage.removeItem(storageKey);
    if (!sessionStorage.getItem("cw-restore")) return;  // only after a session ended
    sessionStorage.removeItem("cw-restore");
    var drafts = JSON.parse(raw);
    var restored = false;
    document.querySelectorAll("form[method=post]").forEach(function (form, index) {
      var values = drafts[form.id || index];
      if (!values) return;
      fields(form).forEach(function (el) {
        if (!(el.name in values)) return;
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = values[el.name].indexOf(el.value) !== -1;
        } else {
          el.value = values[el.name];
        }
        restored = true;
      });
    });
    if (restored) {
      var note = document.getElementById("session-restored");
      if (note) note.hidden = false;
    }
  }

  // The login page after an expiry: what the person typed is put back after signing in.
  if (body.dataset.sessionExpired) {
    try { sessionStorage.setItem("cw-restore", "1"); } catch (e) { /* nothing to restore */ }
    return;
  }
  var secondsLeft = parseInt(body.dataset.sessionSecondsLeft || "", 10);
  if (isNaN(secondsLeft)) return;
  restoreDrafts();
  document.addEventListener("input", saveDrafts);
  document.addEventListener("change", saveDrafts);
  // A form sent while the session is still alive needs no draft any more.
  document.addEventListener("submit", function () {
    if (Date.now() < deadline) sessionStorage.removeItem(storageKey);
  });

  var warnBefore = parseInt(body.dataset.sessionWarning || "120", 10) * 1000;
  var deadline = Date.now() + secondsLeft * 1000;
  var dialog = document.getElementById("session-warning");
  var timer = null;

  function check() {
    var left = deadline - Date.now();
    if (left <= 0) {
      saveDrafts();
      try { sessionStorage.setItem("cw-restore", "1"); } catch (e) { /* nothing kept */ }
      dialog.querySelector("[data-session-state=warning]").hidden = true;
      dialog.querySelector("[data-session-state=ended]").hidden = false;
      if (!dialog.open) dialog.showModal();
      return;
    }
    if (left <= warnBefore) {
      // Another tab may have kept the session alive: ask before warning.
      fetch(body.dataset.sessionStatusUrl, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { seconds_left: 0 }; })
        .then(function (data) {
          deadline = Date.now() + data.seconds_left * 1000;
          if (deadline - Date.now() <= warnBefore && !dialog.open) dialog.showModal();
        });
    }
    timer = setTimeout(check, Math.min(Math.max(left - warnBefore, 1000), 30000));
  }

  document.getElementById("session-stay").addEventListener("click", function () {
    fetch(body.dataset.sessionKeepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": body.dataset.csrfToken },
    })
      .then(function (r) { return r.ok ? r.json() : { seconds_left: 0 }; })
      .then(function (data) {
        deadline = Date.now() + data.seconds_left * 1000;
        dialog.close();
        clearTimeout(timer);
        check();
      });
  });
  check();
})();
