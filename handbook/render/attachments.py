"""Files the site serves beside its pages: redirects for old routine ids, contacts as vCard and CSV.

Pure: model in, {site path: text} out. Knows nothing about MkDocs.
"""

from __future__ import annotations

import csv
import html
import io
import re

from handbook.core import refs
from handbook.core.kinds import ITEM
from handbook.core.model import Handbook
from handbook.core.paths import PAGE
from handbook.core.phones import parse_phone
from handbook.render.pages import hours_line


def redirects(handbook: Handbook, directory_urls: bool = True) -> dict[str, str]:
    """A small HTML page at every old routine URL (and its short version's) that forwards to the current one."""
    pages = {}
    for routine in handbook.routines:
        for alias in routine.aliases:
            for pattern in ITEM["routine"].pages:
                old, new = pattern.format(id=alias), pattern.format(id=routine.id)
                built = refs.page_url(old, directory_urls)
                path = built + "index.html" if directory_urls else built
                pages[path] = _redirect_page(routine.title, refs.relative_url(old, new, directory_urls))
    return pages


def _redirect_page(title: str, target: str) -> str:
    title = html.escape(title)
    return (
        '<!doctype html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Flyttad: {title}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{target}">\n'
        "<script>location.replace("
        f'"{target}" + location.hash);</script>\n'
        "</head>\n<body>\n"
        f'<p>Rutinen har flyttat till <a href="{target}">{title}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def _vcard_escape(value: str) -> str:
    """RFC 6350 text value: backslash, comma and semicolon escaped, every line break as \\n."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _one_token(value: str) -> bool:
    """A value with no space, line break or control character (the check refuses others; this is the last guard)."""
    return bool(value) and not re.search(r"[\s\x00-\x1f\x7f]", value)


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula (=, +, -, @, tab, CR) gets a
    leading apostrophe (OWASP's advice against CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def vcard(handbook: Handbook) -> str:
    """Every active contact as vCard 3.0, for importing into a phone."""
    cards = []
    for c in handbook.contacts:
        if c.status != "active":
            continue
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_vcard_escape(c.name)}", f"ORG:{_vcard_escape(c.name)}"]
        for ph in c.phones:
            info = parse_phone(ph.number)
            if info:
                number = info.tel.removeprefix("tel:")
                lines.append(f"TEL;TYPE=WORK,VOICE:{number}")
        # One line each, or left out: a line break in a value would start a property (or a card) of its own.
        if c.email and _one_token(c.email):
            lines.append(f"EMAIL;TYPE=WORK:{c.email}")
        if c.web and _one_token(c.web):
            lines.append(f"URL:{c.web}")
        note = " ".join(c.purpose.split())
        if not c.verification.verified:
            note += " (Uppgifterna är inte kontrollerade.)"
        lines += [f"NOTE:{_vcard_escape(note)}", "END:VCARD"]
        cards.append("\r\n".join(lines))
    return "\r\n".join(cards) + "\r\n"


def contacts_csv(handbook: Handbook) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "namn", "typ", "telefon", "e-post", "webb", "öppettider", "kontrollerad"])
    for c in handbook.contacts:
        phones = "; ".join(f"{ph.number} ({ph.label})" if ph.label else ph.number for ph in c.phones)
        hours = "dygnet runt" if c.always_open else "; ".join(hours_line(h) for h in c.hours)
        checked = c.verification.on.isoformat() if c.verification.verified and c.verification.on else "nej"
        writer.writerow([_cell(v) for v in (c.id, c.name, c.kind, phones, c.email or "", c.web or "", hours, checked)])
    return out.getvalue()


def static_files(handbook: Handbook, directory_urls: bool = True) -> dict[str, str]:
    files = redirects(handbook, directory_urls)
    files[PAGE["vcard"].path] = vcard(handbook)
    files[PAGE["csv"].path] = contacts_csv(handbook)
    return files
