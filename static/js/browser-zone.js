// Pre-selects the browser's own time zone in a time-zone menu marked data-browser-zone,
// when the menu offers it; otherwise the zone proposed by the page stays selected.
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll("select[data-browser-zone]").forEach(function (menu) {
    var offered = Array.prototype.some.call(menu.options, function (o) {
      return o.value === zone;
    });
    if (offered && !menu.dataset.touched) menu.value = zone;
  });
})();
