"""The start page's "Vem ringer jag nu?" card at fixed Stockholm clocks.

The expected recommendation comes from an independent Python reading of contacts.yaml (the
call_now list, then each contact's outside_hours fallback; only a verified number open by verified
hours may be recommended; a public holiday counts as a Sunday), and each case also names the
contact it must be, so a data change that breaks the card shows. The site is built with today's
date, so the clock uses dates in the current year.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import holidays
import pytest

from handbook.core.model import Contact
from handbook.core.phones import parse_phone
from handbook.load import load_handbook
from helpers import REPO

STOCKHOLM = ZoneInfo("Europe/Stockholm")
YEAR = dt.date.today().year  # the real site is built with today's date and lists this year's holidays
DAYS = {
    "mon-fri": {0, 1, 2, 3, 4},
    "mon-thu": {0, 1, 2, 3},
    "fri": {4},
    "sat": {5},
    "sun": {6},
    "sat-sun": {5, 6},
    "mon-sun": {0, 1, 2, 3, 4, 5, 6},
}  # Python weekday numbers, Monday = 0


def configured_contacts() -> list[Contact]:
    """call_now in order, then each one's outside_hours fallbacks (read here without handbook.core.callchain)."""
    handbook = load_handbook(REPO).handbook
    out = [handbook.contact(ref.id) for ref in handbook.call_now]
    for contact in out:
        fallback = contact.outside_hours and handbook.contact(contact.outside_hours.id)
        if fallback and fallback not in out:
            out.append(fallback)
    assert all(out)
    return out


def days_off(year: int) -> set[dt.date]:
    return set(holidays.Sweden(years=year, include_sundays=False, categories=("public", "de_facto")))


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def verified_hours(contact: Contact) -> bool:
    return contact.verification.verified and contact.hours_verified and (contact.always_open or bool(contact.hours))


def is_open(contact: Contact, when: dt.datetime) -> bool:
    if contact.always_open:
        return True
    holiday = when.date() in days_off(when.year)
    if holiday and not contact.open_on_holidays:
        return False
    weekday = 6 if holiday else when.weekday()
    now = when.hour * 60 + when.minute
    return any(weekday in DAYS[h.days] and minutes(h.opens) <= now < minutes(h.closes) for h in contact.hours)


def first_open(when: dt.datetime) -> str:
    return next(
        c.id
        for c in configured_contacts()
        if c.verification.verified and c.phones and verified_hours(c) and is_open(c, when)
    )


TUESDAY = dt.date.fromisocalendar(YEAR, 48, 2)  # late November: never a holiday (2026-11-24)
GOOD_FRIDAY = next(d for d, name in holidays.Sweden(years=YEAR).items() if name == "Good Friday")
CASES = [
    # (when, expected contact id, is it a holiday). Today no office-hours contact has a verified number and
    # verified hours, so every clock ends at Polisen; when a city fills in its numbers these cases change.
    pytest.param(dt.datetime.combine(TUESDAY, dt.time(12, 0)), "polisen", False, id="weekday-noon"),
    pytest.param(dt.datetime.combine(TUESDAY, dt.time(7, 59)), "polisen", False, id="weekday-0759"),
    pytest.param(dt.datetime.combine(TUESDAY, dt.time(23, 0)), "polisen", False, id="weekday-night"),
    pytest.param(
        dt.datetime.combine(TUESDAY + dt.timedelta(days=4), dt.time(12, 0)), "polisen", False, id="saturday-noon"
    ),
    pytest.param(dt.datetime(YEAR, 12, 25, 12, 0), "polisen", True, id="juldagen-noon"),
    pytest.param(dt.datetime.combine(GOOD_FRIDAY, dt.time(12, 0)), "polisen", True, id="langfredagen-noon"),
    pytest.param(dt.datetime(YEAR, 12, 24, 12, 0), "polisen", True, id="julafton-noon"),
]


def open_card(page, site_url: str, when: dt.datetime):
    page.clock.set_fixed_time(when.replace(tzinfo=STOCKHOLM))
    page.goto(site_url)
    now = page.locator(".hb-call-now__now")
    now.wait_for(state="visible")
    return now


@pytest.mark.parametrize("when, expected, holiday", CASES)
def test_card_recommends_the_first_verified_open_contact(page, site_url, recorder, when, expected, holiday):
    """At a fixed Stockholm time the card names the first contact of the chain that is open by verified hours
    and has a verified number."""
    assert (when.date() in days_off(YEAR)) is holiday
    assert first_open(when) == expected, "the content changed: the independent reading now picks another contact"
    now = open_card(page, site_url, when)
    assert now.get_attribute("data-contact") == expected
    name = next(c.name for c in configured_contacts() if c.id == expected)
    text = now.inner_text()
    assert f"ring {name}" in text
    assert re.search(rf"{when.hour:02d}\.{when.minute:02d}", text), text
    assert ("(helgdag)" in text) is holiday
    assert recorder.external == []


@pytest.mark.parametrize("when, expected, holiday", CASES)
def test_badges_follow_verified_hours_only(page, site_url, when, expected, holiday):
    """Verified hours give is-open or is-closed; hours no source states give the neutral is-unknown and
    never the badge "Öppet nu"."""
    open_card(page, site_url, when)
    for contact in configured_contacts():
        item = page.locator(f'.hb-call-now li:has([data-contact="{contact.id}"])')
        classes = set(item.get_attribute("class").split())
        want = ("is-open" if is_open(contact, when) else "is-closed") if verified_hours(contact) else "is-unknown"
        assert classes & {"is-open", "is-closed", "is-unknown"} == {want}, (contact.id, classes)
        badge = item.evaluate("el => getComputedStyle(el, '::before').content")
        assert ("Öppet nu" in badge) is (want == "is-open"), (contact.id, badge)


def test_recommendation_is_a_tappable_verified_number(page, site_url):
    """The "Just nu" line links the chosen contact's number: Polisen's non-emergency number (112 has its
    own button)."""
    now = open_card(page, site_url, dt.datetime.combine(TUESDAY, dt.time(12, 0)))
    chosen = next(c for c in configured_contacts() if c.id == now.get_attribute("data-contact"))
    assert chosen.verification.verified
    hrefs = now.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["tel:11414"]


def test_card_recomputes_after_a_clock_jump(page, site_url):
    """A tab left open keeps its advice current: two hours later the line shows the new time."""
    page.clock.install(time=dt.datetime.combine(TUESDAY, dt.time(15, 0)).replace(tzinfo=STOCKHOLM))
    page.goto(site_url)
    now = page.locator(".hb-call-now__now")
    now.wait_for(state="visible")
    assert "15.00" in now.inner_text()
    page.clock.run_for(2 * 60 * 60 * 1000)
    page.wait_for_function("document.querySelector('.hb-call-now__now').textContent.includes('17.00')")
    assert "17.00" in now.inner_text()


def test_card_is_first_and_112_is_a_full_width_button_on_a_phone(new_page, site_url):
    """At 360×740 the card follows the H1 and its advice is on the first screen; 112 is a wide, tall button."""
    page = new_page(viewport={"width": 360, "height": 740})
    page.clock.set_fixed_time(dt.datetime.combine(TUESDAY, dt.time(12, 0)).replace(tzinfo=STOCKHOLM))
    page.goto(site_url)
    following = page.evaluate("document.querySelector('article h1').nextElementSibling.className")
    assert "hb-call-now" in following
    button = page.locator("a.hb-call-112")
    box = button.bounding_box()
    assert button.get_attribute("href") == "tel:112"
    assert box["height"] >= 44 and box["width"] >= 0.8 * page.locator(".hb-call-now").bounding_box()["width"]
    line = page.locator(".hb-call-now__now")
    line.wait_for(state="visible")
    assert line.bounding_box()["y"] + line.bounding_box()["height"] <= 740


def test_every_phone_link_is_44px_and_never_wraps(new_page, site_url):
    """Every tel: link on the start page and the contacts page is at least 44 px high and on one line."""
    page = new_page(viewport={"width": 360, "height": 740})
    for path in ("", "kontakter/"):
        page.goto(site_url + path)
        sizes = page.locator('article a[href^="tel:"]').evaluate_all(
            "links => links.map(a => [a.getAttribute('href'), a.getBoundingClientRect().height,"
            " a.getClientRects().length])"
        )
        assert sizes
        for href, height, rects in sizes:
            assert height >= 44 and rects == 1, (path, href, height, rects)


def test_without_javascript_every_number_is_listed(browser, site_url, recorder):
    """With JavaScript off the card lists every contact of the chain with its numbers, or says that the
    number is missing and gives 114 14."""
    context = browser.new_context(java_script_enabled=False, locale="sv-SE", timezone_id="Europe/Stockholm")
    context.route("**/*", recorder.route)
    try:
        page = context.new_page()
        page.goto(site_url)
        card = page.locator(".hb-call-now")
        assert card.is_visible()
        assert page.locator(".hb-call-now__now").is_hidden()
        markers = card.locator("[data-contact]").evaluate_all("els => els.map(e => e.dataset.contact)")
        assert markers == [c.id for c in configured_contacts()]
        for contact in configured_contacts():
            item = card.locator(f'li:has([data-contact="{contact.id}"])')
            assert item.is_visible()
            assert contact.name in item.inner_text()
            tels = item.locator('a[href^="tel:"]').evaluate_all("links => links.map(a => a.getAttribute('href'))")
            if contact.phones:
                assert tels == [parse_phone(ph.number).tel for ph in contact.phones]
            else:
                assert "tel:11414" not in tels and "Numret saknas i handboken" in item.inner_text()  # never the police
        assert card.locator('a[href="tel:112"]').count() >= 1
        assert recorder.external == []
    finally:
        context.close()


def with_verified_hours(page, site_url: str, contact_id: str, hours: list[dict]) -> None:
    """Serve the start page with one contact's hours set and marked verified in the card's data (as when a city
    has checked them), so the card's own logic can be tried at a change of hours. The hours are the test's
    own: the content states no clock hours it has no source for."""
    import json

    def handle(route):
        response = route.fetch()
        html = response.text()
        start = re.search(r'<script[^>]*class="hb-call-now__data"[^>]*>', html).end()
        end = html.index("</script>", start)
        data = json.loads(html[start:end])
        for contact in data["chain"]:
            if contact["id"] == contact_id:
                contact.update(verifiedHours=True, always=False, hours=hours)
        route.fulfill(response=response, body=html[:start] + json.dumps(data) + html[end:])

    page.route(site_url, handle)


def test_near_a_change_of_hours_both_contacts_are_shown(page, site_url):
    """At 15.45 on a weekday the stödtelefon (verified here, closes 16.00) is recommended and Polisen is
    shown too; at noon only the stödtelefon."""
    with_verified_hours(page, site_url, "nspm-stodtelefon", [{"days": "mon-fri", "opens": "08:00", "closes": "16:00"}])
    now = open_card(page, site_url, dt.datetime.combine(TUESDAY, dt.time(15, 45)))
    assert now.get_attribute("data-contact") == "nspm-stodtelefon"
    also = page.locator(".hb-call-now__also")
    assert also.is_visible() and also.get_attribute("data-contacts") == "polisen"
    assert also.locator('a[href="tel:11414"]').count() == 1
    now = open_card(page, site_url, dt.datetime.combine(TUESDAY, dt.time(12, 0)))
    assert now.get_attribute("data-contact") == "nspm-stodtelefon"
    assert page.locator(".hb-call-now__also").is_hidden()
