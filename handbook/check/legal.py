"""Legal references: citation form, official sources, repealed provisions and verification."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from handbook.check.context import Context
from handbook.core.model import at
from handbook.core.problems import Problem, problem

# Swedish citation forms: 6 §, 31 a §, 1–3 §§, 11 kap. 1 a §, 2 a kap., art. 16, art. 13–15.
_NUM = r"\d+(?: [a-z])?"
SECTION = re.compile(rf"^(?:{_NUM} kap\.(?: {_NUM}(?:–{_NUM})? §§?)?|{_NUM}(?:–{_NUM})? §§?|art\. \d+(?:–\d+)?)$")
OFFICIAL_HOSTS = (
    "riksdagen.se",
    "lagen.nu",
    "eur-lex.europa.eu",
    "coe.int",
    "socialstyrelsen.se",
    "regeringen.se",
    "rkrattsbaser.gov.se",
)


def official_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in OFFICIAL_HOSTS)


def check(ctx: Context) -> Iterable[Problem]:
    hb = ctx.handbook
    for p in hb.provisions:
        if p.section and not SECTION.match(p.section):
            yield problem(
                "legal-section-format",
                at(p, "section"),
                f'"{p.section}" är inte svensk citeringsform. Skriv till exempel 6 §, 11 kap. 1 a § eller art. 16.',
            )
        if p.kind in ("law", "ordinance") and not p.sfs and not ctx.skipped.rejected(p, "sfs"):
            yield problem(
                "legal-sfs-missing",
                p.pos,
                f"Lagrummet {p.id} är en svensk författning men saknar sfs. "
                'Skriv SFS-numret inom citattecken, till exempel sfs: "1990:52".',
            )
        if not official_host(p.url):
            yield problem(
                "legal-url-host",
                at(p, "url"),
                f'Länken "{p.url}" går inte till en officiell källa. Använd en av: {", ".join(OFFICIAL_HOSTS)}.',
            )
        if p.status == "repealed" and not (p.changed_on and p.replaced_by):
            yield problem(
                "legal-repealed-incomplete",
                at(p, "status"),
                f"Lagrummet {p.id} är upphävt men saknar changed_on eller replaced_by.",
            )
        if p.verification.verified and p.verification.on and p.verification.on > ctx.today:
            yield problem(
                "date-future",
                at(p.verification, "on"),
                f"Lagrummet {p.id} är kontrollerat "
                f"{p.verification.on}, ett datum i framtiden. Skriv dagen då lagtexten lästes.",
            )
        if not p.verification.verified:
            note = f" {p.verification.note}" if p.verification.note else ""
            yield problem(
                "provision-unverified",
                at(p, "verification"),
                f"Lagrummet {p.id} ({p.citation or p.law}) är inte kontrollerat mot lagtexten.{note}",
            )
    for routine in hb.routines:
        for step in routine.steps:
            for ref in step.legal:
                cited = hb.provision(ref.id)
                if cited and cited.status == "repealed":
                    replacement = cited.replaced_by.id if cited.replaced_by else "det lagrum som gäller nu"
                    when = f" {cited.changed_on}" if cited.changed_on else ""
                    yield problem(
                        "legal-repealed-cited",
                        ref.pos,
                        f"Steget {step.id} hänvisar till {cited.citation}"
                        f' ({ref.id}), som är upphävt{when}. Hänvisa till "{replacement}" i stället.',
                    )
