"""A Content-Security-Policy for each built page: only the site's own origin.

The theme puts a few small inline scripts in every page (they differ by page depth), so the
policy allows exactly those by their SHA-256 hashes instead of allowing inline scripts at all.
What is the theme's is decided structurally, from the page as an HTML parser reads it (never by
a substring, which content could write inside a title or an attribute):

- a page with the theme's layout (an element of class `md-content`): every inline script outside
  the content, i.e. before the content `<article class="md-content__inner md-typeset">` starts or
  after the last `</article>` (content may contain a stray one; the theme never puts one after its own);
- any other page (the engine's redirect pages): only a script that is exactly the engine's redirect
  (`location.replace("<path>" + location.hash);`); a static page from content gets no script at all.

Pure: HTML in, HTML out.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

CONTENT_CLASS = "md-content__inner md-typeset"
THEMED_CLASS = "md-content"
# The one script a page of the engine's own without the theme may carry (render/attachments.py redirects).
REDIRECT_SCRIPT = re.compile(r'location\.replace\("[^"\\<>\x00-\x1f]*" \+ location\.hash\);')
CSP = "content-security-policy"


class UnknownLayout(ValueError):
    """A themed page whose content element cannot be found: its scripts cannot be told apart."""


@dataclass
class Script:
    attrs: dict[str, str | None]
    at: tuple[int, int]
    body: str = ""


@dataclass
class _Page(HTMLParser):
    """What finish needs from a page, as a browser's parser would see it."""

    scripts: list[Script] = field(default_factory=list)
    themed: bool = False
    content_start: tuple[int, int] | None = None
    last_article_end: tuple[int, int] | None = None
    head_csp: bool = False
    charset_end: tuple[int, int] | None = None  # (line, column) just after <meta charset>
    head_end: tuple[int, int] | None = None
    _script: Script | None = None
    _in_head: bool = False
    # Browsers read <title> and <textarea> as text (RCDATA); Python's parser may not, so tags there are ignored.
    _in_text: str = ""
    # Stop at the content <article> (parse(until_content=True)).
    until_content: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=False)

    def handle_starttag(self, tag, attrs):
        if self._in_text:
            return
        if tag in ("title", "textarea"):
            self._in_text = tag
        named = dict(attrs)
        classes = (named.get("class") or "").split()
        if THEMED_CLASS in classes:
            self.themed = True
        if tag == "article" and named.get("class") == CONTENT_CLASS and self.content_start is None:
            self.content_start = self.getpos()
            if self.until_content:
                raise _ContentFound
        if tag == "head":
            self._in_head = True
            line, col = self.getpos()
            self.head_end = (line, col + len(self.get_starttag_text() or ""))
        elif tag == "body":
            self._in_head = False
        elif tag == "meta" and self._in_head:
            if (named.get("http-equiv") or "").strip().lower() == CSP:
                self.head_csp = True
            if "charset" in named and self.charset_end is None:
                line, col = self.getpos()
                self.charset_end = (line, col + len(self.get_starttag_text() or ""))
        elif tag == "script":
            self._script = Script(named, self.getpos())

    def handle_endtag(self, tag):
        if self._in_text:
            self._in_text = "" if tag == self._in_text else self._in_text
            return
        if tag == "head":
            self._in_head = False
        elif tag == "article":
            self.last_article_end = self.getpos()
        elif tag == "script" and self._script is not None:
            self.scripts.append(self._script)
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.body += data

    def in_content(self, script: Script) -> bool:
        return (
            self.content_start is not None
            and self.last_article_end is not None
            and self.content_start <= script.at <= self.last_article_end
        )


class _ContentFound(Exception):
    """Stops a parse that only needs the content <article>'s place."""


def parse(html: str, until_content: bool = False) -> _Page:
    """The page as parsed; until_content stops at the theme's content <article> start tag (the search needs only
    its place, and the rest of a page is most of its length)."""
    page = _Page(until_content=until_content)
    try:
        page.feed(html)
        page.close()
    except _ContentFound:
        pass
    return page


def has_policy(html: str) -> bool:
    """Whether the page's <head> already has a CSP meta element (as parsed, not as text)."""
    return parse(html).head_csp


def _inline(script: Script) -> bool:
    kind = (script.attrs.get("type") or "").strip().lower()
    return (
        "src" not in script.attrs
        and kind not in ("application/json", "application/ld+json")
        and bool(script.body.strip())
    )


def trusted_scripts(html: str) -> list[str]:
    """The bodies of the inline scripts the theme or the engine rendered, decided by the page's structure."""
    return _trusted(parse(html))


def _trusted(page: _Page) -> list[str]:
    if page.themed:
        if page.content_start is None or page.last_article_end is None or page.last_article_end < page.content_start:
            raise UnknownLayout("the page has the theme's layout but no closed content <article>")
        return [s.body for s in page.scripts if _inline(s) and not page.in_content(s)]
    return [
        s.body
        for s in page.scripts
        if _inline(s) and REDIRECT_SCRIPT.fullmatch(s.body.strip()) and s.body == s.body.strip()
    ]


def policy(html: str) -> str:
    """The policy for a page: the inline scripts it may run, by hash."""
    return _policy(parse(html))


def _policy(page: _Page) -> str:
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
            for body in _trusted(page)
        }
    )
    return "; ".join(
        [
            "default-src 'self'",
            # 'wasm-unsafe-eval': the search (Pagefind) compiles its WebAssembly; it allows no eval() of JavaScript.
            " ".join(["script-src 'self' 'wasm-unsafe-eval'", *hashes]),
            # Material sets style attributes from its scripts (e.g. the header shadow); no other origin.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",  # the search fetches its index files from this site
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'none'",
        ]
    )


def _offset(html: str, at: tuple[int, int]) -> int:
    line, column = at
    start = 0
    for _ in range(line - 1):
        start = html.index("\n", start) + 1
    return start + column


def with_policy(html: str, page: _Page | None = None) -> str:
    """The page with a CSP meta tag right after its charset declaration (or at the start of its head); page is
    the page as parsed, when the caller has it already."""
    index, tag = policy_insertion(html, page or parse(html))
    return html[:index] + tag + html[index:]


def policy_insertion(html: str, page: _Page) -> tuple[int, str]:
    """Where the CSP meta tag goes in the parsed page, and the tag."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{_policy(page)}">'
    at = page.charset_end or page.head_end
    return (0 if at is None else _offset(html, at)), tag
