// The calendar subscription page without inline scripts (CSP): copy the address.
// navigator.clipboard needs HTTPS (or localhost); on a plain-http intranet the
// selected text is copied with execCommand, and failing that it stays selected.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!input) { return; }
    var done = function () {
      if (status) { status.textContent = button.getAttribute("data-copied"); }
    };
    button.addEventListener("click", function () {
      input.focus();
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {});
        return;
      }
      try {
        if (document.execCommand("copy")) { done(); }
      } catch (e) { /* the address stays selected for Ctrl+C */ }
    });
    input.addEventListener("focus", function () { input.select(); });
  });
})();
