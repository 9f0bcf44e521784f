// Keyboard shortcuts shared by the pages: a key pressed outside a text field runs its
// action. Each page registers its own keys with sitrepKeys.on(key, action).
"use strict";

window.sitrepKeys = (function () {
  var actions = {};
  function typing(target) {
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "Escape" && typing(event.target)) {
      event.target.blur();
      return;
    }
    if (typing(event.target) || !actions[event.key]) {
      return;
    }
    event.preventDefault();
    actions[event.key]();
  });
  function on(key, action) {
    actions[key] = action;
  }
  // "/" searches on every page that has the filters' search box.
  on("/", function () {
    var search = document.getElementById("search");
    if (search) {
      search.focus();
      search.select();
    } else {
      window.location.href = "/events";
    }
  });
  return { on: on };
})();
