// Tasks pages (no inline scripts under CSP): show only the duty clauses of the
// chosen lead and co-units on the assignment form.
(function () {
  var lead = document.querySelector("[data-unit-lead]");
  var duties = document.querySelectorAll("input[data-unit]");
  if (!lead || !duties.length) { return; }
  function chosen() {
    var ids = {};
    if (lead.value) { ids[lead.value] = true; }
    document.querySelectorAll("input[data-unit-co]:checked").forEach(function (box) { ids[box.value] = true; });
    return ids;
  }
  function refresh() {
    var ids = chosen();
    var any = false;
    duties.forEach(function (box) {
      var show = ids[box.getAttribute("data-unit")] || box.checked;
      var row = box.closest("div") || box.parentElement;
      row.classList.toggle("is-hidden", !show);
      any = any || show;
    });
    var empty = document.getElementById("duties-empty");
    if (empty) { empty.classList.toggle("is-hidden", any); }
  }
  lead.addEventListener("change", refresh);
  document.querySelectorAll("input[data-unit-co]").forEach(function (box) { box.addEventListener("change", refresh); });
  refresh();
})();
