// Apoyo: the few behaviours the pages used to write inline (onsubmit, onclick, <script>), which the
// Content-Security-Policy now refuses. Plain JS, loaded with defer on every page of base.html.
(function () {
  "use strict";

  // <form data-confirm="¿…?"> asks before it is sent. Listening on the document also covers forms
  // that htmx swaps in later (the progress card of a carga masiva).
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset ? event.target.dataset.confirm : null;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // <button data-print> prints the page (the dictamen).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) window.print();
  });

  // <form data-focus-first="id"> puts the cursor where work continues: the first field with an
  // error, else the field with that id (the first field of a new row of a cédula).
  function focusFirst() {
    var form = document.querySelector("form[data-focus-first]");
    if (!form) return;
    var target =
      document.querySelector('form [aria-invalid="true"]') ||
      document.getElementById(form.dataset.focusFirst);
    if (target) target.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirst);
  } else {
    focusFirst();
  }
})();
