/* The reader's print button (routine pages and short versions). Printing itself is the browser's;
   the button is in the HTML hidden and shown here, so a reader without this script never meets a
   button that does nothing. Before printing, every collapsed part of the page is opened (print must
   be complete) and closed again afterwards, as the reader left it. A step's collapsed list of districts
   opens by itself when the reader has chosen a district (handbook.js narrows it to that one). */
(function () {
  "use strict";

  function showButtons() {
    document.querySelectorAll("[data-hb-print]").forEach(function (el) { el.hidden = false; });
  }

  function openChosenDistricts() {
    document.querySelectorAll("details.hb-collapse").forEach(function (d) {
      var note = d.querySelector(":scope > .hb-districts > .hb-districts__chosen");
      if (note && !note.hidden) d.open = true;
    });
  }

  /* Each part on its own: one that fails never stops the other. */
  function init() {
    [showButtons, openChosenDistricts].forEach(function (part) {
      try { part(); } catch (e) { if (window.console) console.error("reader.js:", e); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-hb-print] button");
    if (button) window.print();
  });

  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.hb-collapse:not([open])"),
      function (d) { d.open = true; return true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
