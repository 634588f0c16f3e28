"""The call chain: whom the start page tells a reader to call, at every minute of the week.

A reader is only ever told to call a contact that is open now by hours a source states and that
has a number a source states (`model.has_verified_hours`, `model.has_verified_number`). The
chain is contacts.yaml's `call_now` list, each contact followed by its `outside_hours` fallbacks.
A public holiday follows Sunday's hours for contacts open on holidays and is closed for the rest.

Pure: the same walk drives the 24/7 rule, the release gate and the start page's data (the card's
script walks the same ordered list in the browser).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from handbook.core.model import Contact, Handbook, Hours, has_verified_hours, has_verified_number
from handbook.core.phones import PhoneInfo, parse_phone

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
HOLIDAY = 7  # the eighth "day": a public holiday, whatever weekday it falls on
DAY_SETS = {
    "mon-fri": (0, 1, 2, 3, 4),
    "mon-thu": (0, 1, 2, 3),
    "fri": (4,),
    "sat": (5,),
    "sun": (6,),
    "sat-sun": (5, 6),
    "mon-sun": (0, 1, 2, 3, 4, 5, 6),
}
MINUTES = 24 * 60
# The last day the card's data knows the public holidays of. A fixed date, not "ten years from the
# build", so that the release gate can see it coming: within HOLIDAYS_WARNING_DAYS of it the gate fails
# and a developer moves it ten years on (the holidays package computes any year from the rules).
HOLIDAYS_UNTIL = dt.date(2036, 12, 31)
HOLIDAYS_WARNING_DAYS = 90


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def primary_phone(contact: Contact) -> PhoneInfo | None:
    """The number a reader is told to call: the first valid one that is not 112 (112 has its own button)."""
    return _primary(contact)[1]


def _primary(contact: Contact):
    numbers = [(ph, info) for ph in contact.phones if (info := parse_phone(ph.number))]
    return next((n for n in numbers if n[1].tel != "tel:112"), numbers[0] if numbers else (None, None))


def hours_of(contact: Contact) -> tuple[bool, list[Hours]]:
    """(around the clock, hours) of the number the card dials: the number's own hours when it has them
    (a reception open weekdays 08-16 is never "open" at 03:00), else the contact's."""
    phone = _primary(contact)[0]
    if phone is not None and phone.hours:
        return False, list(phone.hours)
    return contact.always_open, list(contact.hours)


def is_open(contact: Contact, day: int, minute: int) -> bool:
    """Whether the stated hours of the contact's number cover a minute of a day (0 = Monday … 6 = Sunday,
    7 = holiday)."""
    always, lines = hours_of(contact)
    if always:
        return True
    if day == HOLIDAY:
        if not contact.open_on_holidays:
            return False
        day = 6
    return any(day in DAY_SETS[h.days] and minutes(h.opens) <= minute < minutes(h.closes) for h in lines)


def reachable(contact: Contact, day: int, minute: int) -> bool:
    """Safe to recommend: a verified number that can be dialled, and open by verified hours."""
    return reachable_by_card(contact) and is_open(contact, day, minute)


def reachable_by_card(contact: Contact) -> bool:
    """The card may recommend the contact at some minute: a verified number that can be dialled, verified hours."""
    return has_verified_number(contact) and has_verified_hours(contact) and primary_phone(contact) is not None


def holiday_dates(today: dt.date) -> list[str]:
    """Public and de facto holidays (midsommarafton, julafton, nyårsafton) from this year to HOLIDAYS_UNTIL."""
    import holidays  # here, not at the top: its calendars take 40 ms to import, and a warm build needs none

    years = range(today.year, max(today.year, HOLIDAYS_UNTIL.year) + 1)
    days_off = holidays.Sweden(years=years, include_sundays=False, categories=("public", "de_facto"))
    return sorted(d.isoformat() for d in days_off if d <= max(HOLIDAYS_UNTIL, dt.date(today.year, 12, 31)))


def holidays_run_out(today: dt.date) -> bool:
    """The card's holiday data ends within HOLIDAYS_WARNING_DAYS of today (or has ended)."""
    return today > HOLIDAYS_UNTIL - dt.timedelta(days=HOLIDAYS_WARNING_DAYS)


def card_data(handbook: Handbook, today: dt.date) -> dict:
    """The call chain as the card's script reads it: per contact the number it dials and that number's hours.

    "always" and "hours" are those of the dialled number (hours_of), so the script needs no rule of
    its own for a number's hours; "holidaysUntil" is the last day "holidays" covers.
    """
    entries = []
    for c in chain(handbook):
        number = primary_phone(c)
        always, lines = hours_of(c)
        entries.append(
            {
                "id": c.id,
                "name": c.name,
                "always": always,
                "holidays": c.open_on_holidays,
                "hours": [{"days": h.days, "opens": h.opens, "closes": h.closes} for h in lines],
                "verifiedHours": has_verified_hours(c),
                "verifiedNumber": has_verified_number(c),
                "tel": number.tel if number else "",
                "display": number.display if number else "",
            }
        )
    return {"holidays": holiday_dates(today), "holidaysUntil": HOLIDAYS_UNTIL.isoformat(), "chain": entries}


def chain(handbook: Handbook) -> list[Contact]:
    """call_now in order, then the outside_hours fallbacks of those contacts (and theirs); each contact once."""
    out: list[Contact] = [c for ref in handbook.call_now if (c := handbook.contact(ref.id))]
    out = list({c.id: c for c in out}.values())
    seen = {c.id for c in out}
    i = 0
    while i < len(out):
        fallback = out[i].outside_hours
        contact = handbook.contact(fallback.id) if fallback else None
        if contact is not None and contact.id not in seen:
            seen.add(contact.id)
            out.append(contact)
        i += 1
    return out


def recommend(contacts: list[Contact], day: int, minute: int) -> Contact | None:
    """The first contact of the chain that a reader can safely be told to call at that minute."""
    return next((c for c in contacts if reachable(c, day, minute)), None)


@dataclass(frozen=True)
class Gap:
    """Minutes [start, end) of a day when no contact of the chain is reachable."""

    day: int
    start: int
    end: int


def gaps(contacts: list[Contact]) -> list[Gap]:
    """Every interval of the week (and of a public holiday) that the chain leaves uncovered.

    Whether a minute is covered changes only where some contact's hours open or close, so each stretch
    between two such times is judged once, at its first minute (tests/test_callchain.py compares this with
    judging every minute)."""
    edges = {0, MINUTES}
    for contact in contacts:
        for line in hours_of(contact)[1]:
            edges.update(min(MINUTES, minutes(t)) for t in (line.opens, line.closes))
    stretches = sorted(edges)
    found = []
    for day in range(8):
        for start, end in zip(stretches, stretches[1:], strict=False):
            if recommend(contacts, day, start) is not None:
                continue
            if found and found[-1].day == day and found[-1].end == start:
                found[-1] = Gap(day, found[-1].start, end)
            else:
                found.append(Gap(day, start, end))
    return found


def clock(minute: int) -> str:
    return f"{minute // 60:02d}.{minute % 60:02d}"


def describe(found: list[Gap]) -> list[str]:
    """Gaps in Swedish, days with the same gaps grouped: "måndag–fredag 00.00–08.00 och 16.30–24.00"."""
    by_day: dict[int, tuple[tuple[int, int], ...]] = {}
    for gap in found:
        by_day[gap.day] = by_day.get(gap.day, ()) + ((gap.start, gap.end),)
    lines = []
    days = sorted(by_day)
    i = 0
    while i < len(days):
        j = i
        while (
            j + 1 < len(days)
            and days[j + 1] == days[j] + 1
            and days[j + 1] != HOLIDAY
            and by_day[days[j + 1]] == by_day[days[i]]
        ):
            j += 1
        first, last = days[i], days[j]
        name = (
            "helgdagar"
            if first == HOLIDAY
            else (WEEKDAYS[first] if first == last else f"{WEEKDAYS[first]}–{WEEKDAYS[last]}")
        )
        spans = " och ".join(f"{clock(a)}–{clock(b)}" for a, b in by_day[first])
        lines.append(f"{name} {spans}")
        i = j + 1
    return lines


def fallback_cycles(handbook: Handbook) -> Iterator[list[Contact]]:
    """Each cycle of outside_hours fallbacks once, starting at the contact that comes first in the file."""
    reported: set[str] = set()
    for contact in handbook.contacts:
        path: list[Contact] = []
        current: Contact | None = contact
        while current is not None and current.id not in {c.id for c in path}:
            path.append(current)
            current = handbook.contact(current.outside_hours.id) if current.outside_hours else None
        if current is not None and current.id == contact.id and contact.id not in reported:
            reported.update(c.id for c in path)
            yield path
