"""A routine on a 360×740 phone: overview first, steps within two screens, tap targets, copy-link names."""

from __future__ import annotations

import pytest

from handbook.load import load_handbook
from helpers import REPO

ROUTINES = sorted(r.id for r in load_handbook(REPO).handbook.routines)
PHONE = {"viewport": {"width": 360, "height": 740}}


@pytest.fixture(name="phone")
def _fixture_phone(new_page):
    return new_page(**PHONE)


@pytest.mark.parametrize("rid", ROUTINES)
def test_first_step_within_two_screens_and_overview_links_every_step(phone, site_url, rid):
    """The first step's heading starts within two screens; the overview lists every step with its anchor."""
    phone.goto(f"{site_url}rutiner/{rid}/")
    first = phone.locator("h3.hb-step").first
    assert first.bounding_box()["y"] < 2 * 740, first.bounding_box()
    steps = phone.locator("h3.hb-step").evaluate_all("hs => hs.map(h => h.id)")
    # Material's instant navigation makes every href absolute: compare the fragments.
    overview = phone.locator("ol.hb-overview a").evaluate_all("as => as.map(a => new URL(a.href).hash)")
    assert overview == ["#" + s for s in steps]


@pytest.mark.parametrize("rid", ROUTINES)
def test_number_links_and_controls_are_44px(phone, site_url, rid):
    """Every tel: link, copy-link button and checklist item on a routine is at least 44 px high."""
    phone.goto(f"{site_url}rutiner/{rid}/")
    phone.locator(".hb-copy-link").first.wait_for()
    sizes = phone.locator('article a[href^="tel:"], .hb-copy-link, .hb-checklist label').evaluate_all(
        "els => els.filter(e => e.offsetParent).map(e => [e.className || e.getAttribute('href'),"
        " e.getBoundingClientRect().height])"
    )
    assert sizes
    assert [s for s in sizes if s[1] < 44] == []


def test_copy_link_name_is_the_whole_heading(phone, site_url):
    """The button's accessible name carries the heading's full text, abbreviations (LVU) included."""
    phone.goto(f"{site_url}rutiner/skydd-och-placering/")
    phone.locator(".hb-copy-link").first.wait_for()
    pairs = phone.locator("h3.hb-step").evaluate_all("""hs => hs.map(h => {
        const c = h.cloneNode(true); c.querySelectorAll('.headerlink, .hb-copy-link').forEach(e => e.remove());
        return [c.textContent.replace(/\\s+/g, ' ').trim(),
          h.querySelector('.hb-copy-link').getAttribute('aria-label')];
    })""")
    assert any("LVU" in heading for heading, _ in pairs)
    for heading, label in pairs:
        assert label == "Kopiera länk till steget " + heading


def test_each_contact_card_once(phone, site_url):
    """A routine shows each contact's card once (under "Kontakter i rutinen"); steps link to it. (A group
    contact's card also lists its districts, which link to the contacts page: not cards of this page.)"""
    phone.goto(f"{site_url}rutiner/forsta-atgarder/")
    names = phone.locator("#kontakter ~ details .hb-contact > p strong a").evaluate_all(
        "as => as.map(a => a.textContent)"
    )
    assert names and len(names) == len(set(names))
    cards = phone.locator(".hb-contact").count()
    assert cards == len(names)
    for anchor in phone.locator(".hb-step-contacts > p a:not([href^='tel:'])").evaluate_all(
        "as => as.map(a => new URL(a.href).hash.slice(1))"
    ):
        assert phone.locator(f'[id="{anchor}"]').count() == 1, anchor


FLOWCHART_PROBLEMS = """() => {
  const svg = document.querySelector('svg.hb-flowchart'), vb = svg.viewBox.baseVal, out = [];
  const hit = (a, b) => a.x < b.x + b.width && a.x + a.width > b.x && a.y < b.y + b.height && a.y + a.height > b.y;
  const nodes = [...svg.querySelectorAll('.hb-node')].map(r => r.getBBox());
  const labels = [...svg.querySelectorAll('.hb-edge-label')].map(t => [t.textContent, t.getBBox()]);
  labels.forEach(([text, b], i) => {
    if (b.x < vb.x || b.y < vb.y || b.x + b.width > vb.x + vb.width || b.y + b.height > vb.y + vb.height)
      out.push('clipped: ' + text);
    if (nodes.some(n => hit(b, n))) out.push('over a box: ' + text);
    labels.slice(i + 1).forEach(([other, c]) => { if (hit(b, c)) out.push('over a label: ' + text + ' / ' + other); });
  });
  return out;
}"""


@pytest.mark.parametrize("rid", ROUTINES)
def test_flowchart_labels_never_overlap_or_clip(page, site_url, rid):
    """Every edge label of the flowchart lies inside the drawing, off every box and off every other label."""
    page.goto(f"{site_url}rutiner/{rid}/")
    assert page.locator("details.hb-flowchart-figure").evaluate("d => d.open")  # open on a wide screen
    assert page.evaluate(FLOWCHART_PROBLEMS) == []


def pdf_pages(page, url: str) -> int:
    """Pages of the A4 PDF Chromium prints for a URL (print stylesheet, the handbook's @page margins)."""
    import re

    page.goto(url)
    page.wait_for_load_state("load")
    return len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4", prefer_css_page_size=True)))


@pytest.mark.parametrize("rid", ROUTINES)
def test_routine_prints_on_few_pages_and_its_short_version_on_one(page, site_url, rid):
    """A routine prints on at most 5 A4 pages (it was 7–12 before the print layout) and its short version
    (steps, deadlines, numbers, checklists) on exactly one."""
    assert pdf_pages(page, f"{site_url}rutiner/{rid}/") <= 5
    assert pdf_pages(page, f"{site_url}kortversion/{rid}/") == 1
