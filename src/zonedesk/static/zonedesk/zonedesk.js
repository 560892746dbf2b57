/* ZoneDesk — the pages' own script: charts and small enhancements. Every page works without it.
   No inline scripts anywhere: chart data comes from <script type="application/json"> elements
   written by Django's json_script, and each <canvas data-chart="ID"> names its element. */
(function () {
  "use strict";

  var PALETTE = ["#0b5d5b", "#f2b705", "#3b4cb8", "#c2410c", "#6d28d9", "#15803d", "#be185d", "#0e7490", "#854d0e", "#475569", "#9f1239"];
  var lang = document.documentElement.lang || "vi";
  var numberFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  function fmt(value) {
    return value === null || value === undefined ? "—" : numberFormat.format(value);
  }

  function readData(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function datasetsFor(spec) {
    return spec.datasets.map(function (ds, i) {
      var colour = PALETTE[i % PALETTE.length];
      var out = { label: ds.label, data: ds.data };
      if (spec.type === "doughnut") {
        out.backgroundColor = spec.labels.map(function (_, j) { return PALETTE[j % PALETTE.length]; });
        out.borderColor = "#fff";
        out.borderWidth = 2;
      } else if (spec.type === "line") {
        // a series over time (site clearance): solid, one palette colour each, steps when asked
        out.borderColor = colour;
        out.backgroundColor = colour;
        out.pointRadius = 3;
        out.stepped = spec.stepped ? "before" : false;
        out.fill = false;
      } else if (spec.type === "radar") {
        out.borderColor = colour;
        out.backgroundColor = colour + "33";
        out.pointBackgroundColor = colour;
        out.fill = true;
      } else if (ds.type === "line") {
        out.type = "line";
        out.borderColor = "#c2410c";
        out.backgroundColor = "#c2410c";
        out.borderDash = [6, 4];
        out.pointRadius = 3;
        out.pointStyle = "line";
        out.spanGaps = true;
        out.order = 0;
      } else {
        out.backgroundColor = colour;
        out.pointStyle = "rect";
        out.borderRadius = 3;
        out.maxBarThickness = 48;
        out.order = 1;
      }
      return out;
    });
  }

  function shorten(label, chart) {
    // a long category name is cut to what a small chart has room for (the tooltip keeps it whole)
    var text = Array.isArray(label) ? label.join(" ") : String(label);
    var room = chart.width < 480 ? 16 : (chart.width < 800 ? 28 : 48);
    return text.length > room ? text.slice(0, room - 1).trim() + "…" : text;
  }

  function optionsFor(spec) {
    var unit = spec.unit ? " " + spec.unit : "";
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 400 },
      plugins: {
        legend: {
          display: spec.type === "doughnut" || spec.type === "radar" || spec.datasets.length > 1,
          position: "bottom",
          labels: { usePointStyle: spec.type !== "doughnut", boxHeight: 10 }
        },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              var value = spec.type === "doughnut" ? ctx.parsed : (spec.horizontal ? ctx.parsed.x : ctx.parsed.y);
              return (ctx.dataset.label ? ctx.dataset.label + ": " : "") + fmt(value) + unit;
            }
          }
        }
      }
    };
    if (spec.type === "radar") {
      options.scales = { r: {
        beginAtZero: true, suggestedMax: spec.rmax || 100, ticks: { callback: function (v) { return fmt(v); } },
        pointLabels: {
          callback: function (label) { return shorten(label, this.chart); },
          font: function (ctx) { return { size: ctx.chart.width < 480 ? 10 : 12 }; }
        }
      } };
      options.plugins.tooltip.callbacks.label = function (ctx) {
        return (ctx.dataset.label ? ctx.dataset.label + ": " : "") + fmt(ctx.parsed.r) + unit;
      };
    } else if (spec.type !== "doughnut") {
      var valueAxis = { beginAtZero: true, stacked: !!spec.stacked, ticks: { callback: function (v) { return fmt(v); } } };
      // counts have whole-number ticks ("integer"), rates stop at 100 ("max"): set before the chart
      // is drawn, never by an update while its first animation runs (the bars would keep the
      // lengths of the first scale: 69% drawn at full length on a 0-100 axis)
      if (spec.integer) valueAxis.ticks.precision = 0;
      if (spec.max !== undefined && spec.max !== null) valueAxis.max = spec.max;
      var categoryAxis = { stacked: !!spec.stacked, grid: { display: false } };
      if (spec.horizontal) {
        categoryAxis.ticks = { callback: function (value) { return shorten(this.getLabelForValue(value), this.chart); } };
      }
      if (spec.horizontal) {
        options.indexAxis = "y";
        options.scales = { x: valueAxis, y: categoryAxis };
      } else {
        options.scales = { x: categoryAxis, y: valueAxis };
      }
    } else {
      options.cutout = "58%";
    }
    return options;
  }

  function drawCharts(root) {
    if (!window.Chart) return;
    var canvases = (root || document).querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      if (canvas.dataset.drawn) return;
      var spec = readData(canvas.dataset.chart);
      if (!spec || !spec.labels || !spec.labels.length) {
        canvas.parentNode.classList.add("chart-empty");
        return;
      }
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: datasetsFor(spec) }, options: optionsFor(spec) });
    });
  }

  function autosubmit() {
    // A zone or year picked from a list shows its figures at once (the button stays for no-JS).
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosubmit] select"), function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function sendOnce() {
    // A form that writes is sent once: a second click while the first is on its way does nothing
    // (the server also answers a form sent twice with the first answer: core/idempotency.py).
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.querySelector || !form.querySelector("input[name=submission]")) return;
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "1";
      form.setAttribute("aria-busy", "true");
    });
    window.addEventListener("pageshow", function () {  // back to a page kept by the browser
      Array.prototype.forEach.call(document.querySelectorAll("form[data-sending]"), function (form) {
        delete form.dataset.sending;
        form.removeAttribute("aria-busy");
      });
    });
  }

  function collapsibleMenu() {
    // On a small screen the main menu folds behind its button (the stylesheet hides the list
    // while aria-expanded is "false"); on a wide one the button is not shown and the list is.
    // Without this script the button stays hidden and the menu is a plain list.
    var toggle = document.querySelector("[data-menu-toggle]");
    var list = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!list) return;
    function set(open) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
    set(false);
    toggle.hidden = false;
    toggle.addEventListener("click", function () { set(toggle.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (event) {
      // Escape closes the open menu and gives the focus back to its button
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true" || !toggle.offsetParent) return;
      set(false);
      toggle.focus();
    });
  }

  function scrollableTables() {
    // A table wider than its box (on a phone, most are) scrolls sideways inside its .table-wrap:
    // a keyboard must reach the box to scroll it, so while it scrolls the box takes the focus
    // (WCAG 2.1.1; axe: scrollable-region-focusable), a region named by its table's caption if it
    // has one (otherwise the section around it names the place). A box that does not scroll is
    // no stop on the way.
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (box) {
      var ours = box.hasAttribute("data-scroll-focus");
      if (box.scrollWidth > box.clientWidth + 1) {
        if (ours || box.hasAttribute("tabindex")) return;
        box.setAttribute("data-scroll-focus", "");
        box.setAttribute("tabindex", "0");
        var caption = box.querySelector("caption[id]");
        if (caption) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-labelledby", caption.id);
        }
      } else if (ours) {
        ["data-scroll-focus", "tabindex", "role", "aria-labelledby"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }

  function focusErrors() {
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  }

  // the menu folds as soon as the page is parsed (this script is deferred), before its images load
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", collapsibleMenu);
  else collapsibleMenu();

  document.addEventListener("DOMContentLoaded", function () {
    if (window.Chart) {
      window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      window.Chart.defaults.color = "#3d4754";
    }
    drawCharts(document);
    autosubmit();
    sendOnce();
    focusErrors();
    scrollableTables();
    var resized = null;
    window.addEventListener("resize", function () {
      if (resized === null) resized = requestAnimationFrame(function () { resized = null; scrollableTables(); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); scrollableTables(); });
  window.addEventListener("beforeprint", function () {
    if (!window.Chart) return;
    Object.values(window.Chart.instances || {}).forEach(function (chart) { chart.resize(); });
  });
})();

/* A suggested text a person may take into a field (the publish form's public summary, names
   masked): the button shows only with scripts; without them the text is there to copy. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-fill]"), function (button) {
      var field = document.getElementById(button.getAttribute("data-fill"));
      if (!field) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        field.value = button.getAttribute("data-text");
        field.focus();
      });
    });
  });
})();
