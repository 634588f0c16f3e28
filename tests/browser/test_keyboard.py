"""Keyboard only: skip link, search, navigation, a step's copy-link button and the checklists, each with a
visible focus."""

from __future__ import annotations

import pytest

ROUTINE = "rutiner/forsta-atgarder/"
ZOOM_200 = {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}

# What the focused element is and whether a sighted keyboard user can see it and where focus is.
FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  for (const a of document.getAnimations()) { try { a.finish(); } catch (err) {} }  // end slide-ins and fades
  const cs = getComputedStyle(e), r = e.getBoundingClientRect();
  let opacity = 1;
  for (let n = e; n instanceof Element; n = n.parentElement) opacity *= parseFloat(getComputedStyle(n).opacity);
  const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0 &&
    !/rgba\\(.*, 0\\)$/.test(cs.outlineColor);
  const inView = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
    r.left < innerWidth && r.top < innerHeight;
  return {
    desc: e.tagName.toLowerCase() +
      (e.className && e.className.baseVal === undefined ? "." + e.className.trim().split(/\\s+/).join(".") : "")
          + " " + JSON.stringify((e.getAttribute("aria-label") || e.textContent || e.getAttribute("type") || "")
          .trim().slice(0, 40)),
    indicator: outline || cs.boxShadow !== "none",
    visible: inView && opacity > 0.5 && cs.visibility === "visible",
    kind: e.matches("input.md-search__input, button.hb-search-open, #hb-search-input") ? "search"
        : e.matches(".md-sidebar--primary a.md-nav__link") ? "nav"
        : e.matches("button.hb-copy-link") ? "copy-link"
        : e.matches(".hb-checklist input[type=checkbox]") ? "checkbox"
        : e.matches("a.md-skip") ? "skip"
        : e.matches("details.hb-step-more > summary") ? "step-more" : "other",
    inDrawer: !!e.closest(".md-sidebar--primary"),
    inContent: !!e.closest(".md-content"),
    href: e.href || null, anchor: e.getAttribute("data-anchor"), checked: e.checked ?? null,
    open: e.parentElement instanceof HTMLDetailsElement ? e.parentElement.open : null,
  };
}"""


def settle(page) -> None:
    """Two animation frames: Material reacts to focus (e.g. opens the search) in the next frame."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def tab(page) -> dict:
    page.keyboard.press("Tab")
    settle(page)
    return page.evaluate(FOCUS)


def tab_opening(page) -> dict:
    """Tab, and open a step's closed "Checklista, lagrum, roller" disclosure with Enter when focus lands on it,
    as a keyboard user who wants the checklist does."""
    focus = tab(page)
    if focus and focus["kind"] == "step-more" and focus["open"] is False:
        page.keyboard.press("Enter")
        settle(page)
    return focus


def tab_until(page, kind: str, limit: int, href: str | None = None) -> dict:
    """Press Tab until an element of this kind (and href) has focus, at most limit times."""
    focus = {}
    for _ in range(limit):
        focus = tab_opening(page)
        if focus["kind"] == kind and (href is None or focus["href"] == href):
            break
    return focus


def open_routine(page, site_url: str) -> None:
    page.goto(site_url + ROUTINE)
    page.wait_for_selector("button.hb-copy-link")  # handbook.js has run


def test_tab_walk_reaches_every_control_with_a_visible_focus(page, site_url):
    """Tab from the top reaches the skip link, search, navigation, a copy-link button, a step's disclosure and
    (once it is opened with Enter) a checkbox, all visibly focused."""
    open_routine(page, site_url)
    seen: dict[str, dict] = {}
    unseen_focus = []
    for _ in range(600):
        focus = tab_opening(page)
        assert focus is not None, "Tab left the page before reaching every control"
        if not (focus["indicator"] and focus["visible"]):
            unseen_focus.append(focus["desc"])
        seen.setdefault(focus["kind"], focus)
        if {"skip", "search", "nav", "copy-link", "checkbox"} <= seen.keys():
            break
    assert unseen_focus == []
    assert sorted(seen) == ["checkbox", "copy-link", "nav", "other", "search", "skip", "step-more"]


def test_skip_link_is_first_and_jumps_to_the_content(page, site_url):
    """The first Tab focuses "Gå till innehållet"; Enter on it brings the page's content to the top."""
    open_routine(page, site_url)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # so the jump has somewhere to go
    focus = tab(page)
    assert (focus["kind"], focus["indicator"], focus["visible"]) == ("skip", True, True)
    assert page.evaluate("document.activeElement.textContent.trim()") == "Gå till innehållet"
    target = page.evaluate("document.activeElement.getAttribute('href')").split("#")[-1]
    # The target is the page's own heading, inside the content.
    assert page.evaluate(f"!!document.getElementById('{target}')?.closest('.md-content')")
    page.keyboard.press("Enter")
    # Where the next Tab starts is the browser's and Material's business (instant navigation handles the
    # jump asynchronously, and under load the starting point was seen lost once in 13 runs); what the skip
    # link promises is that the content is the target and is brought to the top of the screen.
    # Function predicates with an argument: a string predicate is run through eval, which the page's CSP forbids.
    page.wait_for_function("t => document.querySelector(':target')?.id === t", arg=target)
    page.wait_for_function("t => Math.abs(document.getElementById(t).getBoundingClientRect().top) < 200", arg=target)


def test_checklist_checkbox_toggles_with_space(page, site_url):
    """A checklist checkbox reached by Tab is ticked and unticked with Space."""
    open_routine(page, site_url)
    focus = tab_until(page, "checkbox", 600)
    assert (focus["kind"], focus["checked"], focus["indicator"], focus["visible"]) == ("checkbox", False, True, True)
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is True
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is False


def test_copy_link_button_copies_the_step_address(page, site_url):
    """Enter on a step's "Kopiera länk" puts the step's address on the clipboard and says so."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    open_routine(page, site_url)
    focus = tab_until(page, "copy-link", 600)
    assert (focus["kind"], focus["indicator"], focus["visible"]) == ("copy-link", True, True)
    page.keyboard.press("Enter")
    status = page.locator("button.hb-copy-link:focus + .hb-status")
    status.wait_for()
    assert status.text_content() == "Länken är kopierad."
    assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}{ROUTINE}#{focus['anchor']}"


def test_navigation_link_opens_its_page_with_enter(page, site_url):
    """Tab reaches the navigation's "Lagrum" link and Enter opens the legal catalogue."""
    open_routine(page, site_url)
    focus = tab_until(page, "nav", 100, href=site_url + "lagrum/")
    assert (focus["href"], focus["indicator"], focus["visible"]) == (site_url + "lagrum/", True, True)
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "lagrum/")
    assert page.locator("h1").first.text_content().startswith("Lagrum")


def test_search_by_keyboard(page, site_url):
    """ "/" opens the search, typing finds results, ArrowDown focuses the first and Enter opens it."""
    open_routine(page, site_url)
    page.keyboard.press("/")
    settle(page)
    focus = page.evaluate(FOCUS)
    assert (focus["kind"], focus["indicator"], focus["visible"]) == ("search", True, True)
    assert page.evaluate("document.getElementById('hb-search').open") is True
    page.keyboard.type("polisen")
    page.wait_for_selector("#hb-search .hb-search__results[data-query=polisen] .hb-search__page")
    page.keyboard.press("ArrowDown")
    focus = page.evaluate(FOCUS)
    assert page.evaluate("document.activeElement.matches('#hb-search .hb-search__page')") is True
    assert (focus["indicator"], focus["visible"]) == (True, True)
    page.keyboard.press("Enter")
    page.wait_for_url(focus["href"])
    assert page.url == focus["href"]


def test_enter_in_the_search_field_opens_the_best_result(page, site_url):
    """Enter in the search field opens the first (best-ranked) result."""
    open_routine(page, site_url)
    page.keyboard.press("/")
    page.keyboard.type("polisen")
    page.wait_for_selector("#hb-search .hb-search__results[data-query=polisen] .hb-search__page")
    best = page.evaluate("document.querySelector('#hb-search .hb-search__page').href")
    page.keyboard.press("Enter")
    page.wait_for_url(best)
    assert page.url == best


@pytest.mark.parametrize("size", [ZOOM_200, {"viewport": {"width": 360, "height": 740}}], ids=["zoom-200", "phone"])
def test_narrow_screen_menu_by_keyboard(new_page, site_url, size):
    """On a narrow screen the closed menu takes no focus; Tab reaches "Meny", Enter and Space open it, Escape
    closes it."""
    page = new_page(**size)
    open_routine(page, site_url)
    walk = [tab(page) for _ in range(30)]
    assert [f["desc"] for f in walk if not (f["indicator"] and f["visible"])] == []
    assert [f["desc"] for f in walk if f["inDrawer"]] == []
    page.goto(site_url + ROUTINE)
    for _ in range(5):
        if '"Meny"' in tab(page)["desc"]:
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Meny"
    for key in ("Enter", "Space"):
        page.keyboard.press(key)
        assert page.evaluate("document.getElementById('__drawer').checked") is True
        focus = tab_until(page, "nav", 10)
        assert (focus["kind"], focus["inDrawer"], focus["indicator"], focus["visible"]) == ("nav", True, True, True)
        page.keyboard.press("Escape")
        assert page.evaluate("document.getElementById('__drawer').checked") is False
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Meny"


def test_wide_table_scrolls_by_keyboard_on_a_phone(new_page, site_url):
    """On a phone a table wider than the screen is a named region that Tab reaches and the arrow keys scroll."""
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(site_url + "redigera/falt/")
    page.wait_for_selector(".md-typeset__scrollwrap[tabindex='0']")
    for _ in range(200):
        focus = tab(page)
        if page.evaluate("document.activeElement.matches('.md-typeset__scrollwrap')"):
            break
    assert (focus["indicator"], focus["visible"]) == (True, True)
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Tabell: ")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
