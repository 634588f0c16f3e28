"""Contacts: phone numbers, e-mail, opening hours, fallbacks, verification age and use."""

from __future__ import annotations

import re
from collections.abc import Iterable

from handbook.check.context import Context
from handbook.core.dates import months_between
from handbook.core.kinds import VALUE_KINDS
from handbook.core.model import Hours, Kind, at
from handbook.core.phones import parse_phone
from handbook.core.problems import Problem, problem

EMAIL = re.compile(VALUE_KINDS[Kind.EMAIL].pattern)  # the same pattern the JSON Schema gives editors
PHONE_HINT = (
    'phones: number "{}" är inte ett telefonnummer som kan ringas precis som det står. Skriv ett enda '
    "nummer med bara siffror, mellanslag och bindestreck (+ först för ett utländskt nummer), till exempel "
    "010-123 45 67, 116 111 eller +46 10 … En anknytning eller ett andra nummer skrivs i label eller som "
    "ett eget nummer under phones."
)
# How old a verified contact detail may be before it is a warning.
CONTACT_REVIEW_MONTHS = 12


def shorten(value: str, limit: int = 40) -> str:
    """A value as quoted in a message: one line, cut short (a message never echoes more than the offending value)."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _hours(lines: list[Hours]) -> Iterable[Problem]:
    for line in lines:
        if _minutes(line.closes) <= _minutes(line.opens):
            yield problem(
                "contact-hours-invalid",
                at(line, "closes"),
                f"Stängningstiden {line.closes} är inte efter "
                f"öppningstiden {line.opens}. Dela upp tider som går över midnatt på två rader.",
            )


def check(ctx: Context) -> Iterable[Problem]:
    hb = ctx.handbook
    used, urgent_users = _uses(ctx)
    for contact in hb.contacts:
        yield from _details(contact)
        yield from _fallback(contact, urgent_users)
        yield from _verification(contact, ctx)
        # When a routine failed to load its references are unknown; do not call its contacts unused.
        if contact.id not in used and contact.status == "active" and not ctx.skipped.any("routine"):
            yield problem("contact-unused", contact.pos, f"Ingen rutin hänvisar till kontakten {contact.id}.")


def _uses(ctx: Context) -> tuple[set[str], dict[str, list]]:
    """The contacts something refers to, and for each contact the urgent steps that name it."""
    urgent_users: dict[str, list] = {}
    used: set[str] = set()
    for routine in ctx.handbook.routines:
        used.add(routine.owner.id)
        for step in routine.steps:
            for ref in step.contacts:
                used.add(ref.id)
                if step.urgent:
                    urgent_users.setdefault(ref.id, []).append((routine, step, ref))
    for contact in ctx.handbook.contacts:
        used.update([contact.outside_hours.id] if contact.outside_hours else [])
        # A district is used wherever its group is (the reader picks one of the group's members).
        if contact.id in used:
            used.update(ref.id for ref in contact.members)
    return used, urgent_users


def _details(contact) -> Iterable[Problem]:
    """Numbers, e-mail and hours as written."""
    for phone in contact.phones:
        if parse_phone(phone.number) is None:
            yield problem("contact-phone-invalid", at(phone, "number"), PHONE_HINT.format(shorten(phone.number)))
        yield from _hours(phone.hours)
    if contact.email and not EMAIL.match(contact.email):
        yield problem(
            "contact-email-invalid",
            at(contact, "email"),
            f'"{contact.email}" är inte en giltig e-postadress. Skriv den som namn@domän.se.',
        )
    yield from _hours(contact.hours)
    if contact.always_open and contact.hours:
        yield problem(
            "contact-hours-invalid",
            at(contact, "hours"),
            f"Kontakten {contact.id} har både always_open: true och öppettider. Ta bort det ena.",
        )


def _fallback(contact, urgent_users: dict[str, list]) -> Iterable[Problem]:
    """Who answers when a contact that an urgent step names is closed."""
    if not contact.always_open and not contact.outside_hours and contact.id in urgent_users:
        routine, step, ref = urgent_users[contact.id][0]
        yield problem(
            "contact-no-fallback",
            ref.pos,
            f"Kontakten {contact.id} har begränsade öppettider men "
            f'används i det brådskande steget "{step.id}". Ange outside_hours: för {contact.id} i '
            "contacts.yaml, så att läsaren vet vem som svarar när den är stängd.",
        )
    if contact.outside_hours and contact.outside_hours.id == contact.id:
        yield problem("contact-no-fallback", contact.outside_hours.pos, "outside_hours kan inte vara kontakten själv.")


def _verification(contact, ctx: Context) -> Iterable[Problem]:
    """Checked against a source, not in the future, not too long ago."""
    # No hours at all is allowed: hours that no source states stay absent (and are shown as unknown).
    if contact.hours_verified and not contact.verification.verified:
        yield problem(
            "verification-incomplete",
            at(contact, "hours_verified"),
            f"Kontakten {contact.id} har "
            "hours_verified: true men verification.verified: false. Öppettiderna kan bara vara "
            "kontrollerade när uppgifterna är kontrollerade mot källan.",
        )
    v = contact.verification
    if not v.verified:
        yield problem(
            "contact-unverified",
            at(contact, "verification"),
            f"Uppgifterna för {contact.id} är inte kontrollerade mot en källa. {v.note}".strip(),
        )
    elif v.on and v.on > ctx.today:
        yield problem("date-future", at(v, "on"), f"Kontrolldatumet {v.on} ligger i framtiden.")
    elif v.on and months_between(v.on, ctx.today) >= CONTACT_REVIEW_MONTHS:
        yield problem(
            "contact-stale",
            at(v, "on"),
            f"Uppgifterna för {contact.id} kontrollerades senast {v.on}, "
            f"för mer än {CONTACT_REVIEW_MONTHS} månader sedan. Kontrollera dem mot källan.",
        )
