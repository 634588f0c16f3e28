"""The call chain and the publication gate: the start page never recommends a number no source states,
every minute is covered, and `handbook check --release` lists exactly what blocks publication."""

from __future__ import annotations

import datetime as dt
import re

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.check.release import SiteSettings, blockers, is_placeholder
from handbook.core import callchain
from handbook.core.model import has_verified_hours, has_verified_number
from handbook.load import load_handbook
from helpers import BASE, REPO, TESTS, base_root

GOLDEN = TESTS / "golden"

REAL_SITE = SiteSettings(
    "https://handbok.stockholm.se/", "https://git.stockholm.se/handbok/edit/main/", "handboken@stockholm.se"
)


def day_of(date: dt.date) -> int:
    days_off = holidays.Sweden(years=date.year, include_sundays=False, categories=("public", "de_facto"))
    return callchain.HOLIDAY if date in days_off else date.weekday()


def named_day(year: int, name: str) -> dt.date:
    return next(d for d, n in holidays.Sweden(years=year, categories=("public", "de_facto")).items() if n == name)


WEEK = [dt.date(2026, 11, 23) + dt.timedelta(days=i) for i in range(7)]  # Monday–Sunday, no holiday
SPECIAL = [named_day(2027, "Midsummer Eve"), named_day(2026, "Christmas Eve"), dt.date(2026, 11, 29)]


@pytest.mark.parametrize("date", WEEK + SPECIAL, ids=lambda d: d.isoformat())
def test_every_quarter_hour_reaches_a_verified_number(date):
    """With today's content: at every 15-minute slot the card's first recommendation is a contact with a
    verified number and verified hours, open at that time (today: Polisen 114 14 or the stödtelefon)."""
    hb = load_handbook(REPO).handbook
    chain = callchain.chain(hb)
    for minute in range(0, 24 * 60, 15):
        chosen = callchain.recommend(chain, day_of(date), minute)
        assert chosen is not None, (date, minute)
        assert has_verified_number(chosen) and has_verified_hours(chosen)
        assert callchain.is_open(chosen, day_of(date), minute)
        assert chosen.id in ("polisen", "nspm-stodtelefon"), (date, minute, chosen.id)


def test_holidays_of_the_walk_are_holidays():
    assert [day_of(d) for d in SPECIAL] == [callchain.HOLIDAY, callchain.HOLIDAY, 6]


def test_unverified_hours_are_never_recommended(tmp_path):
    """A contact open by hours that no source states is skipped, even with a verified number."""
    root = base_root(tmp_path)
    text = (
        (root / "contacts.yaml")
        .read_text()
        .replace("    hours_verified: true\n    outside_hours: jour", "    outside_hours: jour", 1)
    )
    (root / "contacts.yaml").write_text(text)
    hb = load_handbook(root).handbook
    assert callchain.recommend(callchain.chain(hb), 1, 10 * 60).id == "jour"


def test_chain_order_is_call_now_then_fallbacks(tmp_path):
    hb = load_handbook(BASE).handbook
    assert [c.id for c in callchain.chain(hb)] == ["enhet", "jour"]
    assert callchain.recommend(callchain.chain(hb), 1, 10 * 60).id == "enhet"
    assert callchain.recommend(callchain.chain(hb), 1, 17 * 60).id == "jour"
    assert callchain.recommend(callchain.chain(hb), callchain.HOLIDAY, 10 * 60).id == "jour"


def test_gaps_are_described_in_swedish(tmp_path):
    hb = load_handbook(BASE).handbook
    office = [c for c in callchain.chain(hb) if c.id == "enhet"]
    assert callchain.describe(callchain.gaps(office)) == [
        "måndag–fredag 00.00–08.00 och 16.30–24.00",
        "lördag–söndag 00.00–24.00",
        "helgdagar 00.00–24.00",
    ]


# --- The publication gate ------------------------------------------------------------------


def test_release_gate_on_todays_content_lists_exactly_the_blockers():
    """Today's content is a draft: the gate lists one line per blocker, derived here independently from
    the model (so a content edit that fixes a blocker keeps this test green and shrinks the list)."""
    from handbook.core.model import URGENT_HOURS

    hb = load_handbook(REPO).handbook
    found = blockers(hb, SiteSettings("https://handbok.stockholm.example/", "https://git.stockholm.example/edit/"))
    chain = callchain.chain(hb)
    expected = (
        {("site_url", ""), ("edit_uri", ""), ("extra.report_address", "")}
        | {("nummer", c.id) for c in chain if not has_verified_number(c)}
        # Every district a chain contact stands for needs its own number (the reader's "Min stadsdel").
        | {
            ("nummer", m.id)
            for c in chain
            for ref in c.members
            if (m := hb.contact(ref.id)) and not has_verified_number(m)
        }
        | {("tider", c.id) for c in chain if not has_verified_hours(c)}
        | {("utkast", r.id) for r in hb.routines if r.status.state != "approved"}
        | {
            ("lagrum", ref.id)
            for r in hb.routines
            for s in r.steps
            if s.deadline and s.deadline.within.total_hours <= URGENT_HOURS
            for ref in s.legal
            if hb.provision(ref.id) and not hb.provision(ref.id).verification.verified
        }
    )
    assert not callchain.gaps(chain)  # covered by Polisen: no gap line today

    def kind(message: str) -> tuple[str, str]:
        ids = re.findall(r"\(([a-z0-9]+(?:-[a-z0-9]+)*)\)", message)
        for word, name in (
            ("telefonnummer", "nummer"),
            ("öppettider", "tider"),
            ("utkast", "utkast"),
            ("lagtexten", "lagrum"),
        ):
            if word in message:
                return name, ids[0]
        return message.split(" ")[0], ""

    assert {kind(p.message) for p in found} == expected
    assert len(found) == len(expected)
    assert {"socialjouren", "stadsdelsforvaltningar", "sdf-skarholmen"} <= {i for k, i in expected if k == "nummer"}


def test_release_gate_passes_when_everything_is_verified():
    assert blockers(load_handbook(BASE).handbook, REAL_SITE) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (("routines/rutin-a.yaml", "state: approved", "state: draft"), "är ett utkast"),
        (
            (
                "legal.yaml",
                'verification: {verified: true, on: 2026-11-01, source: "https://lagen.nu/1990:52"}',
                "verification: {verified: false}",
            ),
            "används i ett brådskande steg",
        ),
        (
            ("contacts.yaml", "    hours_verified: true\n    outside_hours: jour", "    outside_hours: jour"),
            "inga kontrollerade öppettider",
        ),
        (("contacts.yaml", '      - number: "112"\n', ""), "inget kontrollerat telefonnummer"),
    ],
)
def test_each_blocker_alone(tmp_path, change, expected):
    rel, old, new = change
    root = base_root(tmp_path)
    text = (root / rel).read_text()
    assert old in text
    (root / rel).write_text(text.replace(old, new, 1))
    found = blockers(load_handbook(root).handbook, REAL_SITE)
    assert found and all(expected in p.message or "svarar" in p.message for p in found), found
    assert any(expected in p.message for p in found)


@pytest.mark.parametrize(
    "url, placeholder",
    [
        ("https://handbok.stockholm.example/", True),
        ("https://example.invalid/edit/", True),
        ("https://example.com/", True),
        ("", True),
        ("http://handbok.stockholm.se/", True),
        ("https://handbok.stockholm.se/", False),
        ("https://github.com/stockholm/handbok/edit/main/", False),
    ],
)
def test_placeholder_addresses(url, placeholder):
    assert is_placeholder(url) is placeholder


def run_cli(*args: str):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "handbook", "check", *args], capture_output=True, text=True)


def test_release_command_fails_on_todays_content():
    result = run_cli("--root", str(REPO), "--release", "--today", "2026-11-28")
    assert result.returncode == 1
    assert "1. Adresser i mkdocs.yml (3)" in result.stdout and "   - mkdocs.yml:7:11: site_url" in result.stdout
    assert "Traceback" not in result.stderr


def test_release_command_passes_when_everything_is_verified(tmp_path):
    root = base_root(
        tmp_path,
        {
            "mkdocs.yml": "site_url: https://handbok.stockholm.se/\n"
            "edit_uri: https://git.stockholm.se/handbok/edit/main/\n"
            "extra:\n  report_address: handboken@stockholm.se\n"
            "plugins:\n  - search:\n      enabled: !ENV [X, true]\n"
        },
    )
    result = run_cli("--root", str(root), "--release", "--today", "2026-11-28")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


# --- A number's own hours, the holidays the card knows ------------------------------------------

RECEPTION = (
    '      - number: "112"\n',
    '      - number: "08-508 00 000"\n        label: Reception\n'
    '        hours:\n          - {days: mon-fri, opens: "08:00", closes: "16:00"}\n',
)


def test_a_numbers_own_hours_are_respected(tmp_path):
    """jour is open around the clock, but the number the card dials answers weekdays 08-16 only:
    never "open" at 03:00, the 24/7 rule and the gate see the gap, and the card's data carries the number's hours."""
    root = base_root(tmp_path)
    text = (root / "contacts.yaml").read_text()
    (root / "contacts.yaml").write_text(text.replace(*RECEPTION, 1))
    hb = load_handbook(root).handbook
    chain = callchain.chain(hb)
    assert callchain.recommend(chain, 0, 3 * 60) is None
    assert callchain.recommend(chain, 0, 10 * 60).id == "enhet"
    jour = next(c for c in callchain.card_data(hb, dt.date(2026, 12, 3))["chain"] if c["id"] == "jour")
    assert jour["always"] is False and jour["display"] == "08-508 000 00"
    assert jour["hours"] == [{"days": "mon-fri", "opens": "08:00", "closes": "16:00"}]
    assert any("svarar" in p.message for p in blockers(hb, REAL_SITE))


def test_card_holidays_run_ten_years():
    data = callchain.card_data(load_handbook(BASE).handbook, dt.date(2026, 12, 3))
    assert data["holidays"][0] == "2026-01-01" and "2036-12-25" in data["holidays"]
    assert data["holidaysUntil"] == "2036-12-31" and max(data["holidays"]) <= "2036-12-31"


@pytest.mark.parametrize(
    "today, blocked",
    [
        (dt.date(2026, 12, 3), False),
        (dt.date(2036, 10, 2), False),
        (dt.date(2036, 10, 3), True),
        (dt.date(2037, 2, 1), True),
    ],
)
def test_gate_fails_within_90_days_of_the_holidays_end(today, blocked):
    found = blockers(load_handbook(BASE).handbook, REAL_SITE, today)
    assert any("helgdagar" in p.message for p in found) is blocked, found


# --- The gate does not pass what it must not (issue 19) -----------------------------------------

GATE_DAY = dt.date(2026, 12, 3)


def gate(tmp_path, rel: str, old: str, new: str, today: dt.date = GATE_DAY, site: SiteSettings = REAL_SITE):
    root = base_root(tmp_path)
    text = (root / rel).read_text()
    assert old in text, old
    (root / rel).write_text(text.replace(old, new, 1))
    return blockers(load_handbook(root).handbook, site, today)


@pytest.mark.parametrize(
    "source",
    [
        "start.stockholm",
        "tel:08-508 25 000",
        "mailto:info@stockholm.se",
        "https:",
        "https://",
        "https://example.com/",
        "https://kontakt.example.org/sida",
        "https://stockholm.example/",
        "https://127.0.0.1/",
        "https://localhost/",
    ],
)
def test_chain_contact_source_must_be_a_real_page(tmp_path, source):
    found = gate(tmp_path, "contacts.yaml", 'source: "https://start.stockholm/"', f'source: "{source}"')
    assert any("ingen riktig https-sida" in p.message and "(enhet)" in p.message for p in found), found


def test_chain_contact_checked_over_a_year_ago_blocks(tmp_path):
    found = gate(tmp_path, "contacts.yaml", "on: 2026-11-01", "on: 2025-11-01")
    assert any("för mer än 12 månader sedan" in p.message for p in found), found
    assert not gate(tmp_path / "b", "contacts.yaml", "on: 2026-11-01", "on: 2025-12-04")


@pytest.mark.parametrize(
    "verification, why",
    [
        ('{verified: true, on: 2027-01-01, source: "https://lagen.nu/1990:52"}', "i framtiden"),
        ('{verified: true, on: 2026-11-01, source: "https://lagen.example.com/1990:52"}', "ingen riktig https-sida"),
    ],
)
def test_cited_provision_verified_in_the_future_or_against_an_example_blocks(tmp_path, verification, why):
    found = gate(
        tmp_path,
        "legal.yaml",
        'verification: {verified: true, on: 2026-11-01, source: "https://lagen.nu/1990:52"}',
        f"verification: {verification}",
    )
    assert any(why in p.message and "Lagrummet" in p.message for p in found), found


@pytest.mark.parametrize(
    "url",
    [
        "https://handbok.example.com/",
        "https://a.b.example.net/",
        "https://10.0.0.1/",
        "https://[::1]/",
        "https://localhost.localdomain/",
        "https://example./",
        "https://handbok.test./",
        "https://stockholm/",
        "https://handbok.stockholm.se/\n",
        "https://handbok stockholm.se/",
    ],
)
def test_placeholder_site_addresses(url):
    assert is_placeholder(url)


@pytest.mark.parametrize(
    "address", ["fel@handbok.example.com", "fel@10.0.0.1", "fel@localhost.localdomain", "fel@example.", "fel@stockholm"]
)
def test_placeholder_report_address_blocks(address):
    site = SiteSettings(REAL_SITE.site_url, REAL_SITE.edit_uri, address)
    assert any("report_address" in p.message for p in blockers(load_handbook(BASE).handbook, site, GATE_DAY))


def test_local_call_now_of_one_contact_sourced_to_an_example_domain(tmp_path):
    """call_now of one contact (always open, so no gap) whose source is an example domain does not pass the gate."""
    root = base_root(tmp_path)
    text = (root / "contacts.yaml").read_text().replace("call_now: [enhet]", "call_now: [jour]")
    head, sep, jour = text.partition("  - id: jour")
    jour = jour.replace("https://start.stockholm/", "https://socialjour.example.com/")
    (root / "contacts.yaml").write_text(head + sep + jour)
    found = blockers(load_handbook(root).handbook, REAL_SITE, GATE_DAY)
    assert [p.message for p in found if "(jour)" in p.message and "ingen riktig https-sida" in p.message], found


def test_district_source_must_be_a_real_page(tmp_path):
    """A district a chain group stands for is held to the same source rule as the chain's own contacts."""
    hb = load_handbook(REPO).handbook
    districts = [d for g in callchain.chain(hb) for d in hb.districts(g)]
    assert districts  # the real content has a group of districts in the chain
    import dataclasses

    fake = dataclasses.replace(
        districts[0],
        verification=dataclasses.replace(districts[0].verification, verified=True, source="https://sdf.example.com/"),
    )
    hb = dataclasses.replace(hb, contacts=[fake if c.id == fake.id else c for c in hb.contacts])
    found = blockers(hb, REAL_SITE, GATE_DAY)
    assert any(f"({fake.id})" in p.message and "ingen riktig https-sida" in p.message for p in found)


def test_gate_messages_quote_settings_one_line_and_short():
    site = SiteSettings("https://x.example/" + "a" * 500 + "\nrad två", REAL_SITE.edit_uri, REAL_SITE.report_address)
    found = [p.message for p in blockers(load_handbook(BASE).handbook, site, GATE_DAY) if "site_url" in p.message]
    assert found and "\n" not in found[0] and len(found[0]) < 200


def _every_minute(contacts):
    """gaps() as the plain definition: judge every minute of every day."""
    found = []
    for day in range(8):
        start = None
        for minute in range(callchain.MINUTES + 1):
            covered = minute < callchain.MINUTES and callchain.recommend(contacts, day, minute) is not None
            if not covered and minute < callchain.MINUTES and start is None:
                start = minute
            elif (covered or minute == callchain.MINUTES) and start is not None:
                found.append(callchain.Gap(day, start, minute))
                start = None
    return found


_CLOCK = st.integers(0, 96).map(lambda q: f"{q * 15 // 60:02d}:{q * 15 % 60:02d}")


@st.composite
def _contact(draw, index: int = 0):
    from handbook.core.model import Contact, Hours, Phone, Verification

    def hours():
        lines = []
        for _ in range(draw(st.integers(0, 3))):
            opens, closes = sorted(draw(st.lists(_CLOCK, min_size=2, max_size=2, unique=True)))
            lines.append(Hours(days=draw(st.sampled_from(sorted(callchain.DAY_SETS))), opens=opens, closes=closes))
        return lines

    phone_hours = hours() if draw(st.booleans()) else []
    return Contact(
        id=f"k{draw(st.integers(0, 10**6))}",
        name="Kontakt",
        kind="authority",
        purpose="Test.",
        phones=[Phone(number="08-123 456 78", hours=phone_hours)] if draw(st.booleans()) else [],
        hours=hours(),
        always_open=draw(st.booleans()),
        hours_verified=draw(st.booleans()),
        open_on_holidays=draw(st.booleans()),
        verification=Verification(verified=draw(st.booleans()), source="https://exempel.se/"),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(_contact(), max_size=4))
def test_gaps_judged_by_stretches_equal_gaps_judged_minute_by_minute(contacts):
    assert callchain.gaps(contacts) == _every_minute(contacts)


def test_gaps_of_the_real_chain_equal_gaps_judged_minute_by_minute():
    chain = callchain.chain(load_handbook(REPO).handbook)
    assert callchain.gaps(chain) == _every_minute(chain)
