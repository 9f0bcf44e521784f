// The event (or incident) table: j/k move the cursor row, Enter opens it, x ticks an
// event for a bulk review; the header box ticks every row of the page.
"use strict";

window.addEventListener("DOMContentLoaded", function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll(
    "#events-table tbody tr[data-event-id], #incidents-table tbody tr[data-incident-id]"));
  var cursor = -1;
  function move(step) {
    if (!rows.length) {
      return;
    }
    if (cursor >= 0) {
      rows[cursor].classList.remove("cursor");
    }
    cursor = Math.max(0, Math.min(rows.length - 1, cursor + step));
    rows[cursor].classList.add("cursor");
    rows[cursor].scrollIntoView({ block: "nearest" });
  }
  window.sitrepKeys.on("j", function () { move(1); });
  window.sitrepKeys.on("k", function () { move(-1); });
  window.sitrepKeys.on("Enter", function () {
    if (cursor >= 0) {
      rows[cursor].querySelector("a.event-link").click();
    }
  });
  window.sitrepKeys.on("x", function () {
    if (cursor >= 0) {
      var box = rows[cursor].querySelector("input.tick");
      if (box) {
        box.checked = !box.checked;
      }
    }
  });
  var all = document.getElementById("tick-all");
  if (all) {
    all.addEventListener("change", function () {
      rows.forEach(function (row) { row.querySelector("input.tick").checked = all.checked; });
    });
  }
});
