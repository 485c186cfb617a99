// Dashboard charts (Chart.js 4, vendored). Data comes from a json_script element
// written by the page; every chart has a table beside it with the same numbers.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colors = {
    on_time: "#2e9d57",
    closed_late: "#9aa1a9",
    open_overdue: "#c8322b",
    open_on_track: "#3d6fb6"
  };
  var lightColors = ["#c8322b", "#e0a800", "#2e9d57", "#9aa1a9"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  if (reduceMotion) {
    Chart.defaults.animation = false;
  }

  var units = document.getElementById("chart-units");
  if (units) {
    var keys = ["on_time", "closed_late", "open_overdue", "open_on_track"];
    var horizontal = data.units.labels.length === 1;
    new Chart(units, {
      type: "bar",
      data: {
        labels: data.units.labels,
        datasets: keys.map(function (key) {
          return {
            label: data.series[key],
            data: data.units[key],
            backgroundColor: colors[key],
            stack: "tasks",
            maxBarThickness: 28
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        // Task counts: whole numbers on the value axis, which is x when one unit
        // is drawn as a horizontal bar (it showed 0.2, 0.4 ... there).
        scales: {
          x: horizontal
            ? { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
            : { stacked: true, ticks: { autoSkip: false, maxRotation: 45 } },
          y: horizontal
            ? { stacked: true }
            : { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
        },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    });
  }

  var lights = document.getElementById("chart-lights");
  if (lights) {
    var total = data.lights.reduce(function (a, b) { return a + b; }, 0);
    new Chart(lights, {
      type: "doughnut",
      data: {
        labels: data.light_labels,
        datasets: [{ data: total ? data.lights : [1], backgroundColor: total ? lightColors : ["#e9ecef"] }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        cutout: "55%",
        plugins: {
          legend: { display: total > 0, position: "right", labels: { boxWidth: 12 } },
          tooltip: { enabled: total > 0 }
        }
      }
    });
  }
})();
