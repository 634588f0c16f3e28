"""Markdown prose from content: judged as the site's Markdown parses it, rendered restricted and sanitised.

Two halves, one module, so that what the check allows and what the render produces cannot drift:

- `inspect(text)` parses a text with the same Python-Markdown extensions as the site
  (mkdocs.yml; a test keeps the lists equal) and reports what that parse really produced:
  raw HTML, attribute lists, elements and attributes outside the prose allow-list, and every
  link target as the browser will read it (entities decoded, whitespace removed). The check
  turns these findings into problems with places.
- `Prose.html(text)` renders a text for a page with a restricted Markdown (no raw HTML, no
  attribute lists) and passes the result through nh3 (Ammonia) with an allow-list, so that a
  pattern the check missed still cannot produce a script, an event handler, a style, an id or
  a `javascript:` URL. The HTML goes into the generated page as one raw block.

Pure: text in, findings or HTML out.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.attr_list import AttrListExtension, AttrListTreeprocessor
from markdown.extensions.toc import slugify

# The site's extensions (mkdocs.yml markdown_extensions, without options that do not change parsing).
SITE_EXTENSIONS = [
    "abbr",
    "admonition",
    "pymdownx.details",
    "attr_list",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.tasklist",
]

# What prose from YAML may produce: text structure, links and abbreviations. No headings (the page
# owns its outline), no images (nothing is loaded from elsewhere), no ids, classes or styles.
TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "abbr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
# Table alignment is written by the tables extension as a style; it is the only style allowed.
ALIGN = re.compile(r"^text-align: (left|right|center);?$")
URL_SCHEMES = {"https", "mailto", "tel"}
# What browsers ignore inside a URL before reading its scheme (WHATWG URL: C0 controls, space, tab, newline).
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")


@dataclass(frozen=True)
class Finding:
    """Something the parse produced that prose may not contain; `source` is text to find in the input."""

    kind: str  # "raw-html", "attr-list", "element", "attribute", "link"
    detail: str
    source: str = ""


@dataclass
class Parsed:
    findings: list[Finding] = field(default_factory=list)
    # Every link target as the browser will read it (entities decoded, junk removed), in order.
    links: list[str] = field(default_factory=list)
    # On a page: every id and class the parse gives an element, as ("id" | "class", name), in order.
    names: list[tuple[str, str]] = field(default_factory=list)


def slug(heading: str) -> str:
    """The id the site's toc extension gives a heading (mkdocs.yml sets no slugify of its own)."""
    return slugify(heading, "-")


def url_as_browser_reads(value: str) -> str:
    return _URL_JUNK.sub("", html.unescape(value))


class _RecordingAttrList(AttrListTreeprocessor):
    """attr_list as the site runs it, but every attribute list it applies is recorded."""

    def assign_attrs(self, elem, attrs_string, *, strict=False):
        self.md.hb_attr_lists.append(attrs_string)
        return super().assign_attrs(elem, attrs_string, strict=strict)


class _RecordingAttrListExtension(AttrListExtension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_RecordingAttrList(md), "attr_list", 8)
        md.registerExtension(self)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


_site_md: markdown.Markdown | None = None


def _site_markdown() -> markdown.Markdown:
    global _site_md
    if _site_md is None:
        extensions = [e for e in SITE_EXTENSIONS if e != "attr_list"] + [_RecordingAttrListExtension()]
        _site_md = markdown.Markdown(extensions=extensions)
    _site_md.reset()
    _site_md.hb_attr_lists = []
    return _site_md


def inspect(text: str, *, page: bool = False) -> Parsed:
    """What the site's Markdown makes of a text, measured against what content may use.

    `page=True` judges a hand-written docs page: headings, admonitions and `{ #id }` on a heading
    are the page's own structure there; raw HTML, other attribute lists and unsafe links are not.
    """
    parsed = _inspect(text, page)
    return Parsed(list(parsed.findings), list(parsed.links), list(parsed.names))


# A pure function of its two arguments, kept for the process (`make serve` checks every text on every save; a parse
# costs about 1 ms a text and more for a page). Bounded: least recently used first out.
@functools.lru_cache(maxsize=1024)
def _inspect(text: str, page: bool) -> Parsed:
    md = _site_markdown()
    out = md.convert(text)
    parsed = Parsed()
    for block in md.htmlStash.rawHtmlBlocks:
        block = str(block)
        if block.lstrip().startswith("<"):
            parsed.findings.append(Finding("raw-html", block.strip()[:40], block.strip()))
    for attrs in md.hb_attr_lists:
        if page and re.fullmatch(r"\s*:?\s*#[\w-]+\s*", attrs):
            continue
        parsed.findings.append(Finding("attr-list", "{" + attrs + "}", attrs))
    elements = _Elements()
    elements.feed(out)
    elements.close()
    for tag, attrs in elements.found:
        for name, value in attrs:
            if name == "href":
                parsed.links.append(value or "")
            elif page and name == "id" and value:
                parsed.names.append(("id", value))
            elif page and name == "class" and value:
                parsed.names.extend(("class", c) for c in value.split())
        # Elements that raw HTML made are reported once, as raw HTML.
        if page or any(f.kind == "raw-html" for f in parsed.findings):
            continue
        if tag not in TAGS:
            parsed.findings.append(Finding("element", tag))
            continue
        for name, value in attrs:
            if name in ATTRIBUTES.get(tag, ()) or (
                tag in ("th", "td") and name == "style" and ALIGN.match(value or "")
            ):
                continue
            parsed.findings.append(Finding("attribute", f"{tag} {name}"))
    return parsed


class Prose:
    """Renders the prose of one handbook: a restricted Markdown that knows the glossary's
    abbreviations, then an allow-list sanitiser. One instance per build; cached by text, and what the last
    instance for the same glossary rendered is reused (`make serve` renders the whole handbook on every save)."""

    def __init__(self, abbreviations: dict[str, str]) -> None:
        self._glossary = dict(abbreviations)
        self._abbreviations = tuple(abbreviations)
        self._md: markdown.Markdown | None = None
        self._cache: dict[str, str] = {}
        self._previous = _remember(tuple(abbreviations.items()), self._cache)

    def lead(self, text: str) -> str:
        """The first sentence of a prose text as sanitised inline HTML."""
        return lead(self.html(text))

    def html(self, text: str) -> str:
        """Prose as sanitised HTML, wrapped in one block so the page's Markdown leaves it alone."""
        done = self._cache.get(text)
        if done is None:
            done = self._previous.get(text)
            if done is None:
                plain = self.plain(text)
                done = self.full(text) if plain is None else f'<div class="hb-prose">\n<p>{plain}</p>\n</div>'
            self._cache[text] = done
        return done

    def full(self, text: str) -> str:
        """The full path, every time: Markdown without raw HTML, then the sanitiser."""
        if self._md is None:
            self._md = markdown.Markdown(extensions=[AbbrExtension(glossary=self._glossary), "tables"])
            # No raw HTML: a tag in prose is shown as the text it is. (The check reports it first.)
            self._md.preprocessors.deregister("html_block")
            self._md.inlinePatterns.deregister("html")
        self._md.reset()
        clean = sanitise(self._md.convert(text))
        return f'<div class="hb-prose">\n{clean}\n</div>' if clean.strip() else ""

    def plain(self, text: str) -> str | None:
        """The fast path: a text that Markdown, the glossary's abbreviations and the sanitiser would only wrap in
        one paragraph, as that paragraph's HTML; None for any other text. Most prose is one plain sentence or
        two, and the full path (Markdown, then nh3) was the largest part of a render. tests/test_prose.py
        proves the two paths agree."""
        body = text.rstrip("\n")
        if not body or _NOT_PLAIN.search(body) or any(a in body for a in self._abbreviations):
            return None
        return body.replace("\u00a0", "&nbsp;")  # as the sanitiser's serialiser writes a no-break space


# The texts the last Prose rendered, by its glossary (abbreviation -> title, in order): the output is a pure function
# of the two. Only the newest glossary's are kept, and each Prose keeps only what it rendered, so the memory holds
# at most two builds' texts.
_rendered: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}


def _remember(glossary: tuple[tuple[str, str], ...], rendered: dict[str, str]) -> dict[str, str]:
    """What the last Prose with this glossary rendered; rendered becomes the memory for the next one."""
    previous = _rendered.get(glossary, {})
    _rendered.clear()
    _rendered[glossary] = rendered
    return previous


# What makes a text more than one plain paragraph: a character Markdown, the sanitiser or attr_list reads
# (emphasis, code, links, raw HTML, entities, headings, tables, escapes, braces), a line break, whitespace at
# either end (code blocks, hard breaks), or a start that makes a list, a quote or a rule.
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<>&#|!~{}\n\r\t\f\v\u0085\u2028\u2029]|^\s|\s$|^(?:[-+=>]|\d+[.)])")


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def lead(fragment: str) -> str:
    """The first sentence of sanitised prose HTML, as inline HTML (for a page's two-line lead).

    Cuts at the first sentence end that is outside a tag; the sanitiser then closes any element the
    cut left open. Falls back to the whole first paragraph."""
    match = re.search(r"<p>(.*?)</p>", fragment, re.S)
    if not match:
        return ""
    paragraph = match.group(1)
    depth_free = re.sub(r"<[^>]*>", lambda m: "\0" * len(m.group(0)), paragraph)
    end = _SENTENCE_END.search(depth_free)
    cut = paragraph[: end.end()] if end else paragraph
    return sanitise(cut)


def sanitise(fragment: str) -> str:
    """The allow-list: what prose may produce, nothing else (handlers, styles, ids, scripts are dropped).

    Braces are written as character references: the page's Markdown runs attr_list over this HTML too
    (md_in_html parses it into the tree), so a "{: onclick=… }" left as text at the end of a block
    would otherwise become attributes."""
    clean = nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes={**{tag: set(names) for tag, names in ATTRIBUTES.items()}, "th": {"style"}, "td": {"style"}},
        filter_style_properties={"text-align"},
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return clean.replace("{", "&#123;").replace("}", "&#125;")
