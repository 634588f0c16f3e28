"""The publication gate: what still blocks a city from publishing the handbook.

Not part of the ordinary check (a draft handbook is useful and builds green); `handbook check
--release` adds these problems, the site shows them as a draft banner and on the start page.
One Swedish line per blocker, each at the place where it is fixed.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from handbook.core import callchain
from handbook.core.dates import months_between
from handbook.core.model import Contact, Handbook, Pos, Verification, at, has_verified_hours, has_verified_number
from handbook.core.problems import Problem, problem

# Names that can never be a city's real address (RFC 2606, RFC 6761 and localhost.localdomain), and
# every name under them (handbok.example.com is as much a placeholder as example.com).
PLACEHOLDER_HOST = re.compile(r"(^|\.)(example|invalid|test|localhost|localdomain|local|"
                              r"example\.(com|net|org))$", re.I)
# How old the check of a contact in the call chain may be at publication.
CHAIN_REVIEW_MONTHS = 12


@dataclass(frozen=True)
class SiteSettings:
    """What the release gate needs from the site configuration (mkdocs.yml), with where it was written."""

    site_url: str = ""
    edit_uri: str = ""
    report_address: str = ""
    site_url_pos: Pos = Pos("mkdocs.yml")
    edit_uri_pos: Pos = Pos("mkdocs.yml")
    report_address_pos: Pos = Pos("mkdocs.yml")


def placeholder_host(host: str) -> bool:
    """A host that is no real public name: empty, a reserved name (with or without a trailing dot), an IP address."""
    host = host.strip().lower().rstrip(".")
    if not host or "." not in host or PLACEHOLDER_HOST.search(host):
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def is_placeholder(url: str) -> bool:
    """Not a city's real https address: another scheme, no host, a space or line break, a reserved name or an IP."""
    if url != url.strip() or re.search(r"\s", url) or not url.startswith("https://"):
        return True
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return True
    return placeholder_host(host)


def bad_source(v: Verification, today: dt.date | None) -> str:
    """Why a "verified" claim cannot be trusted at publication ("" when it can): the source must be a real
    https page and the date not in the future."""
    if v.source and is_placeholder(v.source):
        return f'källan "{v.source[:60]}" är ingen riktig https-sida'
    if today and v.on and v.on > today:
        return f"kontrolldatumet {v.on} ligger i framtiden"
    return ""


def trusted(contact: Contact, today: dt.date | None) -> bool:
    return not bad_source(contact.verification, today)


def blockers(handbook: Handbook, site: SiteSettings, today: dt.date | None = None) -> list[Problem]:
    return sorted(set(_blockers(handbook, site, today)))


def _blockers(hb: Handbook, site: SiteSettings, today: dt.date | None = None) -> Iterable[Problem]:
    for name, value, pos in (("site_url", site.site_url, site.site_url_pos),
                             ("edit_uri", site.edit_uri, site.edit_uri_pos)):
        if is_placeholder(value):
            yield problem("release-blocker", pos, f"{name} i mkdocs.yml är inte stadens riktiga adress "
                          f'("{value or "saknas"}"). Skriv den publicerade https-adressen.')
    domain = site.report_address.rpartition("@")[2]
    if not site.report_address or re.search(r"\s", site.report_address) or placeholder_host(domain):
        yield problem("release-blocker", site.report_address_pos, "extra.report_address i mkdocs.yml är inte stadens "
                      f'riktiga e-postadress för felrapporter ("{site.report_address or "saknas"}").')
    chain = callchain.chain(hb)
    for contact in chain:
        yield from _chain_source(contact, today)
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
        elif provision is not None and (why := bad_source(provision.verification, today)):
            yield problem("release-blocker", at(provision, "verification"), f"Lagrummet {provision.label} ({pid}) "
                          f"används i ett brådskande steg ({where}) och är markerat som kontrollerat, men {why}. "
                          "Kontrollera det mot lagtexten och skriv sidans adress och dagens datum.")
    if today and callchain.holidays_run_out(today):
        yield problem("release-blocker", Pos("contacts.yaml"), "Startsidans ruta \"Vem ringer jag nu?\" känner "
                      f"bara till helgdagar till och med {callchain.HOLIDAYS_UNTIL}. Be en utvecklare flytta "
                      "HOLIDAYS_UNTIL i handbook/core/callchain.py tio år framåt och bygg om webbplatsen.")


def _chain_source(contact: Contact, today: dt.date | None) -> Iterable[Problem]:
    """A chain contact's "verified" must rest on a real page, checked within CHAIN_REVIEW_MONTHS."""
    v = contact.verification
    if not v.verified:
        return
    if why := bad_source(v, today):
        yield problem("release-blocker", at(v, "source"), f"{contact.name} ({contact.id}) ingår i kedjan \"Vem ringer "
                      f"jag nu?\" och är markerad som kontrollerad, men {why}. Skriv adressen till sidan där numret "
                      "och öppettiderna står.")
    elif today and v.on and months_between(v.on, today) >= CHAIN_REVIEW_MONTHS:
        yield problem("release-blocker", at(v, "on"), f"{contact.name} ({contact.id}) ingår i kedjan \"Vem ringer jag "
                      f"nu?\" men kontrollerades senast {v.on}, för mer än {CHAIN_REVIEW_MONTHS} månader sedan. "
                      "Kontrollera nummer och öppettider mot källan och skriv dagens datum i verification.on.")
