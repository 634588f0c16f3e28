"""Safety of content: no raw HTML, no unsafe or plain-http links, no personal identity numbers,
every prose reference resolves, every verification is complete, no name of the engine's own elements
(the DOM contract, core/dom.py) and a hand-written page's front matter valid field by field. Walks every
text of every record and every hand-written page, so a new field is covered without a new rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from handbook.check.context import Context
from handbook.check.references import unknown_ref, unknown_step
from handbook.core import frontmatter
from handbook.core.dom import reserved_class, reserved_id
from handbook.core.model import Kind, Pos, Ref, Verification
from handbook.core.phones import parse_phone
from handbook.core.problems import Problem, problem
from handbook.core.prose import inspect, slug, url_as_browser_reads
from handbook.core.refs import KINDS, find_links, mask_code
from handbook.core.walk import items, values

RAW_HTML = re.compile(r"<(?:/?[a-zA-Z][a-zA-Z0-9-]*(?=[\s/>])[^>]*>|!--)")
# Hand-written pages may hold markers where generated parts go, e.g. <!-- handbook:ring-nu -->.
PAGE_MARKER = re.compile(r"<!-- handbook:[a-z-]+ -->")
UNSAFE_SCHEMES = ("javascript", "data", "vbscript", "file")
SAFE_SCHEMES = ("https", "mailto", "tel")
# YYMMDD or YYYYMMDD, optional - or +, four digits; validated below with the Luhn digit.
PERSONAL_NUMBER = re.compile(r"(?<![\d-])(?:(?:19|20)?(\d{2}))(\d{2})(\d{2})[-+ ]?(\d{4})(?![\d-])")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def personal_numbers(text: str) -> Iterator[re.Match]:
    """Matches that are a valid personnummer or samordningsnummer (day + 60)."""
    for m in PERSONAL_NUMBER.finditer(text):
        yy, mm, dd, tail = m.groups()
        day = int(dd) - 60 if int(dd) > 60 else int(dd)
        if 1 <= int(mm) <= 12 and 1 <= day <= 31 and luhn_ok(yy + mm + dd + tail):
            yield m


def _offset(pos: Pos, text: str, index: int) -> Pos:
    before = text[:index]
    line = before.count("\n")
    column = index - (before.rfind("\n") + 1) if line else pos.column - 1 + index
    return Pos(pos.file, pos.line + line, column + 1)


def _find(place: Pos, text: str, needle: str) -> Pos:
    """Where a piece of the parse came from in the text, or the text's start when it cannot be found."""
    index = text.find(needle) if needle else -1
    return _offset(place, text, index) if index >= 0 else place


# What can make the site's Markdown produce more than the simple readings above already judge: raw HTML
# and autolinks (<), attribute lists ({), entities (&), images (![), reference links and definitions,
# headings (# and setext underlines) and indented code. Text without any of these needs no parse (the
# parse costs about 1 ms a text; most prose has none of them).
NEEDS_PARSE = re.compile(r"[<{&]|!\[|\]\s*\[|^ {0,3}\[[^\]\n]+\]:|^ {0,3}#|^ {0,3}[=-]+[ \t]*$|^ {4}", re.M)


def _check_parsed(text: str, marker: str | None, place: Pos, written: set[str]) -> Iterable[Problem]:
    """What the site's Markdown makes of the text, judged: raw HTML, attribute lists, elements and
    links that the regular expressions above did not see (entities, reference links, autolinks)."""
    page = marker == "page"
    if not page and not NEEDS_PARSE.search(text):
        return  # a page is always parsed: a plain heading or an admonition gives an element a name
    parsed = inspect(text, page=page)
    yield from _reserved_names(parsed.names, text, place)
    for f in parsed.findings:
        pos = _find(place, text, f.source)
        if f.kind == "raw-html":
            yield problem(
                "markdown-raw-html", pos, f'Texten innehåller HTML ("{f.detail}"). Använd Markdown i stället.'
            )
        elif f.kind == "attr-list":
            yield problem(
                "markdown-not-allowed",
                pos,
                f'Texten har en attributlista ("{f.detail[:40]}"). '
                "Ta bort den: handboken tillåter inte klasser, id, stilar eller händelser i texterna.",
            )
        elif f.kind == "element":
            what = {
                "img": "en bild",
                "h1": "en rubrik",
                "h2": "en rubrik",
                "h3": "en rubrik",
                "h4": "en rubrik",
                "h5": "en rubrik",
                "h6": "en rubrik",
            }.get(f.detail, f"elementet <{f.detail}>")
            yield problem(
                "markdown-not-allowed",
                pos,
                f"Texten blir {what} på sidan. Det är inte tillåtet i "
                "handbokens texter. Skriv om det som vanlig text eller en länk.",
            )
    for target in parsed.links:
        seen = url_as_browser_reads(target)
        # The simple reading stops a target at the first ")"; the parser knows nested parentheses.
        if any(target.startswith(w) or seen.startswith(w) for w in written if w):
            continue
        # A link the simple [text](target) reading did not find: a reference link, an entity-encoded
        # or otherwise disguised target. Judge its scheme as the browser will read it.
        scheme = seen.split(":", 1)[0].lower() if ":" in seen else ""
        if scheme in UNSAFE_SCHEMES or not scheme.isalpha():
            yield problem(
                "url-unsafe", place, f'Texten blir en länk till "{seen[:60]}". Sådana länkar är inte tillåtna.'
            )
        else:
            yield problem(
                "markdown-not-allowed",
                place,
                f'Länken till "{seen[:60]}" är skriven på ett sätt som '
                "handboken inte stöder. Skriv den som [text](adress) i stället.",
            )


def _name_place(place: Pos, text: str, kind: str, name: str) -> Pos:
    """Where a page gives an element the name: an attribute list, the word itself, or the heading it is made from."""
    for needle in (("#" if kind == "id" else ".") + name, name):
        if m := re.search(r"(?<![\w-])" + re.escape(needle) + r"(?![\w-])", text):
            return _offset(place, text, m.start())
    for m in re.finditer(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", text, re.M):
        if slug(m.group(1)) == name:
            return _offset(place, text, m.start())
    return place


def _reserved_names(names: list[tuple[str, str]], text: str, place: Pos) -> Iterable[Problem]:
    """The engine's DOM contract (core/dom.py): a page never gives an element one of the engine's names."""
    for kind, name in dict.fromkeys(names):
        if reserved_id(name) if kind == "id" else reserved_class(name):
            what = "id:t" if kind == "id" else "klassen"
            yield problem(
                "reserved-name",
                _name_place(place, text, kind, name),
                f'Sidan ger ett element {what} "{name[:40]}", som handboken själv använder. Byt namn, '
                "till exempel med ett eget { #id } på rubriken.",
            )


def _check_front_matter(path: str, text: str) -> tuple[Iterable[Problem], str]:
    """The page's front matter judged by field, and the page with the front matter blanked (lines kept)."""
    body, meta = frontmatter.split(text)
    found = []
    for key, message in frontmatter.problems(meta):
        m = re.search(r"^[ ]{0,3}" + re.escape(key) + r"\s*:", text, re.M | re.I)
        line = text.count("\n", 0, m.start()) + 1 if m else 1
        found.append(problem("front-matter-invalid", Pos(path, line, 1), message))
    if meta and text.endswith(body):
        head = text[: len(text) - len(body)]
        text = "\n" * head.count("\n") + body
    return found, text


def _check_ids(name: str, text: str, place: Pos) -> Iterable[Problem]:
    """An id from YAML becomes an element's id on a page (a step's heading, a contact's card)."""
    if name in ("id", "aliases") and reserved_id(text):
        yield problem(
            "reserved-name",
            place,
            f'Id:t "{text[:40]}" används av handboken själv och kan ta platsen '
            "för en av dess egna delar på sidan. Välj ett annat id.",
        )


def _check_text(ctx: Context, text: str, marker: str | None, place: Pos) -> Iterable[Problem]:
    prose = marker in (Kind.MARKDOWN, "page")
    if not prose:
        # Plain text is escaped wherever it lands; HTML in it is still a mistake worth telling.
        for m in RAW_HTML.finditer(mask_code(text)) if "<" in text else ():
            yield problem(
                "markdown-raw-html",
                _offset(place, text, m.start()),
                f'Texten innehåller HTML ("{m.group(0)[:40]}"). Använd Markdown i stället.',
            )
    for m in personal_numbers(text):
        yield problem(
            "personal-number",
            _offset(place, text, m.start()),
            "Texten innehåller något som ser ut som ett "
            "personnummer eller samordningsnummer. Handboken får aldrig innehålla personuppgifter. Ta bort det.",
        )
    if marker == Kind.URL:
        yield from _check_url(text, place)
        return
    if not prose:
        return
    links = find_links(text) if ("](" in text or "<" in text) else []
    for link in links:
        pos = _offset(place, text, link.span[0])
        ref = link.ref
        if ref:
            kind, rid, anchor = ref
            if found := unknown_ref(ctx, kind, Ref(rid, pos)):
                yield found
            elif kind == "routine" and anchor and (routine := ctx.handbook.routine(rid)):
                if found := unknown_step(ctx, routine, anchor, pos):
                    yield found
            elif kind != "routine" and anchor:
                yield problem(
                    "link-syntax",
                    pos,
                    f'Länken "{link.target}" har ett #-ankare, men bara rutiner har det. Skriv {link.scheme}:{rid}.',
                )
        elif link.scheme in SAFE_SCHEMES or link.scheme == "http" or link.scheme in UNSAFE_SCHEMES:
            yield from _check_url(link.target, pos)
            if link.scheme == "tel":
                yield from _check_tel(link.text, link.target, pos)
        elif marker != "page":
            yield problem(
                "link-syntax",
                pos,
                f'Länken "{link.target}" går inte att följa. Skriv interna länkar som '
                f"{', '.join(k + ':id' for k in KINDS)} och externa som https://…",
            )
    yield from _check_parsed(text, marker, place, {link.target for link in links})


def _check_tel(text: str, target: str, pos: Pos) -> Iterable[Problem]:
    """A tel: link must show the number it dials: "Ring [08-123 45 67](tel:+46...)" cannot dial another, and
    a text that is no number as written (words, superscript or other scripts' digits) cannot show what it dials."""
    shown = parse_phone(text)
    dialled = target.split(":", 1)[1].strip()
    wanted = {shown.tel.removeprefix("tel:")} if shown else set()
    if shown is None or dialled not in wanted | {"+" + d for d in wanted if not d.startswith("+")}:
        yield problem(
            "url-unsafe",
            pos,
            f'Länken visar "{text[:40]}" men ringer "{dialled[:40]}". En telefonlänk ska '
            "visa det nummer den ringer, skrivet med siffror. Skriv [08-123 45 67](tel:+4681234567).",
        )


def _check_url(url: str, pos: Pos) -> Iterable[Problem]:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in UNSAFE_SCHEMES:
        yield problem("url-unsafe", pos, f'Länken "{url[:60]}" är inte tillåten. Länkar får inte börja med {scheme}:.')
    elif scheme == "http":
        yield problem("url-not-https", pos, f'Länken "{url}" använder http. Skriv https:// i stället.')
    elif scheme not in SAFE_SCHEMES:
        yield problem("url-not-https", pos, f'"{url}" är inte en fullständig https-adress.')


def _verification(v: Verification) -> Iterable[Problem]:
    if v.verified and (not v.on or not v.source):
        yield problem(
            "verification-incomplete",
            v.pos,
            "Uppgiften är markerad som kontrollerad (verified: true) men saknar datum (on) eller källa (source).",
        )


def check(ctx: Context) -> Iterable[Problem]:
    hb = ctx.handbook
    # Every text of every kind of item in the registry: a new kind (roles) is judged without a change here.
    for v in values(hb):
        if isinstance(v.value, str) and v.value:
            yield from _check_text(ctx, v.value, v.kind, v.pos)
            yield from _check_ids(v.field, v.value, v.pos)
    for _, item in items(hb):
        if isinstance(verification := getattr(item, "verification", None), Verification):
            yield from _verification(verification)
    for path, text in ctx.pages.items():
        found, body = _check_front_matter(path, text)
        yield from found
        yield from _check_text(ctx, PAGE_MARKER.sub("", body), "page", Pos(path))
