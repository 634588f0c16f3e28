"""Cross-references written in prose: `[text](rutin:id#steg)`, `lagrum:`, `kontakt:`, `term:`, `roll:`.

One syntax for YAML prose and hand-written docs pages. The check resolves them against the
model; render rewrites them into relative Markdown links that MkDocs validates again.
Pure: knows nothing about files or MkDocs.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass

from handbook.core.escape import text as escape_text
from handbook.core.kinds import BY_PREFIX, ITEM
from handbook.core.model import Handbook

# Swedish prefix in the content -> model kind (core.kinds is the one table of item kinds).
KINDS = {prefix: kind.name for prefix, kind in BY_PREFIX.items()}

# Pure on relative paths, and a build asks for the same few thousand pairs over and over.
_relpath = functools.lru_cache(maxsize=None)(posixpath.relpath)


LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"\n]*\")?\)")
AUTOLINK = re.compile(r"<(?P<target>[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    target: str
    line: int  # 0-based line within the text
    column: int  # 0-based column within that line
    span: tuple[int, int]

    @property
    def scheme(self) -> str:
        match = SCHEME.match(self.target)
        return match.group(1).lower() if match else ""

    @property
    def ref(self) -> tuple[str, str, str] | None:
        """(kind, id, anchor) for an internal reference, else None."""
        if self.scheme not in KINDS:
            return None
        rest = self.target[len(self.scheme) + 1 :]
        rid, _, anchor = rest.partition("#")
        return KINDS[self.scheme], rid, anchor


CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$|(`+)[^`\n].*?\2", re.M | re.S)


def mask_code(text: str) -> str:
    """The text with code blocks and code spans blanked out (same length), so examples are not links."""
    return CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def find_links(text: str) -> list[Link]:
    """Every Markdown link and autolink in a text, in order, outside code."""
    found = []
    masked = mask_code(text)
    for pattern in (LINK, AUTOLINK):
        for m in pattern.finditer(masked):
            before = text[: m.start()]
            line = before.count("\n")
            column = m.start() - (before.rfind("\n") + 1)
            original = pattern.match(text, m.start())
            text_part = original.groupdict().get("text") or ""
            found.append(Link(text_part, original.group("target"), line, column, m.span()))
    return sorted(found, key=lambda link: link.span)


def target_page(kind: str, rid: str) -> str:
    """The docs path of the page an item lives on."""
    return ITEM[kind].page_of(rid)


def relative_path(page: str, target: str) -> str:
    """The relative Markdown link from docs path `page` to docs path `target` (a page or a file)."""
    return _relpath(target, posixpath.dirname(page) or ".")


def href(kind: str, rid: str, anchor: str, page: str) -> str:
    """The relative Markdown link from docs path `page` to an item: a routine (or one of its steps), a role's
    page, or the anchor of a provision, contact or term on its catalogue page."""
    relative = relative_path(page, target_page(kind, rid))
    anchor = rid if ITEM[kind].anchor_only else anchor
    return f"{relative}#{anchor}" if anchor else relative


def page_url(page: str, directory_urls: bool = True) -> str:
    """The site URL (relative to the site root) that MkDocs gives the docs path `page`."""
    stem = page.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


# What a relative link in a page's HTML is relative to. MkDocs leaves links in HTML alone, so the
# browser reads them from the built page ("page"); Zensical rewrites every relative link in a page's
# HTML as if it were written from the Markdown file's folder ("source"), as MkDocs does for .md links.
LINK_BASES = ("page", "source")


def relative_url(page: str, target: str, directory_urls: bool = True, base: str = "page") -> str:
    """The built URL of docs path `target` relative to docs path `page`'s built page (or, for a builder
    that rewrites links in HTML, to its Markdown file): for links in HTML that Markdown does not make
    (sanitised prose, raw HTML in templates)."""
    here = page_url(page, directory_urls) if base == "page" else page
    there = page_url(target, directory_urls)
    folder, _, name = there.rpartition("/")
    relative = _relpath(folder or ".", posixpath.dirname(here) or ".")
    relative = "" if relative == "." else relative + "/"
    return relative + name or "./"


def url(kind: str, rid: str, anchor: str, page: str, directory_urls: bool = True, base: str = "page") -> str:
    """The relative built URL of an item (a routine or one of its steps, or a catalogue entry)."""
    relative = relative_url(page, target_page(kind, rid), directory_urls, base)
    anchor = rid if ITEM[kind].anchor_only else anchor
    return f"{relative}#{anchor}" if anchor else relative


def default_text(handbook: Handbook, kind: str, rid: str, anchor: str) -> str:
    """The link text used when the writer left the brackets empty."""
    item = handbook.get(kind, rid)
    if item is None:
        return rid
    name = ITEM[kind].display_name(item)
    if kind == "routine":
        step = next((s for s in item.steps if s.id == anchor), None)
        return f"{name}: {step.title}" if step else name
    return name


def rewrite(
    markdown: str, handbook: Handbook, page: str, directory_urls: bool | None = None, base: str = "page"
) -> str:
    """Replace internal references by relative Markdown links as seen from the docs path `page`.

    With `directory_urls` set, the links point at built URLs instead of docs paths (for prose that
    is rendered to HTML before the site's Markdown sees it)."""
    out, last = [], 0
    for link in find_links(markdown):
        ref = link.ref
        if ref is None:
            continue
        kind, rid, anchor = ref
        text = link.text or escape_text(default_text(handbook, kind, rid, anchor))
        target = (
            href(kind, rid, anchor, page)
            if directory_urls is None
            else url(kind, rid, anchor, page, directory_urls, base)
        )
        out.append(markdown[last : link.span[0]])
        out.append(f"[{text}]({target})")
        last = link.span[1]
    out.append(markdown[last:])
    return "".join(out)
