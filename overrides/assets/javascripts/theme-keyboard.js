/* Keyboard use of Material's chrome, where Material leaves a gap (see handbook/site/theme/partials/header.html):
   - the menu button is a <label> for the hidden drawer checkbox; Material opens a focused label on
     Enter, this adds Space, as for any button, and Escape closes the open drawer and returns focus;
   - a table too wide for the screen scrolls inside Material's wrapper, which a keyboard cannot reach
     (WCAG 2.1.1, axe scrollable-region-focusable); such a wrapper becomes a named, focusable region,
     as Material already does for code blocks. Re-checked on every page (instant navigation) and resize. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === " " && target instanceof Element && target.hasAttribute("data-hb-drawer")) {
      event.preventDefault();
      target.click();
      return;
    }
    var drawer = document.getElementById("__drawer");
    if (event.key === "Escape" && drawer && drawer.checked) {
      drawer.checked = false;
      drawer.dispatchEvent(new Event("change"));
      var button = document.querySelector("[data-hb-drawer]");
      if (button) button.focus();
    }
  });

  /* "Tabell: <the heading above it>", unique on the page (landmarks need distinct names). */
  function tableName(wrap, used) {
    var node = wrap, name = "Tabell";
    while ((node = node.previousElementSibling)) {
      if (/^H[1-6]$/.test(node.tagName)) {
        name = "Tabell: " + node.textContent.replace(/\u00b6/g, "").trim();
        break;
      }
    }
    var unique = name, n = 1;
    while (used[unique]) unique = name + " (" + (++n) + ")";
    used[unique] = true;
    return unique;
  }

  function scrollableTables() {
    var used = {};
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", tableName(wrap, used) + " (rulla i sidled)");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  function later() { window.requestAnimationFrame(scrollableTables); }
  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(scrollableTables, 150);
  });
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(later);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", later);
  } else {
    later();
  }
})();
