"""The publication gate: what still blocks a city from publishing the handbook.

Not part of the ordinary check (a draft handbook is useful and builds green); `handbook check
--release` adds these problems, the site shows them as a draft banner and on the start page.
One Swedish line per blocker, each at the place where it is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from handbook.core import callchain
from handbook.core.model import Handbook, Pos, at, has_verified_hours, has_verified_number
from handbook.core.problems import Problem, problem

# Names that can never be a city's real address (RFC 2606 and RFC 6761), and the placeholder path.
PLACEHOLDER_HOST = re.compile(r"(^|\.)(example|invalid|test|localhost)$|^example\.(com|net|org)$", re.I)


@dataclass(frozen=True)
class SiteSettings:
    """What the release gate needs from the site configuration (mkdocs.yml), with where it was written."""

    site_url: str = ""
    edit_uri: str = ""
    report_address: str = ""
    site_url_pos: Pos = Pos("mkdocs.yml")
    edit_uri_pos: Pos = Pos("mkdocs.yml")
    report_address_pos: Pos = Pos("mkdocs.yml")


def is_placeholder(url: str) -> bool:
    match = re.match(r"^https://([^/:?#]+)", url.strip())
    return match is None or bool(PLACEHOLDER_HOST.search(match.group(1)))


def blockers(handbook: Handbook, site: SiteSettings) -> list[Problem]:
    return sorted(set(_blockers(handbook, site)))


def _blockers(hb: Handbook, site: SiteSettings) -> Iterable[Problem]:
    for name, value, pos in (("site_url", site.site_url, site.site_url_pos),
                             ("edit_uri", site.edit_uri, site.edit_uri_pos)):
        if is_placeholder(value):
            yield problem("release-blocker", pos, f"{name} i mkdocs.yml är inte stadens riktiga adress "
                          f'("{value or "saknas"}"). Skriv den publicerade https-adressen.')
    domain = site.report_address.rpartition("@")[2]
    if not site.report_address or PLACEHOLDER_HOST.search(domain):
        yield problem("release-blocker", site.report_address_pos, "extra.report_address i mkdocs.yml är inte stadens "
                      f'riktiga e-postadress för felrapporter ("{site.report_address or "saknas"}").')
    chain = callchain.chain(hb)
    for contact in chain:
        if not has_verified_number(contact):
            yield problem("release-blocker", at(contact, "phones"), f"{contact.name} ({contact.id}) ingår i kedjan "
                          '"Vem ringer jag nu?" men har inget kontrollerat telefonnummer.')
        if not has_verified_hours(contact):
            yield problem("release-blocker", at(contact, "hours"), f"{contact.name} ({contact.id}) ingår i kedjan "
                          '"Vem ringer jag nu?" men har inga kontrollerade öppettider.')
    for group in chain:
        for district in hb.districts(group):
            if not has_verified_number(district):
                yield problem("release-blocker", at(district, "phones"), f"{district.name} ({district.id}) saknar "
                              "kontrollerat telefonnummer. Läsare som väljer den som sin stadsdel får inget nummer "
                              "att ringa på kontorstid.")
    found = callchain.gaps(chain)
    if found:
        where = hb.call_now[-1].pos if hb.call_now else Pos("contacts.yaml")
        yield problem("release-blocker", where, "Ingen kontakt med kontrollerat nummer svarar "
                      f"{'; '.join(callchain.describe(found))}.")
    for routine in hb.routines:
        if routine.status.state != "approved":
            yield problem("release-blocker", at(routine, "status"), f'Rutinen "{routine.title}" ({routine.id}) är ett '
                          "utkast och inte beslutad.")
    cited: dict[str, str] = {}
    for routine in hb.routines:
        for step in routine.steps:
            if step.urgent:
                for ref in step.legal:
                    cited.setdefault(ref.id, f"{routine.id}#{step.id}")
    for pid, where in cited.items():
        provision = hb.provision(pid)
        if provision is not None and not provision.verification.verified:
            yield problem("release-blocker", at(provision, "verification"), f"Lagrummet {provision.label} ({pid}) "
                          f"används i ett brådskande steg ({where}) men är inte kontrollerat mot lagtexten.")
