/* The handbook's search: Pagefind's JS API behind the header's search button (partials/hb-search.html), in a
   modal <dialog>. Results are grouped by page, with the matching steps (Pagefind's sub_results) under each.
   Everything is fetched from this site (the Pagefind bundle beside the pages); nothing is written as HTML. */
(() => {
  "use strict";
  const here = document.currentScript.src;
  const root = new URL("../../", here);
  const bundle = new URL("pagefind/pagefind.js", root).href;
  const MAX_PAGES = 10;
  const MAX_STEPS = 3;
  // Pagefind's default ranking punishes long pages hard (0.75); the legal catalogue is one long page that a
  // reference such as "11 kap. 1 a §" must still find first. Routines stay first through their weight.
  const RANKING = { pageLength: 0.2 };
  let pagefind = null;
  let asked = 0;
  let opener = null;

  function load() {
    pagefind = pagefind || import(bundle).then(async (pf) => {
      await pf.options({ baseUrl: root.pathname, ranking: RANKING });
      await pf.init();
      return pf;
    });
    pagefind.catch(() => { pagefind = null; });  // a failed load is tried again at the next search
    return pagefind;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Pagefind's excerpt is HTML with <mark> around the hits; keep only its text and the marks. */
  function excerpt(html) {
    const p = el("p", "hb-search__excerpt");
    const body = new DOMParser().parseFromString(html, "text/html").body;
    for (const node of body.childNodes) {
      p.append(node.nodeName === "MARK" ? el("mark", "", node.textContent) : node.textContent);
    }
    return p;
  }

  function result(page) {
    const li = el("li", "hb-search__result");
    const link = el("a", "hb-search__page", page.meta.title || page.url);
    link.href = page.url;
    li.append(link, excerpt(page.excerpt));
    const steps = (page.sub_results || []).filter((s) => s.url.includes("#") && s.title !== page.meta.title);
    if (steps.length) {
      const list = el("ul", "hb-search__steps");
      for (const step of steps.slice(0, MAX_STEPS)) {
        const item = el("li");
        const a = el("a", "hb-search__step", step.title);
        a.href = step.url;
        item.append(a, excerpt(step.excerpt));
        list.append(item);
      }
      li.append(list);
    }
    return li;
  }

  /* Pagefind answers only pages that have every word. An everyday question ("vet inte hur gammal hen är") has
     words no page has, so when few pages have them all, the pages with any of the words follow, ranked by the
     sum of their scores for each word. */
  async function ranked(pf, query) {
    const all = await pf.debouncedSearch(query, {}, 150);
    const words = query.split(/\s+/).filter(Boolean);
    if (all === null || all.results.length >= MAX_PAGES || words.length < 2) return all && all.results;
    const scores = new Map();
    for (const found of await Promise.all(words.map((word) => pf.search(word)))) {
      for (const r of found.results) {
        const seen = scores.get(r.id) || { result: r, score: 0 };
        seen.score += r.score;
        scores.set(r.id, seen);
      }
    }
    const first = new Set(all.results.map((r) => r.id));
    const rest = [...scores.values()].filter((s) => !first.has(s.result.id)).sort((a, b) => b.score - a.score);
    return [...all.results, ...rest.map((s) => s.result)];
  }

  function count(n) {
    return n === 0 ? "Inga sökresultat" : n === 1 ? "1 sökresultat" : `${n} sökresultat`;
  }

  async function search(dialog, query) {
    const id = ++asked;
    const status = dialog.querySelector(".hb-search__status");
    const list = dialog.querySelector(".hb-search__results");
    delete list.dataset.query;
    if (!query.trim()) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    let found;  // Pagefind's results, best first
    try {
      const pf = await load();
      found = await ranked(pf, query);
      if (found === null || id !== asked) return;
      const pages = await Promise.all(found.slice(0, MAX_PAGES).map((r) => r.data()));
      if (id !== asked) return;
      list.replaceChildren(...pages.map(result));
    } catch (error) {
      if (id === asked) status.textContent = "Sökningen kunde inte laddas. Försök igen om en stund.";
      return;
    }
    status.textContent = count(found.length);
    list.dataset.query = query;  // which query the list answers (tests and tools wait for it)
  }

  function open() {
    const dialog = document.getElementById("hb-search");
    if (!dialog || dialog.open) return;
    opener = document.activeElement;
    dialog.showModal();
    const input = dialog.querySelector(".hb-search__input");
    input.focus();
    input.select();
    load().catch(() => {});
  }

  function close(dialog) {
    if (dialog.open) dialog.close();
  }

  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // Delegated from the document: instant navigation may replace the header and its dialog.
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const dialog = target.closest("#hb-search");
    if (target.closest(".hb-search-open")) open();
    else if (target.closest(".hb-search__close") || target === dialog) close(dialog);
    else if (dialog && target.closest("a")) close(dialog);
  });
  // ArrowDown and ArrowUp move between the search field and the result links, as in the theme's search.
  function step(dialog, event) {
    const stops = [dialog.querySelector(".hb-search__input"), ...dialog.querySelectorAll(".hb-search__results a")];
    const at = stops.indexOf(document.activeElement);
    if (at < 0 || stops.length < 2) return;
    event.preventDefault();
    const next = event.key === "ArrowDown" ? Math.min(at + 1, stops.length - 1) : Math.max(at - 1, 0);
    stops[next].focus();
  }

  document.addEventListener("keydown", (event) => {
    const dialog = event.target instanceof Element ? event.target.closest("#hb-search") : null;
    if (dialog && event.key === "Escape") {
      event.preventDefault();  // one Escape closes, even from a search field that has text (it would clear it)
      close(dialog);
      return;
    }
    if (dialog && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      step(dialog, event);
      return;
    }
    if ((event.key === "/" || event.key === "s") && !event.ctrlKey && !event.metaKey && !event.altKey
        && !typing(event.target)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      open();
    }
  }, true);
  document.addEventListener("input", (event) => {
    if (event.target instanceof Element && event.target.matches(".hb-search__input")) {
      search(event.target.closest("dialog"), event.target.value);
    }
  });
  document.addEventListener("submit", (event) => {
    const dialog = event.target instanceof Element ? event.target.closest("#hb-search") : null;
    if (!dialog) return;
    event.preventDefault();  // the policy allows no form action; Enter opens the first result
    const first = dialog.querySelector(".hb-search__page");
    if (first) first.click();
  });
  document.addEventListener("close", (event) => {
    if (event.target instanceof Element && event.target.id === "hb-search" && opener && opener.isConnected) {
      opener.focus();
    }
  }, true);
})();
