"""A caseworker reading a routine: step anchors, "Kopiera länk", the flowchart, print view, checklists.

Everything is checked in Chromium on the real site with the network fenced to this machine.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest

from handbook.load import load_handbook
from helpers import REPO
from viewport import assert_in_view

ROUTINE = "forsta-atgarder"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def routine():
    found = load_handbook(REPO).handbook.routine(ROUTINE)
    assert found is not None
    return found


def routine_url(site_url: str, anchor: str = "") -> str:
    return f"{site_url}rutiner/{ROUTINE}/" + (f"#{anchor}" if anchor else "")


@pytest.mark.parametrize("width", [1280, 360])
def test_step_anchor_scrolls_its_heading_into_view(page, site_url, width):
    """Opening /rutiner/forsta-atgarder/#ring-polisen shows that step's heading below the header."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(routine_url(site_url, "ring-polisen"))
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert_in_view(page, "h3#ring-polisen")
    assert page.evaluate("location.hash") == "#ring-polisen"
    assert page.evaluate("scrollY") > 0


def test_every_step_has_a_copy_link_button(page, site_url):
    """Every step heading has a visible, real <button> "Kopiera länk" naming its step."""
    steps = routine().steps
    page.goto(routine_url(site_url))
    headings = page.locator("h3.hb-step")
    assert headings.evaluate_all("hs => hs.map(h => h.id)") == [s.id for s in steps]
    for number, step in enumerate(steps, start=1):
        button = page.locator(f"h3#{step.id} .hb-copy-link")
        assert button.count() == 1
        assert button.evaluate("b => b.tagName + ':' + b.type") == "BUTTON:button"
        assert button.is_visible()
        assert button.inner_text() == "Kopiera länk"
        assert button.get_attribute("aria-label") == f"Kopiera länk till steget {number}. {step.title}"
        box = button.bounding_box()
        assert box["width"] > 20 and box["height"] > 10


def test_copy_link_copies_the_step_url(browser, site_url, recorder):
    """Clicking "Kopiera länk" puts the step's own URL on the clipboard and says so."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.route("**/*", recorder.route)
    try:
        page = context.new_page()
        page.goto(routine_url(site_url))
        for step in routine().steps[:3] + routine().steps[-1:]:
            page.locator(f"h3#{step.id} .hb-copy-link").click()
            page.wait_for_function("() => document.querySelector('.hb-status') !== null")
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied == routine_url(site_url, step.id)
            status = page.locator(f"h3#{step.id} .hb-status")
            assert status.inner_text() == "Länken är kopierad."
        # The copied URL opens the step.
        page.goto(copied)
        assert_in_view(page, f"h3#{routine().steps[-1].id}")
        assert recorder.external == []
    finally:
        context.close()


def test_flowchart_renders_offline(page, site_url, recorder):
    """The flowchart is an inline SVG with one node per step plus the end, drawn with no outside request."""
    page.goto(routine_url(site_url, "flodesschema"))
    page.wait_for_load_state("load")
    chart = page.locator("svg.hb-flowchart")
    assert chart.count() == 1
    assert chart.evaluate("svg => svg.closest('.hb-flowchart-wrap') !== null")
    assert chart.locator(".hb-node").count() == len(routine().steps) + 1
    assert chart.locator(".hb-node--end").count() == 1
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 200
    for number, step in enumerate(routine().steps, start=1):
        node = chart.locator(f'a[*|href="#{step.id}"]')  # xlink:href (instant navigation cannot rewrite it)
        lines = node.locator("tspan").evaluate_all("spans => spans.map(s => s.textContent)")
        assert " ".join(lines) == f"{number}. {step.title}"
        assert node.bounding_box()["width"] > 100
    # Its accessible name and the text alternative: one numbered item per step, in order.
    assert chart.get_attribute("role") == "group"  # not img: its step boxes are links
    assert chart.get_attribute("aria-labelledby") == "hb-fc-title"
    alternative = page.locator("details.hb-flowchart-text > ol > li")
    assert alternative.count() == len(routine().steps)
    assert page.locator("details.hb-flowchart-text ol ol").count() == 0
    for i, step in enumerate(routine().steps):
        assert alternative.nth(i).text_content().startswith(f"{step.title} → ")
    assert recorder.external == []


def test_print_view_has_qr_code_date_and_warning(page, site_url, recorder):
    """In print media the routine shows its print block: QR code, print date, URL and the staleness warning."""
    page.clock.set_fixed_time(dt.datetime(2026, 11, 24, 9, 5, tzinfo=STOCKHOLM))
    page.goto(routine_url(site_url))
    meta = page.locator(".hb-print-meta")
    assert meta.is_hidden()
    page.emulate_media(media="print")
    assert meta.is_visible()
    qr = meta.locator("svg")
    assert qr.count() == 1
    assert qr.get_attribute("aria-label") == "QR-kod till sidan i handboken"
    box = qr.bounding_box()
    assert box["width"] > 50 and box["height"] > 50
    assert meta.locator(".hb-print-date").inner_text() == "2026-11-24 09:05"
    text = meta.inner_text()
    assert "Gäller vid utskrift den" in text and "kontrollera mot webben efter 30 dagar" in text
    assert f"https://handbok.stockholm.example/rutiner/{ROUTINE}/" in text
    assert f"Senast granskad {routine().reviewed.isoformat()}" in text
    # Screen-only controls are gone from the print.
    assert page.locator(".hb-copy-link").first.is_hidden()
    assert page.locator(".hb-checklist-copy").first.is_hidden()
    assert recorder.external == []


def test_links_within_the_handbook_are_marked(page, site_url):
    """Links to the handbook's own pages carry hb-internal; links to other sites and tel: links do not."""
    page.goto(routine_url(site_url))
    marks = page.locator(".md-typeset a[href]").evaluate_all(
        "links => links.map(a => new URL(a.getAttribute('href'), location.href))"
        "  .map((url, i) => [url.origin === location.origin, links[i].classList.contains('hb-internal'), url.href])"
    )
    assert sum(1 for own, _, _ in marks if own) > 30
    assert any(href.startswith("tel:") for _, _, href in marks)
    for own, marked, href in marks:
        assert marked is (own and not href.startswith("tel:")), href


PRINTED_URL = """a => getComputedStyle(a, '::after').content"""


def test_print_shows_addresses_only_for_other_sites(page, site_url):
    """In print, links within the handbook get no URL after them; links to other sites do."""
    page.goto(f"{site_url}lagrum/")
    page.emulate_media(media="print")
    internal = page.locator(".md-typeset a.hb-internal").first
    external = page.locator('.md-typeset a[href^="https://"]:not(.hb-internal):not(.md-content__button)').first
    assert internal.evaluate(PRINTED_URL) in ("none", "normal", '""')
    assert "https://" in external.evaluate(PRINTED_URL)


def test_checklist_copies_dated_plain_text(browser, site_url, site_dir, recorder):
    """Ticking items and "Kopiera checklistan som text" copies dated [x]/[ ] lines; no request carries it."""
    step = next(s for s in routine().steps if len(s.checklist) >= 2)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.route("**/*", recorder.route)
    requests: list = []
    context.on("request", lambda request: requests.append(request))
    try:
        page = context.new_page()
        page.clock.set_fixed_time(dt.datetime(2026, 11, 24, 14, 30, tzinfo=STOCKHOLM))
        page.goto(routine_url(site_url, step.id))
        page.wait_for_load_state("load")
        checklist = page.locator(f'.hb-checklist[data-anchor="{step.id}"]')
        assert checklist.is_hidden()  # collapsed on screen: one tap opens it
        page.locator(f'details:has(.hb-checklist[data-anchor="{step.id}"]) > summary').click()
        boxes = checklist.locator("input[type=checkbox]")
        assert boxes.count() == len(step.checklist)
        boxes.nth(0).check()
        checklist.locator("label").nth(len(step.checklist) - 1).click()  # the label ticks its box too
        button = checklist.get_by_role("button", name="Kopiera checklistan som text")
        assert button.is_visible()
        button.click()
        page.wait_for_function("() => document.querySelector('.hb-checklist .hb-status') !== null")
        copied = page.evaluate("navigator.clipboard.readText()")
        number = [s.id for s in routine().steps].index(step.id) + 1
        ticked = {0, len(step.checklist) - 1}
        expected = [
            routine().title,
            f"{number}. {step.title}",
            "Kopierad 2026-11-24 14:30",
            *[("[x] " if i in ticked else "[ ] ") + " ".join(item.split()) for i, item in enumerate(step.checklist)],
            f"Källa: {routine_url(site_url, step.id)}",
        ]
        assert copied.split("\n") == expected
        assert checklist.locator(".hb-status").inner_text() == "Checklistan är kopierad."
        page.wait_for_timeout(500)
    finally:
        context.close()
    # Nothing left the page: only GETs of files that exist in the built site.
    assert recorder.external == []
    assert requests
    for request in requests:
        assert request.method == "GET", request.url
        assert request.post_data is None
        parts = urlsplit(request.url)
        assert parts.hostname == "127.0.0.1", request.url
        assert not parts.query, request.url
        path = Path(site_dir, unquote(parts.path).lstrip("/"))
        assert (path / "index.html").is_file() if parts.path.endswith("/") else path.is_file(), request.url
    assert not any(re.search(r"Kopierad|\[x\]", request.url) for request in requests)
