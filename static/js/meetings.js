// Meetings pages without inline scripts (CSP): show the fields a meeting kind needs,
// add rows to the formsets (decided matters, attendance).
(function () {
  "use strict";

  function toggleMeetingFields(form) {
    var kind = form.querySelector("[name=kind]");
    var deputy = form.querySelector("[name=convener][value=deputy]");
    var show = function (name, visible) {
      var field = form.querySelector("[data-field=" + name + "]");
      if (field) { field.classList.toggle("is-hidden", !visible); }
    };
    if (kind) {
      show("partial_reason", kind.value === "partial");
      show("units", kind.value !== "plenary");
    }
    if (deputy) { show("delegation_note", deputy.checked); }
  }

  document.querySelectorAll("form[data-meeting-form]").forEach(function (form) {
    toggleMeetingFields(form);
    form.addEventListener("change", function () { toggleMeetingFields(form); });
  });

  // "添加一行": clone the formset's empty form template, renumbering __prefix__.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) { return; }
    event.preventDefault();
    var prefix = button.getAttribute("data-add-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty");
    var target = document.getElementById(prefix + "-rows");
    if (!total || !template || !target) { return; }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__num__/g, String(index + 1));
    var holder = document.createElement(template.getAttribute("data-wrap") || "div");
    holder.innerHTML = html.trim();
    while (holder.firstChild) { target.appendChild(holder.firstChild); }
    total.value = String(index + 1);
    var order = target.querySelector("[name=" + prefix + "-" + index + "-ORDER]");
    if (order && !order.value) { order.value = String(index + 1); }
  });

  // Ticking "删除" greys the row so the person sees what will go.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name && /-DELETE$/.test(box.name)) {
      var row = box.closest("[data-row]");
      if (row) { row.classList.toggle("is-removed", box.checked); }
    }
  });
})();
