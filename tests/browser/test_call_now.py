"""The start page's "Vem ringer jag nu?" card picks the right contact at a fixed Stockholm clock.

The expected contact comes from an independent Python reading of contacts.yaml and the call_now
list in mkdocs.yml (a public holiday counts as a Sunday; contacts not open on holidays are closed),
and each case also names the contact it must be, so a data change that breaks the card shows.
The site is built with today's date, so the clock uses dates in the current year.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import holidays
import pytest
import yaml

from handbook.load import load_handbook
from handbook.model import Contact
from handbook.phones import parse_phone
from helpers import REPO

STOCKHOLM = ZoneInfo("Europe/Stockholm")
YEAR = dt.date.today().year  # the real site is built with today's date and lists this year's holidays
DAYS = {"mon-fri": {0, 1, 2, 3, 4}, "mon-thu": {0, 1, 2, 3}, "fri": {4}, "sat": {5}, "sun": {6},
        "sat-sun": {5, 6}, "mon-sun": {0, 1, 2, 3, 4, 5, 6}}  # Python weekday numbers, Monday = 0


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor("!ENV", lambda loader, node: None)


def configured_ids() -> list[str]:
    """The plugin's call_now option in mkdocs.yml, in preference order."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "handbook" in plugin:
            return plugin["handbook"]["call_now"]
    raise AssertionError("mkdocs.yml has no handbook plugin")


def configured_contacts() -> list[Contact]:
    handbook = load_handbook(REPO).handbook
    contacts = [handbook.contact(cid) for cid in configured_ids()]
    assert all(contacts), configured_ids()
    return contacts


def days_off(year: int) -> set[dt.date]:
    return set(holidays.Sweden(years=year, include_sundays=False, categories=("public", "de_facto")))


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


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
    return next(c.id for c in configured_contacts() if is_open(c, when))


TUESDAY = dt.date.fromisocalendar(YEAR, 48, 2)  # late November: never a holiday (2026-11-24)
GOOD_FRIDAY = next(d for d, name in holidays.Sweden(years=YEAR).items() if name == "Good Friday")
CASES = [
    # (when, expected contact id, is it a holiday)
    pytest.param(dt.datetime.combine(TUESDAY, dt.time(12, 0)), "stadsdelsforvaltningar", False, id="weekday-noon"),
    pytest.param(dt.datetime.combine(TUESDAY, dt.time(8, 0)), "stadsdelsforvaltningar", False, id="weekday-0800"),
    pytest.param(dt.datetime.combine(TUESDAY, dt.time(7, 59)), "socialjouren", False, id="weekday-0759"),
    pytest.param(dt.datetime.combine(TUESDAY, dt.time(23, 0)), "socialjouren", False, id="weekday-night"),
    pytest.param(dt.datetime.combine(TUESDAY + dt.timedelta(days=4), dt.time(12, 0)), "socialjouren", False,
                 id="saturday-noon"),
    pytest.param(dt.datetime(YEAR, 12, 25, 12, 0), "socialjouren", True, id="juldagen-noon"),
    pytest.param(dt.datetime.combine(GOOD_FRIDAY, dt.time(12, 0)), "socialjouren", True, id="langfredagen-noon"),
    pytest.param(dt.datetime(YEAR, 12, 24, 12, 0), "socialjouren", True, id="julafton-noon"),
]


def open_card(page, site_url: str, when: dt.datetime):
    page.clock.set_fixed_time(when.replace(tzinfo=STOCKHOLM))
    page.goto(site_url)
    now = page.locator(".hb-call-now__now")
    now.wait_for(state="visible")
    return now


@pytest.mark.parametrize("when, expected, holiday", CASES)
def test_card_picks_the_first_open_contact(page, site_url, recorder, when, expected, holiday):
    """At a fixed Stockholm time the card names the first configured contact that is open."""
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
def test_every_listed_contact_is_marked_open_or_closed(page, site_url, when, expected, holiday):
    """Each contact in the card carries is-open or is-closed exactly as the opening hours say."""
    open_card(page, site_url, when)
    for contact in configured_contacts():
        item = page.locator(f'.hb-call-now li:has([data-contact="{contact.id}"])')
        classes = item.get_attribute("class").split()
        want = "is-open" if is_open(contact, when) else "is-closed"
        assert want in classes and ({"is-open", "is-closed"} - {want}).isdisjoint(classes), (contact.id, classes)


def test_office_hours_contacts_are_closed_on_a_holiday(page, site_url):
    """On juldagen at noon neither office-hours contact is chosen or marked open."""
    open_card(page, site_url, dt.datetime(YEAR, 12, 25, 12, 0))
    for cid in ("stadsdelsforvaltningar", "nspm-stodtelefon"):
        item = page.locator(f'.hb-call-now li:has([data-contact="{cid}"])')
        assert "is-closed" in item.get_attribute("class").split()
    assert page.locator(".hb-call-now__now").get_attribute("data-contact") not in ("stadsdelsforvaltningar",
                                                                                    "nspm-stodtelefon")


def test_chosen_contact_gives_a_number_or_its_contact_card(page, site_url):
    """The "Just nu" line links to the contact's tel: number, or to its contact card when the data has none."""
    now = open_card(page, site_url, dt.datetime.combine(TUESDAY, dt.time(12, 0)))
    chosen = next(c for c in configured_contacts() if c.id == now.get_attribute("data-contact"))
    hrefs = now.locator("a").evaluate_all("links => links.map(a => a.href)")
    if chosen.phones:
        assert hrefs == [parse_phone(chosen.phones[0].number).tel]
    else:
        assert hrefs == [f"{site_url}kontakter/#{chosen.id}"]
        assert now.locator("a").inner_text() == "Se kontaktuppgifterna"


def test_without_javascript_every_number_is_listed(browser, site_url, recorder):
    """With JavaScript off the card lists every configured contact with all its phone numbers."""
    context = browser.new_context(java_script_enabled=False, locale="sv-SE", timezone_id="Europe/Stockholm")
    context.route("**/*", recorder.route)
    try:
        page = context.new_page()
        page.goto(site_url)
        card = page.locator(".hb-call-now")
        assert card.is_visible()
        assert page.locator(".hb-call-now__now").is_hidden()
        markers = card.locator("[data-contact]").evaluate_all("els => els.map(e => e.dataset.contact)")
        assert markers == configured_ids()
        for contact in configured_contacts():
            item = card.locator(f'li:has([data-contact="{contact.id}"])')
            assert item.is_visible()
            assert contact.name in item.inner_text()
            tels = item.locator('a[href^="tel:"]').evaluate_all("links => links.map(a => a.getAttribute('href'))")
            assert tels == [parse_phone(ph.number).tel for ph in contact.phones]
        assert card.locator('a[href="tel:112"]').count() >= 1
        assert recorder.external == []
    finally:
        context.close()
