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
from handbook.core.model import (
    Contact,
    Handbook,
    Pos,
    Verification,
    at,
    has_verified_hours,
    has_verified_number,
    sfs_order,
)
from handbook.core.problems import Problem, problem, quoted

# Names that can never be a city's real address (RFC 2606, RFC 6761 and localhost.localdomain), and
# every name under them (handbok.example.com is as much a placeholder as example.com).
PLACEHOLDER_HOST = re.compile(
    r"(^|\.)(example|invalid|test|localhost|localdomain|local|"
    r"example\.(com|net|org))$",
    re.I,
)
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


def _quoted(value: str) -> str:
    """A setting as a message quotes it: one line, cut short ("saknas" when empty)."""
    return quoted(value) or "saknas"


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
        return f'källan "{_quoted(v.source)}" är ingen riktig https-sida'
    if today and v.on and v.on > today:
        return f"kontrolldatumet {v.on} ligger i framtiden"
    return ""


def blockers(
    handbook: Handbook, site: SiteSettings, today: dt.date | None = None, law_radar: dict | None = None
) -> list[Problem]:
    return sorted({p for group in grouped(handbook, site, today, law_radar) for p in group.problems})


@dataclass(frozen=True)
class Group:
    """One kind of blocker: a heading and one fix hint for all of them (make release's to-do list)."""

    title: str
    hint: str
    problems: list[Problem]


def grouped(
    hb: Handbook, site: SiteSettings, today: dt.date | None = None, law_radar: dict | None = None
) -> list[Group]:
    """The blockers by kind, in the order a city works through them; kinds without a blocker left out.
    law_radar is the radar's last data file (lawradar.json), when the root has one."""
    groups = [
        Group(
            "Adresser i mkdocs.yml",
            "Skriv kommunens riktiga publicerade https-adresser i site_url och edit_uri och "
            "kommunens e-postadress för felrapporter i extra.report_address.",
            list(_address_blockers(site)),
        ),
        Group(
            'Kedjan "Vem ringer jag nu?"',
            "Skriv numret under phones och tiderna under hours precis som källan "
            "anger dem, sätt hours_verified: true och fyll i verification (verified: true, on med dagens datum, "
            "source med adressen till sidan). Hitta aldrig på ett nummer eller tider.",
            list(_chain_blockers(hb, today)),
        ),
        Group(
            "Beslut om rutinerna",
            "Sätt status: state: approved med decided_by, decided_on och diary_number när rutinen är beslutad.",
            _decisions(hb),
        ),
        Group(
            "Lagrum i brådskande steg",
            "Läs paragrafen i lagtexten och sätt verification: verified: true med on "
            "(dagens datum) och source (adressen till lagtexten).",
            list(_law_blockers(hb, today)),
        ),
        Group(
            "Lagrum att läsa om efter en lagändring",
            "Läs paragrafen i den nya lydelsen, rätta texten om det "
            "behövs och skriv i verification: on (dagens datum), source och consolidated_through (den SFS som "
            "lydelsen du läste är ändrad till och med).",
            list(_radar_blockers(hb, law_radar)),
        ),
        Group(
            "Helgdagar",
            "En utvecklare flyttar HOLIDAYS_UNTIL i handbook/core/callchain.py tio år framåt.",
            _holidays(today),
        ),
    ]
    return [Group(g.title, g.hint, sorted(set(g.problems))) for g in groups if g.problems]


def _address_blockers(site: SiteSettings) -> Iterable[Problem]:
    for name, value, pos in (
        ("site_url", site.site_url, site.site_url_pos),
        ("edit_uri", site.edit_uri, site.edit_uri_pos),
    ):
        if is_placeholder(value):
            yield problem(
                "release-blocker",
                pos,
                f"{name} i mkdocs.yml är inte kommunens riktiga adress "
                f'("{_quoted(value)}"). Skriv den publicerade https-adressen.',
            )
    domain = site.report_address.rpartition("@")[2]
    if not site.report_address or re.search(r"\s", site.report_address) or placeholder_host(domain):
        yield problem(
            "release-blocker",
            site.report_address_pos,
            "extra.report_address i mkdocs.yml är inte kommunens "
            f'riktiga e-postadress för felrapporter ("{_quoted(site.report_address)}").',
        )


def _chain_blockers(hb: Handbook, today: dt.date | None) -> Iterable[Problem]:
    chain = callchain.chain(hb)
    for contact in chain:
        yield from _chain_source(contact, today)
        if not has_verified_number(contact):
            yield problem(
                "release-blocker",
                at(contact, "phones"),
                f"{contact.name} ({contact.id}) ingår i kedjan "
                '"Vem ringer jag nu?" men har inget kontrollerat telefonnummer.',
            )
        if not has_verified_hours(contact):
            yield problem(
                "release-blocker",
                at(contact, "hours"),
                f"{contact.name} ({contact.id}) ingår i kedjan "
                '"Vem ringer jag nu?" men har inga kontrollerade öppettider.',
            )
    for group in chain:
        for district in hb.districts(group):
            yield from _chain_source(district, today)
            if not has_verified_number(district):
                yield problem(
                    "release-blocker",
                    at(district, "phones"),
                    f"{district.name} ({district.id}) saknar "
                    "kontrollerat telefonnummer. Läsare som väljer den som sin stadsdel får inget nummer "
                    "att ringa på kontorstid.",
                )
    found = callchain.gaps(chain)
    if found:
        where = hb.call_now[-1].pos if hb.call_now else Pos("contacts.yaml")
        yield problem(
            "release-blocker",
            where,
            f"Ingen kontakt med kontrollerat nummer svarar {'; '.join(callchain.describe(found))}.",
        )


def _decisions(hb: Handbook) -> list[Problem]:
    return [
        problem(
            "release-blocker",
            at(routine, "status"),
            f'Rutinen "{routine.title}" ({routine.id}) är ett utkast och inte beslutad.',
        )
        for routine in hb.routines
        if routine.status.state != "approved"
    ]


def _law_blockers(hb: Handbook, today: dt.date | None) -> Iterable[Problem]:
    cited: dict[str, str] = {}
    for routine in hb.routines:
        for step in routine.steps:
            if step.urgent:
                for ref in step.legal:
                    cited.setdefault(ref.id, f"{routine.id}#{step.id}")
    for pid, where in cited.items():
        provision = hb.provision(pid)
        if provision is not None and not provision.verification.verified:
            yield problem(
                "release-blocker",
                at(provision, "verification"),
                f"Lagrummet {provision.label} ({pid}) "
                f"används i ett brådskande steg ({where}) men är inte kontrollerat mot lagtexten.",
            )
        elif provision is not None and (why := bad_source(provision.verification, today)):
            yield problem(
                "release-blocker",
                at(provision, "verification"),
                f"Lagrummet {provision.label} ({pid}) "
                f"används i ett brådskande steg ({where}) och är markerat som kontrollerat, men {why}. "
                "Kontrollera det mot lagtexten och skriv sidans adress och dagens datum.",
            )


def _radar_blockers(hb: Handbook, law_radar: dict | None) -> Iterable[Problem]:
    """Provisions the radar's last run marked "to re-read", until the provision records that it was read
    against a text that includes the amendment (consolidated_through at or after it). The data file comes
    from the network through a job: only ids of real provisions and well-formed SFS numbers are used."""
    findings = (law_radar or {}).get("findings")
    for finding in findings if isinstance(findings, list) else []:
        if not isinstance(finding, dict) or finding.get("state") != "reread":
            continue
        provision = hb.provision(str(finding.get("provision", "")))
        amendment = sfs_order(finding.get("amendment"))
        if provision is None:
            continue
        read = sfs_order(provision.consolidated_through)
        if amendment is not None and read is not None and read >= amendment:
            continue
        by = f" genom SFS {finding['amendment']}" if amendment else ""
        yield problem(
            "release-blocker",
            at(provision, "id"),
            f"Lagändringsradarn har sett att {provision.label} "
            f"({provision.id}) har ändrats{by}. Läs paragrafen i den nya lydelsen innan handboken "
            "publiceras.",
        )


def _holidays(today: dt.date | None) -> list[Problem]:
    if not (today and callchain.holidays_run_out(today)):
        return []
    return [
        problem(
            "release-blocker",
            Pos("contacts.yaml"),
            'Startsidans ruta "Vem ringer jag nu?" känner '
            f"bara till helgdagar till och med {callchain.HOLIDAYS_UNTIL}. Be en utvecklare flytta "
            "HOLIDAYS_UNTIL i handbook/core/callchain.py tio år framåt och bygg om webbplatsen.",
        )
    ]


def _chain_source(contact: Contact, today: dt.date | None) -> Iterable[Problem]:
    """A chain contact's "verified" must rest on a real page, checked within CHAIN_REVIEW_MONTHS."""
    v = contact.verification
    if not v.verified:
        return
    if why := bad_source(v, today):
        yield problem(
            "release-blocker",
            at(v, "source"),
            f'{contact.name} ({contact.id}) ingår i kedjan "Vem ringer '
            f'jag nu?" och är markerad som kontrollerad, men {why}. Skriv adressen till sidan där numret '
            "och öppettiderna står.",
        )
    elif today and v.on and months_between(v.on, today) >= CHAIN_REVIEW_MONTHS:
        yield problem(
            "release-blocker",
            at(v, "on"),
            f'{contact.name} ({contact.id}) ingår i kedjan "Vem ringer jag '
            f'nu?" men kontrollerades senast {v.on}, för mer än {CHAIN_REVIEW_MONTHS} månader sedan. '
            "Kontrollera nummer och öppettider mot källan och skriv dagens datum i verification.on.",
        )


def _line(p: Problem, code: bool = False) -> str:
    return f"   - {p.file}:{p.line}:{p.column}: " + (f"[{p.code}] " if code else "") + p.message


def format_todo(groups: list[Group], others: list[Problem]) -> str:
    """make release as a to-do list: blockers by kind with one fix hint each, then other errors, then warnings,
    and a count at the end. Empty when nothing is left to do."""
    errors = [p for p in others if p.severity == "error"]
    warnings = [p for p in others if p.severity != "error"]
    if not groups and not others:
        return ""
    out: list[str] = []
    if groups:
        out.append("Det här hindrar publicering. Ta en grupp i taget:\n")
    for n, group in enumerate(groups, start=1):
        out += [
            f"{n}. {group.title} ({len(group.problems)})",
            f"   Gör så här: {group.hint}",
            *(_line(p) for p in group.problems),
            "",
        ]
    if errors:
        out += [f"Andra fel ({len(errors)}), som också måste rättas:", *(_line(p, True) for p in errors), ""]
    if warnings:
        out += [f"Varningar ({len(warnings)}), som inte hindrar publicering:", *(_line(p, True) for p in warnings), ""]
    count = sum(len(g.problems) for g in groups)
    out.append(
        f"Kvar att göra: {count} hinder för publicering i {len(groups)} "
        f"{'grupper' if len(groups) != 1 else 'grupp'}, {len(errors)} andra fel och {len(warnings)} "
        f"{'varningar' if len(warnings) != 1 else 'varning'}."
    )
    return "\n".join(out) + "\n"
