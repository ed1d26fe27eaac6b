// Mesa de control: keyboard shortcuts, and image zoom, rotation and pages. Plain JS, served locally.
(function () {
  "use strict";

  // Keys never act while the revisor types in a field; Esc leaves the field.
  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  // While a refused decision is on the page, no letter decides anything: the revisor was about
  // to type the fix, and a keystroke that lands outside the field must not accept or confirm.
  function errorShown() {
    return !!document.querySelector(
      '.decision .alert.error, .decision [aria-invalid="true"], .messages .error'
    );
  }

  // --- Viewer: each picture zooms and turns inside its frame (scroll or drag to pan); the
  // pages of a PDF scan, drawn as images on the server, are shown one at a time. ---
  var STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4];
  var TURNS = ["turn-0", "turn-1", "turn-2", "turn-3"];

  function setupZoom(figure, image, frame, state) {
    var level = figure.querySelector(".zoom-level");

    function apply(newStep) {
      var centre = {
        x: (frame.scrollLeft + frame.clientWidth / 2) / Math.max(frame.scrollWidth, 1),
        y: (frame.scrollTop + frame.clientHeight / 2) / Math.max(frame.scrollHeight, 1),
      };
      state.step = Math.max(0, Math.min(STEPS.length - 1, newStep));
      state.layout();
      frame.scrollLeft = centre.x * frame.scrollWidth - frame.clientWidth / 2;
      frame.scrollTop = centre.y * frame.scrollHeight - frame.clientHeight / 2;
      if (level) level.textContent = Math.round(STEPS[state.step] * 100) + "%";
      figure.dataset.zoom = STEPS[state.step];
    }

    figure.zoom = {
      in: function () { apply(state.step + 1); },
      out: function () { apply(state.step - 1); },
      reset: function () { apply(STEPS.indexOf(1)); },
    };
    figure.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () { figure.zoom[button.dataset.zoom](); });
    });
    frame.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;
      event.preventDefault();
      apply(state.step + (event.deltaY < 0 ? 1 : -1));
    }, { passive: false });
  }

  function setupPan(frame, image) {
    var drag = null;
    frame.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
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

  function setupPages(figure, image, state) {
    var pages = (image.dataset.pages || "").split(" ").filter(Boolean);
    var label = figure.querySelector(".page-label");
    var prev = figure.querySelector('[data-page="prev"]');
    var next = figure.querySelector('[data-page="next"]');
    var current = 0;

    function go(index) {
      if (index < 0 || index >= pages.length) return false;
      current = index;
      if (image.getAttribute("src") !== pages[index]) image.setAttribute("src", pages[index]);
      var where = "página " + (index + 1) + " de " + pages.length;
      if (pages.length > 1) image.alt = image.dataset.label + ", " + where;
      if (label) label.textContent = "Página " + (index + 1) + " de " + pages.length;
      if (prev) prev.disabled = index === 0;
      if (next) next.disabled = index === pages.length - 1;
      figure.dataset.page = index + 1;
      return true;
    }

    figure.pages = {
      next: function () { return go(current + 1); },
      prev: function () { return go(current - 1); },
      first: function () { return go(0); },
    };
    if (prev) prev.addEventListener("click", figure.pages.prev);
    if (next) next.addEventListener("click", figure.pages.next);
    figure.dataset.page = 1;
  }

  function setupViewer(figure) {
    var image = figure.querySelector("img[data-zoomable]");
    if (!image) return;
    var frame = figure.querySelector(".zoom-frame");
    var canvas = figure.querySelector(".zoom-canvas");
    var state = { step: STEPS.indexOf(1), turn: 0 };

    // The canvas is the zoom's width. Upright, the picture lays itself out (before it loads, too);
    // turned, the canvas takes the turned picture's shape and the picture turns about its centre
    // inside it. Sizes in % keep it right when the window changes.
    state.layout = function () {
      var width = image.naturalWidth || 4;
      var height = image.naturalHeight || 3;
      var sideways = state.turn % 2 === 1;
      canvas.style.width = STEPS[state.step] * 100 + "%";
      canvas.classList.toggle("turned", state.turn !== 0);
      canvas.style.aspectRatio = state.turn === 0 ? ""
        : sideways ? height + " / " + width : width + " / " + height;
      image.style.width = sideways ? (width / height) * 100 + "%" : "100%";
      TURNS.forEach(function (name, i) { image.classList.toggle(name, i === state.turn); });
      figure.dataset.turn = state.turn * 90;
    };
    figure.rotate = function () {
      state.turn = (state.turn + 1) % 4;
      state.layout();
    };
    figure.querySelectorAll("[data-rotate]").forEach(function (button) {
      button.addEventListener("click", figure.rotate);
    });
    image.addEventListener("load", state.layout);
    setupZoom(figure, image, frame, state);
    setupPan(frame, image);
    setupPages(figure, image, state);
    state.layout();
  }

  function viewers() { return Array.prototype.slice.call(document.querySelectorAll("[data-viewer]")); }
  // In the app's grid of photos the keys act on the photo whose frame has the focus.
  function grid() { return document.querySelector(".app-images"); }
  function visibleViewer() {
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-viewer]") : null;
    return focused || viewers().filter(function (v) { return !v.hidden; })[0];
  }

  // --- Several images per support: tabs, and I for the next page or image. ---
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

  function nextImage(viewer) {
    if (viewer && viewer.pages && viewer.pages.next()) return;
    var all = viewers();
    var following = all[(all.indexOf(viewer) + 1) % Math.max(all.length, 1)];
    if (following && following.pages) following.pages.first();
    show(all.indexOf(viewer) + 1);
  }

  function setupTabs() {
    document.querySelectorAll(".image-tabs [role=tab]").forEach(function (tab, i) {
      tab.addEventListener("click", function () { show(i); });
    });
  }

  // --- Shortcuts: data-shortcut="x" clicks the element; data-shortcut-focus="x" focuses
  // the field named in data-focus-target. ---
  function viewerKey(key, viewer) {
    if (!viewer || !viewer.zoom) return false;
    if (key === "+" || key === "=") viewer.zoom.in();
    else if (key === "-") viewer.zoom.out();
    else if (key === "0") viewer.zoom.reset();
    else return false;
    return true;
  }

  function onKey(event) {
    if (event.key === "Escape" && typing(event.target)) {
      event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || typing(document.activeElement)) return;
    var key = event.key.toLowerCase();
    var viewer = visibleViewer();
    if (viewerKey(key, viewer)) { event.preventDefault(); return; }
    if (key.length !== 1 || errorShown()) return;
    if (key === "i") { nextImage(viewer); event.preventDefault(); return; }
    if (key === "g") {
      if (viewer && viewer.rotate) { viewer.rotate(); event.preventDefault(); }
      return;
    }
    var action = document.querySelector('[data-shortcut="' + key + '"]');
    if (action) {
      event.preventDefault();
      action.click();
      return;
    }
    var focus = document.querySelector('[data-shortcut-focus="' + key + '"]');
    var field = focus && document.querySelector(focus.dataset.focusTarget);
    if (field) {
      event.preventDefault();
      field.focus();
    }
  }

  // After a refused decision the cursor goes back to the field at fault (or to the error, when
  // no field is), so what the revisor types next lands there and never on a shortcut.
  function focusError() {
    var invalid = document.querySelector('.decision [aria-invalid="true"]');
    var alert = document.querySelector(".decision .alert.error");
    var target = invalid || alert;
    if (!target) return;
    target.focus();
    // The caret after what was already typed, so that the revisor goes on writing.
    if (invalid && invalid.tagName === "INPUT" && invalid.value) {
      try {
        invalid.setSelectionRange(invalid.value.length, invalid.value.length);
      } catch (ignored) { /* a kind of input without a caret */ }
    }
  }

  function start() {
    viewers().forEach(setupViewer);
    setupTabs();
    document.addEventListener("keydown", onKey);
    focusError();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
