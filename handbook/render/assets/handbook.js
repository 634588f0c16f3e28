/* Handbook behaviour that needs a browser: the who-to-call-now card, the reader's own district
   ("Min stadsdel"), the role view of a routine, "copy link" on every step, forwarding of old step
   anchors, checklists copied as dated text, the print date, and marking links within the handbook so
   that print shows web addresses only for links to other sites.
   Everything works without this file too: all numbers, anchors, districts and steps are in the HTML.
   Nothing is sent anywhere. The district lives in the address (?stadsdel=…) and, for this tab, in
   sessionStorage; in localStorage only when the reader ticks "Kom ihåg". No cookie. */
(function () {
  "use strict";

  var DAY_SETS = {
    "mon-fri": [1, 2, 3, 4, 5], "mon-thu": [1, 2, 3, 4], "fri": [5], "sat": [6], "sun": [0],
    "sat-sun": [6, 0], "mon-sun": [0, 1, 2, 3, 4, 5, 6]
  };
  /* Only a tel: address of digits is dialled: data is never trusted as a URL (the offline edition has no CSP). */
  var TEL = /^tel:\+?[0-9]+$/;
  var DAY_NAMES = ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"];

  /* Swedish time, whatever the device's time zone (Europe/Stockholm is the IANA name of Sweden's time zone). */
  function swedishNow(date) {
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
     hours (a service open all day on Sundays is open all day on juldagen even when it falls on a
     Friday); a contact that is not open on holidays is closed all day. */
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
      if (c.verifiedNumber && c.verifiedHours && TEL.test(c.tel || "") && isOpen(c, now, config.holidays)) return c;
    }
    return null;
  }

  function callLink(contact) {
    var a = document.createElement(TEL.test(contact.tel) ? "a" : "span");
    if (a.tagName === "A") a.href = contact.tel;
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
    var now = swedishNow(date);
    var markers = card.querySelectorAll(".hb-call-now__contact[data-contact]");
    config.chain.forEach(function (contact) {
      /* Compared as text, never built into a selector: an id is data. */
      var marker = Array.prototype.find.call(markers, function (m) { return m.getAttribute("data-contact") === contact.id; });
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
      var other = recommend(config, swedishNow(new Date(date.getTime() + offset * 60000)));
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

  /* The card's chain is read only from the JSON element the card itself holds as a direct child
     (ARCHITECTURE.md, "The engine's DOM contract"): an element elsewhere on the page with the same
     id or class, from content, can never replace it. */
  function cardData(card) {
    var own = Array.prototype.filter.call(card.children, function (el) {
      return el.tagName === "SCRIPT" && el.type === "application/json" && el.classList.contains("hb-call-now__data");
    });
    if (own.length !== 1) return null;
    var config;
    try { config = JSON.parse(own[0].textContent); } catch (e) { return null; }  /* the card's HTML still lists all */
    return config && Array.isArray(config.chain) && Array.isArray(config.holidays) ? config : null;
  }

  function callNowCards() {
    return Array.prototype.filter.call(document.querySelectorAll("div.hb-call-now"), function (card) {
      return card.hbUpdate;
    });
  }

  function callNow(root) {
    var cards = [];
    root.querySelectorAll("div.hb-call-now").forEach(function (card) {
      var config = cardData(card);
      if (!config) return;
      card.hbUpdate = function () { updateCallNow(card, config, new Date()); };
      attempt(card.hbUpdate);  /* one card that fails leaves the others working */
      cards.push(card);
    });
    /* A tab left open must not keep yesterday's advice: recompute every minute and when shown again. */
    if (callNowTimer) clearInterval(callNowTimer);
    callNowTimer = null;
    if (!cards.length) return;
    callNowTimer = setInterval(function () {
      var live = callNowCards().filter(function (card) { return document.contains(card); });
      if (!live.length) { clearInterval(callNowTimer); callNowTimer = null; return; }
      live.forEach(function (card) { attempt(card.hbUpdate); });
    }, 60000);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) callNowCards().forEach(function (card) { attempt(card.hbUpdate); });
  });

  /* --- Min stadsdel ------------------------------------------------------------------- */
  var DISTRICT_KEY = "hb-stadsdel";

  function storage(kind) {
    try { return window[kind]; } catch (e) { return null; }  /* storage can be switched off */
  }

  /* The id the address's #fragment names ("" for none, or one that is not valid percent-encoding). */
  function hashId() {
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return ""; }
  }

  /* The reader's choices live in the address, so that a link carries them; nothing is sent anywhere. */
  function setParam(name, value) {
    var url = new URL(location.href);
    if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
    history.replaceState(history.state, "", url);
  }

  /* A select's value when it is one of its options, else "" (an address can hold anything). */
  function selectIfOption(select, value) {
    select.value = Array.prototype.some.call(select.options, function (o) { return o.value === value; }) ? value : "";
  }

  function chosenDistrict() {
    var fromUrl = new URLSearchParams(location.search).get("stadsdel");
    var session = storage("sessionStorage");
    var local = storage("localStorage");
    if (fromUrl !== null) {
      if (session) session.setItem(DISTRICT_KEY, fromUrl);
      return fromUrl;
    }
    return (session && session.getItem(DISTRICT_KEY)) || (local && local.getItem(DISTRICT_KEY)) || "";
  }

  /* Each district list shows only the chosen district, when it is one of the list's; otherwise all. */
  function applyDistrict(root, id) {
    root.querySelectorAll("[data-hb-districts]").forEach(function (list) {
      var marks = list.querySelectorAll("[data-hb-district]");
      var known = Array.prototype.some.call(marks, function (m) { return m.getAttribute("data-hb-district") === id; });
      marks.forEach(function (m) {
        var item = m.closest("li");
        if (item) item.hidden = known && m.getAttribute("data-hb-district") !== id;
      });
      var note = list.querySelector(".hb-districts__chosen");
      if (note) note.hidden = !known;
    });
  }

  function districts(root) {
    var id = chosenDistrict();
    applyDistrict(root, id);
    var select = root.querySelector("[data-hb-district-select]");
    var remember = root.querySelector("[data-hb-district-remember]");
    if (!select) return;
    var local = storage("localStorage");
    selectIfOption(select, id);
    if (remember) remember.checked = !!(local && local.getItem(DISTRICT_KEY));
    function save() {
      var value = select.value;
      var session = storage("sessionStorage");
      if (session) session.setItem(DISTRICT_KEY, value);
      if (local) {
        if (remember && remember.checked && value) local.setItem(DISTRICT_KEY, value);
        else local.removeItem(DISTRICT_KEY);
      }
      setParam("stadsdel", value);
      applyDistrict(document, value);
    }
    select.addEventListener("change", save);
    if (remember) remember.addEventListener("change", save);
  }

  /* --- Visa steg för: en roll --------------------------------------------------------- */
  /* A step is its h3.hb-step and everything after it up to the next heading of that level or higher. */
  function stepParts(heading) {
    var parts = [heading];
    for (var el = heading.nextElementSibling; el && !/^H[1-3]$/.test(el.tagName); el = el.nextElementSibling) {
      if (el.classList.contains("hb-alias")) break;
      parts.push(el);
    }
    return parts;
  }

  /* A step for everyone (the role named in data-hb-everyone, "alla") is in every view. */
  function forRole(roles, role, everyone) {
    return !role || roles.indexOf(role) >= 0 || (!!everyone && roles.indexOf(everyone) >= 0);
  }

  function roleView(root) {
    var view = root.querySelector("[data-hb-role-view]");
    if (!view) return;
    var select = view.querySelector("[data-hb-role-select]");
    var note = view.querySelector(".hb-role-view__note");
    var everyone = view.getAttribute("data-hb-everyone") || "";
    var steps = Array.prototype.map.call(root.querySelectorAll("h3.hb-step"), function (h) {
      return { heading: h, roles: (h.getAttribute("data-roles") || "").split(" "), parts: stepParts(h) };
    });
    var overview = root.querySelectorAll(".hb-overview li[data-roles]");
    var session = storage("sessionStorage");
    function apply() {
      var role = select.value;
      /* A published step link always works: the step it points to is shown whatever the view. */
      var target = document.getElementById(hashId());
      var hidden = 0;
      var shownAnyway = null;
      steps.forEach(function (step) {
        var mine = forRole(step.roles, role, everyone);
        var linked = !!target && step.parts.some(function (p) { return p === target || p.contains(target); });
        var hide = !mine && !linked;
        if (!mine && linked) shownAnyway = step.heading;
        if (hide) hidden += 1;
        step.parts.forEach(function (p) { p.hidden = hide; });
      });
      overview.forEach(function (li) {
        li.hidden = !forRole((li.getAttribute("data-roles") || "").split(" "), role, everyone);
      });
      var text = role ? hidden + " steg för andra roller är dolda. Välj Alla roller för att se dem." : "";
      if (shownAnyway) text += " Steget du länkades till hör till en annan roll och visas ändå.";
      note.textContent = text.trim();
    }
    var fromUrl = new URLSearchParams(location.search).get("roll");
    var saved = fromUrl !== null ? fromUrl : (session && session.getItem("hb-roll")) || "";
    selectIfOption(select, saved);
    select.addEventListener("change", function () {
      if (session) session.setItem("hb-roll", select.value);
      setParam("roll", select.value);
      apply();
    });
    view.hidden = false;
    view.hbApply = apply;
    apply();
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

  /* The page's address for a shared link: the reader's role view stays with the reader (the step is
     shown in any view anyway); the district stays, as it is the choice a link is meant to carry. */
  function pageUrl(hash) {
    var url = new URL(location.href);
    url.searchParams.delete("roll");
    url.hash = hash ? "#" + hash : "";
    return url.href;
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
    var id = hashId();
    if (!id) return;
    /* Found by id and tested by class: an address is never built into a selector (#%0A would throw). */
    var alias = document.getElementById(id);
    if (!alias || !alias.classList.contains("hb-alias") || !root.contains(alias)) return;
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

  /* Each feature on its own: one that fails (an odd address, a changed page) never stops the rest. */
  function attempt(feature, root) {
    try { feature(root); } catch (e) { if (window.console) console.error("handbook.js:", e); }
  }

  function each(features, root) {
    features.forEach(function (feature) { attempt(feature, root); });
  }

  function init() {
    each([flowchartFigure, callNow, districts, roleView, copyLinks, checklists, printDate, markInternalLinks,
          forwardAlias], document);
    // Tells a test (and nothing else) that the reader's choices have been applied to this page.
    document.documentElement.setAttribute("data-hb-ready", "");
  }

  /* Paper shows the whole routine and every district: a printout outlives the reader's choices. */
  var printRestore = null;
  window.addEventListener("beforeprint", function () {
    var view = document.querySelector("[data-hb-role-view]");
    var select = view && view.hbApply ? view.querySelector("[data-hb-role-select]") : null;
    var saved = { view: view, select: select, role: select ? select.value : "", district: "" };
    printRestore = saved;
    each([printDate, markInternalLinks,
          function () { saved.district = chosenDistrict(); },
          function () { if (select) { select.value = ""; view.hbApply(); } },
          function () { applyDistrict(document, ""); }], document);
  });
  window.addEventListener("afterprint", function () {
    var saved = printRestore;
    printRestore = null;
    if (!saved) return;
    each([function () { if (saved.select) { saved.select.value = saved.role; saved.view.hbApply(); } },
          function () { applyDistrict(document, saved.district); }], document);
  });
  function showLinkedStep() {
    var view = document.querySelector("[data-hb-role-view]");
    if (!view || !view.hbApply) return;
    view.hbApply();
    var target = document.getElementById(hashId());
    if (target) target.scrollIntoView();
  }

  window.addEventListener("hashchange", function () {
    each([forwardAlias, showLinkedStep], document);
  });
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
