// Action plans: progressive enhancement only; every form also works without JavaScript.
(function () {
  "use strict";

  // --- Milestone reordering by drag and drop ---------------------------------------------
  // A goal's <tbody data-reorder-url> holds one <tr data-code> per milestone. Dropping a
  // row posts every code in the new order; the server answers with the plan's work section
  // (swapped in) or 400 (the rows go back where they were). The ↑ and ↓ buttons stay for
  // the keyboard and for browsers without JavaScript.

  function rowsOf(tbody) {
    return Array.prototype.slice.call(tbody.querySelectorAll("tr[data-code]"));
  }

  function codesOf(tbody) {
    return rowsOf(tbody).map(function (row) { return row.dataset.code; });
  }

  function csrfToken(tbody) {
    var input = tbody.querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function showError(message) {
    var box = document.querySelector("[data-ap-reorder-error]");
    if (!box) return;
    box.textContent = message || "The new order could not be saved. Please try again.";
    box.classList.remove("d-none");
  }

  function restore(tbody, codes) {
    var byCode = {};
    rowsOf(tbody).forEach(function (row) { byCode[row.dataset.code] = row; });
    codes.forEach(function (code) { tbody.appendChild(byCode[code]); });
  }

  function swapWork(html) {
    var current = document.getElementById("plan-work");
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#plan-work");
    if (!current || !fresh) return;
    current.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    enhance(fresh);
  }

  function saveOrder(tbody, before) {
    var body = new URLSearchParams();
    codesOf(tbody).forEach(function (code) { body.append("milestones", code); });
    fetch(tbody.dataset.reorderUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(tbody), "HX-Request": "true" },
      body: body
    }).then(function (response) {
      return response.text().then(function (text) {
        if (response.ok) {
          swapWork(text);
        } else {
          restore(tbody, before);
          showError(response.status === 400 ? text : "");
        }
      });
    }).catch(function () {
      restore(tbody, before);
      showError("");
    });
  }

  function enableDrag(tbody) {
    if (tbody.dataset.apDrag) return;
    tbody.dataset.apDrag = "on";
    var dragged = null;
    var before = null;
    rowsOf(tbody).forEach(function (row) {
      row.draggable = true;
      row.style.cursor = "move";
    });
    tbody.addEventListener("dragstart", function (event) {
      dragged = event.target.closest && event.target.closest("tr[data-code]");
      if (!dragged) return;
      before = codesOf(tbody);
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.code);
      dragged.classList.add("opacity-50");
    });
    tbody.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      var over = event.target.closest && event.target.closest("tr[data-code]");
      if (!over || over === dragged || over.parentNode !== tbody) return;
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      tbody.insertBefore(dragged, after ? over.nextSibling : over);
    });
    tbody.addEventListener("drop", function (event) {
      if (dragged) event.preventDefault();
    });
    tbody.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("opacity-50");
      dragged = null;
      if (codesOf(tbody).join() !== before.join()) saveOrder(tbody, before);
    });
  }

  function enhance(root) {
    root.querySelectorAll("tbody[data-reorder-url]").forEach(enableDrag);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    document.querySelectorAll("[data-ap-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    enhance(event.target.parentNode || document);
  });
})();
