// Học Vụ Số: small improvements on top of pages that work without JavaScript.
(function () {
  "use strict";
  // Ask before an action that is hard to undo (buttons with data-confirm).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var text = button && button.getAttribute("data-confirm");
    if (text && !window.confirm(text)) {
      event.preventDefault();
    }
  });
})();
