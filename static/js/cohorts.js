// Roster bulk actions: "select all" and the withdrawal fields only when withdrawing.
// Everything works without this script; it only saves clicks.
(function () {
  "use strict";
  document.querySelectorAll("[data-roster-bulk]").forEach(function (form) {
    var selectAll = form.querySelector("[data-select-all]");
    var boxes = form.querySelectorAll("input[name=enrollments]");
    if (selectAll) {
      selectAll.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = selectAll.checked; });
      });
    }
    var action = form.querySelector("[data-bulk-action]");
    var withdrawalFields = form.querySelectorAll("[data-withdrawal-field]");
    function showWithdrawal() {
      var withdrawing = action && action.value === "withdraw";
      withdrawalFields.forEach(function (field) { field.hidden = !withdrawing; });
    }
    if (action) {
      action.addEventListener("change", showWithdrawal);
      showWithdrawal();
    }
    form.addEventListener("submit", function (event) {
      var chosen = Array.prototype.filter.call(boxes, function (box) { return box.checked; });
      if (chosen.length === 0) {
        event.preventDefault();
        window.alert("Select at least one fellow first.");
      } else if (action && action.value === "withdraw" &&
                 !window.confirm("Withdraw " + chosen.length + " fellow(s)? They lose access at once.")) {
        event.preventDefault();
      }
    });
  });
})();
