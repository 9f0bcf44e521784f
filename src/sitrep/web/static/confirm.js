// Forms marked data-confirm ask before they are sent (removing a user cannot be undone).
"use strict";

document.addEventListener("submit", function (event) {
  var message = event.target.dataset ? event.target.dataset.confirm : null;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
