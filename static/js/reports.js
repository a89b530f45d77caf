// Reports pages: a print button for the funder report (no inline handlers under the CSP).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action='print']");
  if (button) {
    event.preventDefault();
    window.print();
  }
});

// Printed charts carry their data tables: open every <details> before printing.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll(".report-chart details").forEach((details) => {
    details.open = true;
  });
});
