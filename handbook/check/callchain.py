"""The call chain: every minute of the week and of a public holiday reaches a verified number;
no fallback cycles; no inactive contact where a reader in a hurry is sent."""

from __future__ import annotations

from collections.abc import Iterable

from handbook.check.context import Context
from handbook.core import callchain
from handbook.core.model import Pos, at
from handbook.core.problems import Problem, problem


def check(ctx: Context) -> Iterable[Problem]:
    hb = ctx.handbook
    if ctx.skipped.any("contact"):
        return  # contacts.yaml did not load whole: the chain cannot be judged without inventing gaps
    if not hb.call_now:
        yield problem(
            "call-chain-gap",
            Pos("contacts.yaml"),
            "contacts.yaml saknar call_now: listan över "
            'kontakter som startsidans ruta "Vem ringer jag nu?" går igenom. Lägg till den, med en kontakt '
            "som alltid svarar (till exempel polisen) sist.",
        )
    else:
        found = callchain.gaps(callchain.chain(hb))
        if found:
            last = hb.call_now[-1]
            yield problem(
                "call-chain-gap",
                last.pos,
                "Ingen kontakt med kontrollerat nummer och kontrollerade "
                f"öppettider svarar {'; '.join(callchain.describe(found))}. Lägg sist i call_now en kontakt "
                "som svarar då (till exempel polisen), eller kontrollera nummer och öppettider för en "
                "kontakt som redan finns i listan.",
            )
    for cycle in callchain.fallback_cycles(hb):
        names = " → ".join(c.id for c in [*cycle, cycle[0]])
        yield problem(
            "contact-fallback-cycle",
            at(cycle[0], "outside_hours"),
            f"Kontakternas outside_hours går runt "
            f"i en ring: {names}. Den sista i kedjan ska vara en kontakt som alltid svarar.",
        )
    yield from _inactive(ctx)


def _inactive(ctx: Context) -> Iterable[Problem]:
    hb = ctx.handbook

    def inactive(cid: str) -> bool:
        contact = hb.contact(cid)
        return contact is not None and contact.status != "active"

    for ref in hb.call_now:
        if inactive(ref.id):
            yield problem(
                "contact-inactive-used",
                ref.pos,
                f"Kontakten {ref.id} är inte aktiv (status: inactive) men "
                "står i call_now. Ta bort den ur listan eller byt till en aktiv kontakt.",
            )
    for contact in hb.contacts:
        if contact.outside_hours and inactive(contact.outside_hours.id):
            yield problem(
                "contact-inactive-used",
                contact.outside_hours.pos,
                f"Kontakten {contact.outside_hours.id} "
                f"är inte aktiv men är den som {contact.id} hänvisar till när den har stängt (outside_hours).",
            )
    for routine in hb.routines:
        for step in routine.steps:
            if step.urgent:
                for ref in step.contacts:
                    if inactive(ref.id):
                        yield problem(
                            "contact-inactive-used",
                            ref.pos,
                            f"Kontakten {ref.id} är inte aktiv men "
                            f'används i det brådskande steget "{step.id}". Byt till en aktiv kontakt.',
                        )
