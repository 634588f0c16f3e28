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

  /* The first contact of the chain that may be recommended at a moment: open by verified hours and
     with a verified number. The chain (contacts.yaml call_now with each outside_hours fallback) ends
     in a contact that always answers; the build's 24/7 rule guarantees that. */
  function recommend(config, now) {
    for (var i = 0; i < config.chain.length; i++) {
      var c = config.chain[i];
      if (c.verifiedNumber && c.verifiedHours && c.tel && isOpen(c, now, config.holidays)) return c;
    }
    return null;
  }

  function callLink(contact) {
    var a = document.createElement("a");
    a.href = contact.tel;
    a.className = "hb-tel";
    a.textContent = contact.display;
    return a;
  }

  function sentence(line, parts) {
    line.textContent = "";
    parts.forEach(function (part) {
      line.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
  }

  function updateCallNow(card, config, date) {
    var now = stockholmNow(date);
    config.chain.forEach(function (contact) {
      var marker = card.querySelector('[data-contact="' + contact.id + '"]');
      var item = marker && marker.closest("li");
      if (!item) return;
      /* Hours that no source states never say "open now": a neutral badge instead. */
      var known = contact.verifiedHours;
      var open = known && isOpen(contact, now, config.holidays);
      item.classList.toggle("is-open", open);
      item.classList.toggle("is-closed", known && !open);
      item.classList.toggle("is-unknown", !known);
    });
    var chosen = recommend(config, now);
    var line = card.querySelector(".hb-call-now__now");
    var also = card.querySelector(".hb-call-now__also");
    if (!line || !chosen) return;
    var holiday = config.holidays.indexOf(now.iso) >= 0 ? " (helgdag)" : "";
    sentence(line, ["Just nu, " + now.label + holiday + ": ring " + chosen.name + " på ", callLink(chosen), "."]);
    line.setAttribute("data-contact", chosen.id);
    line.hidden = false;
    /* Within 30 minutes of a change (someone closes or opens), show the other contact too. */
    var others = [];
    [-30, 30].forEach(function (offset) {
      var other = recommend(config, stockholmNow(new Date(date.getTime() + offset * 60000)));
      if (other && other.id !== chosen.id && others.indexOf(other) < 0) others.push(other);
    });
    if (also) {
      if (others.length) {
        var parts = ["Nära en ändring i öppettiderna: du kan också ringa "];
        others.forEach(function (o, i) {
          if (i) parts.push(" eller ");
          parts.push(o.name + " på ", callLink(o));
        });
        parts.push(".");
        sentence(also, parts);
        also.setAttribute("data-contacts", others.map(function (o) { return o.id; }).join(" "));
      }
      also.hidden = !others.length;
    }
  }

  var callNowTimer = null;

  function callNow(root) {
    var data = root.querySelector("#hb-call-now-data");
    var card = root.querySelector(".hb-call-now");
    if (!data || !card) return;
    var config = JSON.parse(data.textContent);
    function update() { updateCallNow(card, config, new Date()); }
    update();
    /* A tab left open must not keep yesterday's advice: recompute every minute and when shown again. */
    if (callNowTimer) clearInterval(callNowTimer);
    callNowTimer = setInterval(function () {
      if (!document.contains(card)) { clearInterval(callNowTimer); callNowTimer = null; return; }
      update();
    }, 60000);
    card.hbUpdate = update;
  }

  document.addEventListener("visibilitychange", function () {
    var card = document.querySelector(".hb-call-now");
    if (!document.hidden && card && card.hbUpdate) card.hbUpdate();
  });

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
      /* The whole heading text (abbreviations included), without the permalink and the button. */
      var copyOf = heading.cloneNode(true);
      copyOf.querySelectorAll(".headerlink, .hb-copy-link").forEach(function (el) { el.remove(); });
      button.setAttribute("aria-label", "Kopiera länk till steget " + copyOf.textContent.replace(/\s+/g, " ").trim());
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

  /* On a wide screen the drawing is open; on a phone the text version comes first and the drawing is
     one tap away (it would be too small to read). */
  function flowchartFigure(root) {
    if (!window.matchMedia || !window.matchMedia("(min-width: 60em)").matches) return;
    root.querySelectorAll("details.hb-flowchart-figure").forEach(function (d) { d.open = true; });
  }

  function init() {
    var root = document;
    flowchartFigure(root);
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
