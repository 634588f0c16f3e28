"""Values the loader's patterns cannot judge alone: https addresses in URL fields and
hand-written pages at the address of a generated one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from handbook.check.context import Context
from handbook.core.kinds import ITEM_KINDS
from handbook.core.model import Kind, Pos
from handbook.core.paths import GENERATED, url_of
from handbook.core.problems import Problem, problem
from handbook.core.walk import values

# A host name: labels of letters, digits and hyphens, at least one dot (an IP or "localhost" is no public page).
HOST = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.I)


def url_fault(url: str) -> str:
    """Why an https URL field cannot be used as one address ("" when it can). Other schemes: safety's rules."""
    if not url.startswith("https:"):
        return ""
    if re.search(r"\s", url):
        return "innehåller ett mellanslag eller en radbrytning"
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return "går inte att läsa som en adress"
    if not url.startswith("https://") or not HOST.fullmatch(host):
        return "saknar ett giltigt värdnamn (som www.exempel.se)"
    return ""


def check(ctx: Context) -> Iterable[Problem]:
    for v in values(ctx.handbook):
        if v.kind == Kind.URL and isinstance(v.value, str) and (why := url_fault(v.value)):
            shown = " ".join(v.value.split())[:60]
            yield problem(
                "url-not-https",
                v.pos,
                f'{v.field}: "{shown}" {why}. Skriv en hel https-adress '
                "på en rad, till exempel https://www.example.org/sida/.",
            )
    yield from page_conflicts(ctx)


def generated_addresses(ctx: Context) -> dict[str, str]:
    """URL -> the generated page or file served there: every page render makes (core.paths.GENERATED), those
    it makes only when their data is there too (the law radar's page: a hand-written one there would stop the
    build on the day lawradar.json is first committed), and every item's pages. A hand-written page at one of
    these addresses would make the build fail (or replace the generated page)."""
    paths = [g.path for g in GENERATED if "{id}" not in g.path]
    for kind in ITEM_KINDS:
        paths += [p.format(id=item.id) for item in ctx.handbook.items(kind.name) for p in kind.pages if "{id}" in p]
    return {url_of(p): p for p in paths}


def page_conflicts(ctx: Context) -> Iterable[Problem]:
    generated = generated_addresses(ctx)
    for file in ctx.pages:
        path = file.removeprefix("docs/")
        if (made := generated.get(url_of(path))) is not None:
            yield problem(
                "page-conflict",
                Pos(file),
                f"{file} har samma adress som sidan docs/{made}, som handboken skapar själv (från "
                "YAML-filerna eller lawradar.json). Byt namn på filen, eller ändra i YAML-filen i stället.",
            )
