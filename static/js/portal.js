// Portal behaviour without inline scripts (CSP): confirmations and auto-submitting filters.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("[data-autosubmit]") && el.form) {
    el.form.requestSubmit();
  }
});
// A button with data-toggle-target shows or hides the element of that id (.show).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-toggle-target]");
  if (!button) {
    return;
  }
  var target = document.getElementById(button.getAttribute("data-toggle-target"));
  if (target) {
    var shown = target.classList.toggle("show");
    button.setAttribute("aria-expanded", shown ? "true" : "false");
  }
});
