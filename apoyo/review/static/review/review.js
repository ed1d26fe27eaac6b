// Mesa de control: keyboard shortcuts and image zoom. Plain JS, served locally.
(function () {
  "use strict";

  // Keys never act while the revisor types in a field; Esc leaves the field.
  function typing(target) {
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  // --- Zoom: each picture zooms inside its frame; the frame scrolls (or is dragged) to pan. ---
  var STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4];

  function setupViewer(figure) {
    var image = figure.querySelector("img[data-zoomable]");
    if (!image) return;
    var frame = figure.querySelector(".zoom-frame");
    var level = figure.querySelector(".zoom-level");
    var step = STEPS.indexOf(1);

    function apply(newStep) {
      var centre = {
        x: (frame.scrollLeft + frame.clientWidth / 2) / Math.max(frame.scrollWidth, 1),
        y: (frame.scrollTop + frame.clientHeight / 2) / Math.max(frame.scrollHeight, 1),
      };
      step = Math.max(0, Math.min(STEPS.length - 1, newStep));
      image.style.width = STEPS[step] * 100 + "%";
      frame.scrollLeft = centre.x * frame.scrollWidth - frame.clientWidth / 2;
      frame.scrollTop = centre.y * frame.scrollHeight - frame.clientHeight / 2;
      if (level) level.textContent = Math.round(STEPS[step] * 100) + "%";
      figure.dataset.zoom = STEPS[step];
    }

    figure.zoom = {
      in: function () { apply(step + 1); },
      out: function () { apply(step - 1); },
      reset: function () { apply(STEPS.indexOf(1)); },
    };
    figure.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () { figure.zoom[button.dataset.zoom](); });
    });
    frame.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;
      event.preventDefault();
      apply(step + (event.deltaY < 0 ? 1 : -1));
    }, { passive: false });

    var drag = null;
    frame.addEventListener("pointerdown", function (event) {
      drag = { x: event.clientX, y: event.clientY, left: frame.scrollLeft, top: frame.scrollTop };
      frame.classList.add("dragging");
      frame.setPointerCapture(event.pointerId);
    });
    frame.addEventListener("pointermove", function (event) {
      if (!drag) return;
      frame.scrollLeft = drag.left - (event.clientX - drag.x);
      frame.scrollTop = drag.top - (event.clientY - drag.y);
    });
    function stop() { drag = null; frame.classList.remove("dragging"); }
    frame.addEventListener("pointerup", stop);
    frame.addEventListener("pointercancel", stop);
    image.addEventListener("dragstart", function (event) { event.preventDefault(); });
  }

  function viewers() { return Array.prototype.slice.call(document.querySelectorAll("[data-viewer]")); }
  // In the app's grid of photos the keys act on the photo whose frame has the focus.
  function grid() { return document.querySelector(".app-images"); }
  function visibleViewer() {
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-viewer]") : null;
    return focused || viewers().filter(function (v) { return !v.hidden; })[0];
  }

  // --- Several images per support: tabs, and I for the next one. ---
  function show(index) {
    var all = viewers();
    if (!all.length) return;
    index = (index + all.length) % all.length;
    if (grid()) {
      all[index].querySelector(".zoom-frame").focus();
      return;
    }
    all.forEach(function (viewer, i) { viewer.hidden = i !== index; });
    var pdf = all[index].querySelector("object[data-src]");
    if (pdf && !pdf.getAttribute("data")) pdf.setAttribute("data", pdf.dataset.src);
    document.querySelectorAll(".image-tabs [role=tab]").forEach(function (tab, i) {
      tab.setAttribute("aria-selected", i === index ? "true" : "false");
    });
  }

  function setupTabs() {
    document.querySelectorAll(".image-tabs [role=tab]").forEach(function (tab, i) {
      tab.addEventListener("click", function () { show(i); });
    });
  }

  // --- Shortcuts: data-shortcut="x" clicks the element; data-shortcut-focus="x" focuses
  // the field named in data-focus-target. ---
  function onKey(event) {
    if (event.key === "Escape" && typing(event.target)) {
      event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key.toLowerCase();
    var viewer = visibleViewer();
    if (viewer && viewer.zoom) {
      if (key === "+" || key === "=") { viewer.zoom.in(); event.preventDefault(); return; }
      if (key === "-") { viewer.zoom.out(); event.preventDefault(); return; }
      if (key === "0") { viewer.zoom.reset(); event.preventDefault(); return; }
    }
    if (key === "i") {
      show(viewers().indexOf(viewer) + 1);
      event.preventDefault();
      return;
    }
    var action = document.querySelector('[data-shortcut="' + key + '"]');
    if (action) {
      event.preventDefault();
      action.click();
      return;
    }
    var focus = document.querySelector('[data-shortcut-focus="' + key + '"]');
    if (focus) {
      var field = document.querySelector(focus.dataset.focusTarget);
      if (field) {
        event.preventDefault();
        field.focus();
      }
    }
  }

  function start() {
    viewers().forEach(setupViewer);
    setupTabs();
    document.addEventListener("keydown", onKey);
    // After a refused decision, put the cursor on the field to fix.
    var invalid = document.querySelector('.decision [aria-invalid="true"]');
    if (invalid) invalid.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
