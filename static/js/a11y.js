// Accessibility helpers every page shares (WCAG 2.2 AA): where focus goes after a failed
// submit and after an htmx update, what a screen reader hears then, and which navigation
// link is the current page.
(function () {
  "use strict";

  function focusOn(element) {
    if (!element) return false;
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return document.activeElement === element;
  }

  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region || !text) return;
    // Emptied first, so the same words said twice are heard twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // The navigation link of the page being shown says so (aria-current).
  function markCurrentPage() {
    var here = window.location.pathname;
    document.querySelectorAll("header .nav-link[href]").forEach(function (link) {
      if (link.getAttribute("href") === here) link.setAttribute("aria-current", "page");
    });
  }

  // The error summary (base.html) takes focus when the page loads; its links move focus to
  // the field they name (to the first input of a group, or by name if it has no id).
  function errorSummary() {
    var summary = document.getElementById("error-summary");
    if (!summary) return;
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field && link.dataset.field) {
        field = document.querySelector("[name='" + CSS.escape(link.dataset.field) + "']");
      }
      if (field) {
        event.preventDefault();
        field.scrollIntoView({ block: "center" });
        focusOn(field);
      }
    });
    focusOn(summary);
  }

  // htmx swaps part of the page: focus stays where it was (the same element, found by id,
  // or the one the form names in data-focus-after), moves to the first invalid field if the
  // part came back with errors, and never drops to the page body. What the part says in
  // [data-announce] is read out.
  var focusedId = null;
  var focusAfter = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var active = document.activeElement;
    focusedId = active && active !== document.body ? active.id || null : null;
    var source = event.detail.elt && event.detail.elt.closest("[data-focus-after]");
    focusAfter = source ? source.dataset.focusAfter : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target && document.contains(event.detail.target)
      ? event.detail.target : document.getElementById(event.detail.target && event.detail.target.id);
    var scope = target || document;
    var invalid = scope.querySelector("[aria-invalid='true'], .is-invalid");
    var said = scope.querySelector("[data-announce]");
    if (said) announce(said.textContent.trim());
    if (invalid) {
      focusOn(invalid);
    } else if (focusAfter && document.querySelector(focusAfter)) {
      focusOn(document.querySelector(focusAfter));
    } else if (document.activeElement === document.body || !document.activeElement) {
      focusOn((focusedId && document.getElementById(focusedId)) ||
        (target && target.querySelector("h1, h2, h3")) || target);
    }
    focusedId = null;
    focusAfter = null;
  });

  // A table wider than the window scrolls in its own box, never the page (WCAG 1.4.10), and
  // that box, when it does scroll, can be reached and scrolled from the keyboard.
  function scrollingTables(root) {
    root.querySelectorAll("main table:not(.visually-hidden table, .visually-hidden)").forEach(function (table) {
      if (table.closest(".table-responsive")) return;
      var box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    labelScrollingBoxes();
  }

  function labelScrollingBoxes() {
    document.querySelectorAll("main .table-responsive").forEach(function (box) {
      var table = box.querySelector("table");
      if (table && (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight)) {
        var caption = table.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(labelScrollingBoxes, 100);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    scrollingTables(event.detail.target || document);
  });

  document.addEventListener("DOMContentLoaded", function () {
    markCurrentPage();
    errorSummary();
    scrollingTables(document);
  });
})();
