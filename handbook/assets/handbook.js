/* Handbook behaviour that needs a browser: the who-to-call-now card, "copy link" on every step,
   forwarding of old step anchors, checklists copied as dated text, the print date, and marking
   links within the handbook so that print shows web addresses only for links to other sites.
   Everything works without this file too: all numbers, anchors and checklists are in the HTML.
   Nothing is stored or sent anywhere; checklist state lives in the page only. */
(function () {
  "use strict";

  var DAY_SETS = {
    "mon-fri": [1, 2, 3, 4, 5], "mon-thu": [1, 2, 3, 4], "fri": [5], "sat": [6], "sun": [0],
    "sat-sun": [6, 0], "mon-sun": [0, 1, 2, 3, 4, 5, 6]
  };
  var DAY_NAMES = ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"];

  /* The time in Stockholm, whatever the device's time zone. */
  function stockholmNow(date) {
    var parts = {};
    new Intl.DateTimeFormat("sv-SE", {
      timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hour12: false, weekday: "short"
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    var iso = parts.year + "-" + parts.month + "-" + parts.day;
    var weekday = new Date(iso + "T12:00:00Z").getUTCDay();
    var hour = parseInt(parts.hour, 10) % 24;
    return { iso: iso, weekday: weekday, minutes: hour * 60 + parseInt(parts.minute, 10),
             label: DAY_NAMES[weekday] + " " + String(hour).padStart(2, "0") + "." + parts.minute };
  }

  function toMinutes(clock) {
    var hm = clock.split(":");
    return parseInt(hm[0], 10) * 60 + parseInt(hm[1], 10);
  }

  /* A public holiday (röd dag) counts as a Sunday: a contact open on holidays keeps its Sunday
     hours (Socialjouren is open all day on juldagen even when it falls on a Friday); a contact
     that is not open on holidays is closed all day. */
  function isOpen(contact, now, holidays) {
    if (contact.always) return true;
    var holiday = holidays.indexOf(now.iso) >= 0;
    if (holiday && !contact.holidays) return false;
    var weekday = holiday ? 0 : now.weekday;
    return contact.hours.some(function (h) {
      return (DAY_SETS[h.days] || []).indexOf(weekday) >= 0 &&
        now.minutes >= toMinutes(h.opens) && now.minutes < toMinutes(h.closes);
    });
  }

  function callNow(root) {
    var data = root.querySelector("#hb-call-now-data");
    var card = root.querySelector(".hb-call-now");
    if (!data || !card) return;
    var config = JSON.parse(data.textContent);
    var now = stockholmNow(new Date());
    var chosen = null;
    config.contacts.forEach(function (contact) {
      var marker = card.querySelector('[data-contact="' + contact.id + '"]');
      var item = marker && marker.closest("li");
      var open = isOpen(contact, now, config.holidays);
      if (item) {
        item.classList.toggle("is-open", open);
        item.classList.toggle("is-closed", !open);
      }
      if (open && !chosen) chosen = { contact: contact, item: item };
    });
    var line = card.querySelector(".hb-call-now__now");
    if (!line || !chosen) return;
    var holiday = config.holidays.indexOf(now.iso) >= 0 ? " (helgdag)" : "";
    var tel = chosen.item && chosen.item.querySelector('a[href^="tel:"]');
    var cardLink = chosen.item && chosen.item.querySelector('a:not([href^="tel:"])');
    line.textContent = "";
    line.appendChild(document.createTextNode("Just nu, " + now.label + holiday + ": ring " + chosen.contact.name));
    if (tel) {
      line.appendChild(document.createTextNode(" på "));
      var call = document.createElement("a");
      call.href = tel.getAttribute("href");
      call.textContent = tel.textContent;
      line.appendChild(call);
      line.appendChild(document.createTextNode("."));
    } else if (cardLink) {
      /* No number in the data (yet): point to the contact card rather than leave the reader stuck. */
      line.appendChild(document.createTextNode(". "));
      var more = document.createElement("a");
      more.href = cardLink.getAttribute("href");
      more.textContent = "Se kontaktuppgifterna";
      line.appendChild(more);
      line.appendChild(document.createTextNode("."));
    } else {
      line.appendChild(document.createTextNode("."));
    }
    line.setAttribute("data-contact", chosen.contact.id);
    line.hidden = false;
  }

  function announce(button, text) {
    var status = button.nextElementSibling;
    if (!status || !status.classList.contains("hb-status")) {
      status = document.createElement("span");
      status.className = "hb-status";
      status.setAttribute("role", "status");
      button.after(status);
    }
    status.textContent = text;
  }

  function copy(text, button, done) {
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      announce(button, ok ? done : "Kunde inte kopiera. Markera och kopiera själv.");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { announce(button, done); }, fallback);
    } else {
      fallback();
    }
  }

  function pageUrl(hash) {
    return location.href.split("#")[0] + (hash ? "#" + hash : "");
  }

  function copyLinks(root) {
    root.querySelectorAll("h3.hb-step").forEach(function (heading) {
      if (heading.querySelector(".hb-copy-link")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "hb-copy-link";
      button.textContent = "Kopiera länk";
      button.setAttribute("aria-label", "Kopiera länk till steget " + heading.firstChild.textContent.trim());
      button.setAttribute("data-anchor", heading.id);
      button.addEventListener("click", function () {
        copy(pageUrl(heading.id), button, "Länken är kopierad.");
      });
      heading.appendChild(button);
    });
  }

  /* Old step ids stay as empty anchors before their step; show the current address instead. */
  function forwardAlias(root) {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var alias = root.querySelector(".hb-alias[id='" + id.replace(/'/g, "") + "']");
    if (!alias) return;
    var target = document.getElementById(alias.getAttribute("data-forward"));
    if (!target) return;
    history.replaceState(null, "", "#" + target.id);
    target.scrollIntoView();
  }

  function stamp() {
    var d = new Date();
    return d.toLocaleDateString("sv-SE") + " " + d.toLocaleTimeString("sv-SE", { hour: "2-digit", minute: "2-digit" });
  }

  function checklists(root) {
    root.querySelectorAll(".hb-checklist").forEach(function (list) {
      if (list.querySelector(".hb-checklist-copy")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "hb-checklist-copy";
      button.textContent = "Kopiera checklistan som text";
      button.addEventListener("click", function () {
        var lines = [document.title.split(" - ")[0], (list.getAttribute("data-step-title") || ""),
                     "Kopierad " + stamp()];
        list.querySelectorAll("input[type=checkbox]").forEach(function (box) {
          lines.push((box.checked ? "[x] " : "[ ] ") + box.closest("label").textContent.trim());
        });
        lines.push("Källa: " + pageUrl(list.getAttribute("data-anchor")));
        copy(lines.filter(Boolean).join("\n"), button, "Checklistan är kopierad.");
      });
      list.appendChild(button);
    });
  }

  /* Material's instant navigation makes every link absolute, so the print stylesheet cannot tell a
     link within the handbook from one to another site by its href. Mark ours: print shows the
     address only after links that leave the handbook. */
  function markInternalLinks(root) {
    root.querySelectorAll(".md-typeset a[href]").forEach(function (a) {
      var url;
      try { url = new URL(a.getAttribute("href"), location.href); } catch (e) { return; }
      var internal = (url.protocol === "http:" || url.protocol === "https:" || url.protocol === "file:") &&
        url.origin === location.origin;
      a.classList.toggle("hb-internal", internal);
    });
  }

  function printDate(root) {
    root.querySelectorAll(".hb-print-date").forEach(function (el) { el.textContent = stamp(); });
  }

  function init() {
    var root = document;
    callNow(root);
    copyLinks(root);
    checklists(root);
    printDate(root);
    markInternalLinks(root);
    forwardAlias(root);
  }

  window.addEventListener("beforeprint", function () {
    printDate(document);
    markInternalLinks(document);
  });
  window.addEventListener("hashchange", function () { forwardAlias(document); });
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
