"""Values the loader's patterns cannot judge alone: https addresses in URL fields and language codes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import babel

from handbook.check.context import Context
from handbook.check.safety import texts
from handbook.core.kinds import ITEM_KINDS
from handbook.core.model import Kind
from handbook.core.problems import Problem, problem

# ISO 639-1 codes that Babel (CLDR) names: the same table the contact page takes the Swedish name from.
LANGUAGES = frozenset(code for code in babel.Locale("sv").languages if re.fullmatch(r"[a-z]{2}", code))
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
    for kind in ITEM_KINDS:
        for record in ctx.handbook.items(kind.name):
            for _, name, text, marker, place in texts(record):
                if marker == Kind.URL and (why := url_fault(text)):
                    shown = " ".join(text.split())[:60]
                    yield problem("url-not-https", place, f'{name}: "{shown}" {why}. Skriv en hel https-adress '
                                  "på en rad, till exempel https://www.stockholm.se/.")
                elif marker == Kind.LANG and text not in LANGUAGES:
                    yield problem("value-invalid", place, f'{name}: "{text[:10]}" är ingen känd språkkod. Skriv två '
                                  "små bokstäver enligt ISO 639-1, till exempel sv, en, ar.")
