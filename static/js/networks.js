/* Peer group meetings: a countdown for each member's time box. Without JavaScript the page
   shows each turn's length in minutes; with it, "Start timer" counts down and the box turns
   red when time is up. Only one timer runs at a time. */
(function () {
  "use strict";

  function format(seconds) {
    var sign = seconds < 0 ? "−" : "";
    var s = Math.abs(seconds);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return sign + m + ":" + (r < 10 ? "0" : "") + r;
  }

  var running = null;

  function stop(box) {
    if (box.timer) {
      clearInterval(box.timer);
      box.timer = null;
    }
    box.querySelector("[data-timebox-start]").textContent = "Start timer";
    if (running === box) running = null;
  }

  function setup(box) {
    var total = parseInt(box.getAttribute("data-seconds"), 10) || 0;
    var display = box.querySelector("[data-timebox-display]");
    var start = box.querySelector("[data-timebox-start]");
    var reset = box.querySelector("[data-timebox-reset]");
    box.remaining = total;
    display.textContent = format(total);
    start.hidden = false;
    reset.hidden = false;

    function tick() {
      box.remaining -= 1;
      display.textContent = format(box.remaining);
      if (box.remaining === 0) {
        display.classList.remove("text-bg-light");
        display.classList.add("text-bg-danger");
        display.setAttribute("aria-live", "assertive");
        display.textContent = "Time is up";
      } else if (box.remaining < 0) {
        display.textContent = format(box.remaining);
      }
    }

    start.addEventListener("click", function () {
      if (box.timer) {
        stop(box);
        return;
      }
      if (running) stop(running);
      running = box;
      box.timer = setInterval(tick, 1000);
      start.textContent = "Pause";
      var item = box.closest("[data-turn]");
      if (item) item.classList.add("list-group-item-primary");
    });

    reset.addEventListener("click", function () {
      stop(box);
      box.remaining = total;
      display.textContent = format(total);
      display.classList.add("text-bg-light");
      display.classList.remove("text-bg-danger");
      var item = box.closest("[data-turn]");
      if (item) item.classList.remove("list-group-item-primary");
    });
  }

  document.querySelectorAll("[data-timebox]").forEach(setup);
})();
