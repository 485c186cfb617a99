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
