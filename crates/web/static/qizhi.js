// Qizhi's progressive enhancement: every page works without it; with it the
// phone menu folds, the org tree expands in place (htmx) and charts draw
// (ECharts, loaded only on pages that have a chart). No inline scripts, so a
// strict Content-Security-Policy can be used.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  // Phone navigation: the side menu becomes a drop-down under the top bar.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".nav-toggle");
    if (toggle) {
      var open = root.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", String(open));
      return;
    }
    // Tree nodes: htmx loads the children on the first click (hx-trigger
    // "click once"); every click shows or hides them.
    var node = event.target.closest(".tree-toggle");
    if (node) {
      var expanded = node.getAttribute("aria-expanded") === "true";
      node.setAttribute("aria-expanded", String(!expanded));
      var children = node.closest(".tree-node").querySelector(":scope > .tree-children");
      if (children) children.hidden = expanded;
    }
  });

  // A header checkbox selects every row's: <input data-select-all="NAME">
  // ticks or clears the checkboxes named NAME in the same table.
  document.addEventListener("change", function (event) {
    var all = event.target.closest && event.target.closest("input[data-select-all]");
    if (!all) return;
    var table = all.closest("table") || document;
    table.querySelectorAll('input[type="checkbox"][name="' + all.dataset.selectAll + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });

  // Destructive forms ask first: <form data-confirm="…"> (brands, honors).
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // A progress entry below the task's current progress is confirmed first:
  // <form data-progress-was="32" data-progress-down="…"> with a `progress` field.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-progress-was]");
    if (!form || !form.elements.progress) return;
    var was = Number(form.dataset.progressWas), now = Number(form.elements.progress.value);
    if (now < was && !window.confirm(form.dataset.progressDown.replace("{was}", was).replace("{now}", now))) {
      event.preventDefault();
    }
  });

  // Quick progress steps beside a percent field:
  // <div data-steps-for="ID"><button data-add="10"> / <button data-set="100">.
  document.addEventListener("click", function (event) {
    var step = event.target.closest && event.target.closest("[data-steps-for] button");
    if (!step) return;
    var field = document.getElementById(step.parentElement.dataset.stepsFor);
    if (!field) return;
    var now = Number(field.value) || 0;
    var next = step.dataset.set !== undefined ? Number(step.dataset.set) : now + Number(step.dataset.add);
    field.value = String(Math.max(0, Math.min(100, next)));
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // htmx: send the CSRF token with every non-GET request it makes.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && event.detail.verb !== "get") {
      event.detail.headers["X-CSRF-Token"] = meta.content;
    }
  });

  // Charts: <div class="chart" data-chart='{ECharts option}' data-height="320">.
  var palette = ["#c8161d", "#5b6b82", "#d98b2b", "#3f8f6b", "#8a6bb8", "#9aa3ae"];
  var echartsLoading = null;

  function loadECharts() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (!echartsLoading) {
      echartsLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = document.body.dataset.echarts;
        script.onload = function () { resolve(window.echarts); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return echartsLoading;
  }

  function drawCharts(scope) {
    var pending = Array.prototype.filter.call(
      scope.querySelectorAll(".chart[data-chart]"),
      function (el) { return !el.dataset.chartReady; }
    );
    if (scope.matches && scope.matches(".chart[data-chart]") && !scope.dataset.chartReady) {
      pending.push(scope);
    }
    if (!pending.length) return;
    // Marked now, not after loading: htmx:load can ask again meanwhile.
    pending.forEach(function (el) { el.dataset.chartReady = "1"; });
    loadECharts().then(function (echarts) {
      var font = getComputedStyle(document.body).fontFamily;
      pending.forEach(function (el) {
        if (el.dataset.height) el.style.height = el.dataset.height + "px";
        var option;
        try {
          option = JSON.parse(el.dataset.chart);
        } catch (e) {
          return;
        }
        option.color = option.color || palette;
        option.textStyle = Object.assign({ fontFamily: font, color: "#4e5969" }, option.textStyle);
        var chart = echarts.init(el, null, { renderer: "svg" });
        chart.setOption(option);
        new ResizeObserver(function () { chart.resize(); }).observe(el);
      });
    });
  }

  function onReady() {
    drawCharts(document);
    // Fragments htmx swaps in can carry charts too.
    document.body.addEventListener("htmx:load", function (event) {
      drawCharts(event.detail.elt);
    });
    // With one root the tree opens its first level at once.
    var auto = document.querySelector(".tree[data-autoexpand] > .tree-node > .tree-row > .tree-toggle");
    if (auto) auto.click();
  }

  // Deferred scripts run before DOMContentLoaded; waiting for it lets htmx
  // (whose listener was added first) process the page before we click.
  if (document.readyState === "complete") {
    onReady();
  } else {
    document.addEventListener("DOMContentLoaded", onReady);
  }
})();
