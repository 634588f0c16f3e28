"""Check every internal link and anchor of a built site, offline, in one pass (`make site`'s gate).

Reads each page and style sheet of the site once: every `.html` file gives its anchors (`id` on any
element, `name` on `<a>`) and its links (href, src, srcset and the other URL attributes, a
`<meta http-equiv="refresh">` target, CSS `url()` and `@import` in `<style>` and `style=""`), every
`.css` file its `url()` and `@import`. Each link is then resolved the way a browser and a static web
server resolve it: relative to the page's URL (`dir/index.html` is at `/dir/`), root-absolute from the
site's root, dot segments clamped at the root, the path percent-decoded, `dir/` served as
`dir/index.html` (no listing: a directory without `index.html` is broken), a path ending in `/` must be
a directory. A `#fragment` on an HTML page must match an anchor exactly (case counts) or after
percent-decoding, as the HTML standard finds it; an empty fragment and `#top` are the top of the page.
Nothing is fetched: external http(s) links, tel:, mailto: and other schemes are skipped (an http(s)
address whose host cannot be a host, such as `https://…`, still fails); sitemap.xml, the search index
and attachments are data, not pages, and are not read.

Why not lychee (used until 2026-12): lychee 0.24.2 reads the target file from disk again for every
link with a fragment (its cache keeps only the parsed anchor list per URL, after the read), so at 100x
the 12 MB catalogue page was read once per anchor: 9.5 minutes. There is no option to avoid the read,
and without fragments lychee still took 79 s at 100x; this pass covers what lychee checked (and CSS in
pages, meta refresh, dot segments above the root, which it missed), so lychee is dropped. A link text
that means the same on every page (the navigation's root-climbing and root-absolute links) is checked
once. See BENCHMARKS.md.

Prints one Swedish line per broken link, with the page it is on, then a summary.
Usage: python scripts/linkcheck.py SITE_DIR
Exit code: 0 all internal links and anchors resolve; 1 broken links (listed); 2 no site.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

NOT_FOUND = "sidan eller filen finns inte"
NO_INDEX = "mappen har ingen index.html"
NO_ANCHOR = "ankaret finns inte på sidan"
UNPARSABLE = "adressen går inte att tolka"

# Attributes that hold one URL: on every element (as lychee and browsers treat them), or on named ones.
URL_ATTRS = {"href", "src", "cite", "usemap"}
ELEMENT_URL_ATTRS = {
    ("video", "poster"),
    ("object", "data"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
    ("body", "background"),
    ("html", "manifest"),
}
COLLECTED = (
    URL_ATTRS | {name for _, name in ELEMENT_URL_ATTRS} | {"id", "name", "srcset", "style", "http-equiv", "content"}
)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
REFRESH_URL = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?['\"]?([^'\"]*)", re.I)
SRCSET_GAP = re.compile(r"[\s,]*")
SRCSET_URL = re.compile(r"\S+")
SRCSET_DESCRIPTORS = re.compile(r"(?:[^,(]|\([^)]*\)?)*,?")
# Tokens of an HTML page that matter here: comments, elements whose content is raw text (scripts, styles,
# textarea, title: no tags inside), and other start tags; attribute values may hold ">" inside quotes.
# A run of text, end tags and start tags without a collected attribute is one token (most of a page's
# navigation), so that Python sees only the tags it needs; anything unusual falls through to a token.
_ATTRS = r"""(?:[^'">]++|"[^"]*+"|'[^']*+')*+"""
_OTHER_ATTR = (
    rf"""\s++(?!(?:{"|".join(sorted(COLLECTED, key=len, reverse=True))})\s*+=)[^\s"'>/=]++"""
    r"""(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]++))?+"""
)
HTML_TOKEN = re.compile(
    rf"(?:[^<]++|</[a-zA-Z][^>]*+>|<(?!(?:script|style|textarea|title)[\s/>])[a-zA-Z][^\s/>]*+(?:{_OTHER_ATTR})*+"
    rf"\s*+/?>)++"
    rf"|<a\s++href=\"(?P<href>[^\"&]*+)\"(?:\s++class=\"[^\"]*+\")?+\s*+>"  # a navigation link: the most common tag
    rf"|<(?:!--.*?(?:-->|\Z)"
    rf"|(?P<rawtag>script|style|textarea|title)(?=[\s/>])(?P<rawattrs>{_ATTRS})>(?P<raw>.*?)(?:</(?P=rawtag)\s*>|\Z)"
    rf"|(?P<tag>[a-zA-Z][^\s/>]*)(?P<attrs>{_ATTRS})>)",
    re.S | re.I,
)
HTML_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
ANY_DEPTH = 1 << 30
SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")  # an absolute URL: external to the site
URL_WHITESPACE = str.maketrans("", "", "\t\n\r")
HOST_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$", re.I)


@dataclass
class Page:
    """What one file of the site holds: its anchors (HTML only) and the link texts on it, each once."""

    anchors: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)


def scan_html(text: str, page: Page) -> None:
    """Collects the anchors and link texts of one HTML page, tag by tag.

    A tokenizer of a few regular expressions, not html.parser: it finds the same tags and attributes in
    the same places (start tags, outside comments and the raw text of script, style, textarea and title;
    tests/test_linkcheck.py compares the two), and it is about five times faster, which the 100x site
    (1.4 GB of HTML) needs."""
    links = page.links
    for token in HTML_TOKEN.finditer(text):
        last = token.lastgroup
        if last == "href":
            links.add(sys.intern(token.group("href")))
        elif last == "attrs":
            tag, attributes = token.group("tag", "attrs")
            if "=" in attributes:
                start_tag(page, tag.lower(), attributes)
        elif last == "raw":  # an element whose content is text: only its start tag (and a style's CSS) counts
            tag, attributes, raw = token.group("rawtag", "rawattrs", "raw")
            if "=" in attributes:
                start_tag(page, tag.lower(), attributes)
            if raw and tag.lower() == "style":
                links.update(css_urls(raw))


def start_tag(page: Page, tag: str, text: str) -> None:
    """Adds what one start tag's attributes hold to the page: anchors, link texts."""
    seen = set()
    refresh = content = None
    for name, double, single, bare in HTML_ATTR.findall(text):
        name = name.lower()
        if name not in COLLECTED or name in seen:  # the first of two equal names counts, as in a browser
            continue
        seen.add(name)
        value = double or single or bare
        if "&" in value:
            value = html.unescape(value)
        if name in URL_ATTRS or (tag, name) in ELEMENT_URL_ATTRS:
            page.links.add(sys.intern(value))
        elif name == "id" or (name == "name" and tag == "a"):
            page.anchors.add(value)
        elif name == "srcset":
            page.links.update(srcset_urls(value))
        elif name == "style":
            page.links.update(css_urls(value))
        elif tag == "meta":
            refresh = value.lower() == "refresh" if name == "http-equiv" else refresh
            content = value if name == "content" else content
    if refresh and content:
        target = REFRESH_URL.match(content).group(1).strip()
        if target:
            page.links.add(target)


def srcset_urls(value: str) -> list[str]:
    """The image URLs of a srcset, parsed as the HTML standard does: a URL, then descriptors up to a comma
    outside parentheses; a URL may itself hold commas (data:), but not at its end."""
    urls, pos = [], 0
    while True:
        pos = SRCSET_GAP.match(value, pos).end()
        if pos >= len(value):
            return urls
        url = SRCSET_URL.match(value, pos)
        pos = url.end()
        urls.append(url.group().rstrip(","))
        if not url.group().endswith(","):
            pos = SRCSET_DESCRIPTORS.match(value, pos).end()


def css_urls(text: str) -> list[str]:
    """Every url() and @import target in CSS text, except fragment-only references (SVG filters, masks)."""
    urls = []
    for match in CSS_URL.finditer(CSS_COMMENT.sub("", text)):
        url = next(group for group in match.groups() if group is not None).strip()
        if url and not url.startswith("#"):
            urls.append(url)
    return urls


def read_site(root: Path) -> dict[str, Page]:
    """Every page and style sheet under root, read once, by its site path (/dir/index.html, /assets/x.css)."""
    pages = {}
    for path in sorted(root.rglob("*")):
        suffix = path.suffix.lower()
        if suffix not in (".html", ".htm", ".css") or not path.is_file():
            continue
        page = Page()
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix == ".css":
            page.links.update(css_urls(text))
        else:
            scan_html(text, page)
        pages["/" + path.relative_to(root).as_posix()] = page
    return pages


def page_url(file: str) -> str:
    """The URL a page is served at: /dir/ for /dir/index.html, the file's own path otherwise."""
    return file[: -len("index.html")] if file.endswith("/index.html") else file


def display(root: Path, path: str) -> str:
    """How a site path is shown: /dir/ for an existing directory or its index.html, /name otherwise."""
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    bare = path.rstrip("/")
    return bare + "/" if (root / bare.lstrip("/")).is_dir() else (bare or "/")


def valid_host(host: str) -> bool:
    """Whether an external address's host could be a host name or address (`…` and `a..b` cannot)."""
    if ":" in host:
        return True  # an IPv6 literal (urlsplit drops its brackets and has rejected a malformed one)
    try:
        labels = host.encode("idna").decode("ascii").removesuffix(".").split(".")
    except UnicodeError:
        return False
    return all(HOST_LABEL.match(label) for label in labels)


class Checker:
    """Resolves the links of a read site and lists the broken ones."""

    def __init__(self, root: Path, pages: dict[str, Page]):
        self.root, self.pages = root, pages
        self.targets: dict[str, tuple[str | None, str | None]] = {}  # URL path -> (file, reason)
        self.internal = self.external = 0

    def target(self, path: str) -> tuple[str | None, str | None]:
        """The file a URL path is served from, or the reason it is not; each path looked up once."""
        if path not in self.targets:
            self.targets[path] = self._lookup(unquote(path))
        return self.targets[path]

    def _lookup(self, path: str) -> tuple[str | None, str | None]:
        file = self.root / path.lstrip("/")
        if file.is_dir():
            index = path.rstrip("/") + "/index.html"
            return (index, None) if (self.root / index.lstrip("/")).is_file() else (None, NO_INDEX)
        if path.endswith("/") or not file.is_file():
            return None, NOT_FOUND
        return path, None

    def has_anchor(self, file: str, fragment: str) -> bool:
        """Whether the page has the fragment's element, as a browser finds it (raw, then decoded; #top)."""
        if not fragment or fragment.lower() == "top":
            return True
        if not file.lower().endswith((".html", ".htm")):
            return True  # a fragment in a PDF or an image is the viewer's business
        page = self.pages.get(file)
        if page is None:
            return True
        try:
            decoded = unquote(fragment, errors="strict")
        except UnicodeDecodeError:
            decoded = fragment
        return fragment in page.anchors or decoded in page.anchors

    def check(self, source: str, href: str) -> str | None:
        """None when the link resolves (or is not internal), else the Swedish line for it."""
        href = href.strip(" \t\n\r\f").translate(URL_WHITESPACE)
        if SCHEME.match(href) or href.startswith("//"):
            return self.check_external(source, href)
        self.internal += 1
        rest, _, fragment = href.partition("#")
        path, _, query = rest.partition("?")
        path = resolve(page_url(source), path)
        file, reason = self.target(path)
        if file and fragment and not self.has_anchor(file, fragment):
            reason = NO_ANCHOR
        if reason is None:
            return None
        fragment = f"#{fragment}" if fragment else ""
        here = display(self.root, source)
        if fragment and file == source:
            return f"{here}: {fragment} ({reason})"
        query = f"?{query}" if query else ""
        return f"{here}: {display(self.root, unquote(path))}{query}{fragment} ({reason})"

    def check_external(self, source: str, href: str) -> str | None:
        """External links are not fetched; an http(s) address that cannot be one is still broken."""
        self.external += 1
        try:
            parts = urlsplit(href)
            valid = parts.scheme.lower() not in ("http", "https") or valid_host(parts.hostname or "")
        except ValueError:  # an unclosed [ of an IPv6 address
            valid = False
        return None if valid else f"{display(self.root, source)}: {href} ({UNPARSABLE}: ogiltigt värdnamn)"

    def broken(self) -> list[str]:
        """Every broken link's line, sorted. A link that resolved the same from any page at most `depth`
        folders deep (root-absolute, external, or climbing that many ../) is checked once: the navigation
        repeats the same links on every page, millions of them at 100x."""
        lines, good = set(), {}  # good: link text -> (deepest page folder it holds for, is external)
        for source, page in self.pages.items():
            depth = page_url(source).count("/") - 1
            for href in page.links:
                known = good.get(href)
                if known is not None and known[0] >= depth:
                    self.external += known[1]
                    self.internal += not known[1]
                    continue
                line = self.check(source, href)
                if line is None:
                    holds = page_independence(href)
                    if holds is not None:
                        good[href] = holds
                else:
                    lines.add(line)
        return sorted(lines)


def page_independence(href: str) -> tuple[int, bool] | None:
    """For a link text that resolves the same from every page up to some folder depth: that depth and
    whether it is external; None for one that depends on the page (same-page and plain relative links)."""
    if SCHEME.match(href) or href.startswith("//"):
        return ANY_DEPTH, True
    path = href.partition("#")[0].partition("?")[0]
    if path.startswith("/"):
        return (ANY_DEPTH, False) if "/." not in path else None
    segments = path.split("/")
    climbs = 0
    while climbs < len(segments) and segments[climbs] == "..":
        climbs += 1
    if not path or climbs == 0 or any(segment in (".", "..") for segment in segments[climbs:]):
        return None
    return climbs, False


def resolve(base: str, path: str) -> str:
    """A link's path resolved against its page's URL path as a browser does (RFC 3986, section 5.2):
    empty is the page itself, /x is from the root, else relative to the page's folder; dot segments
    are removed and cannot climb above the root."""
    if not path:
        return base
    if not path.startswith("/"):
        path = base[: base.rindex("/") + 1] + path
    if "." not in path:
        return path
    out = []
    segments = path.split("/")[1:]
    for segment in segments:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    if segments[-1] in (".", ".."):
        out.append("")
    return "/" + "/".join(out)


def main(site: str) -> int:
    root = Path(site).resolve()
    if not (root / "index.html").is_file():
        print(f"linkcheck: {root}/index.html saknas; bygg webbplatsen först (make site).", file=sys.stderr)
        return 2
    checker = Checker(root, read_site(root))
    broken = checker.broken()
    for line in broken:
        print(line)
    if broken:
        print(f"linkcheck: {len(broken)} trasiga länkar eller ankare av {checker.internal} interna.")
        return 1
    print(
        f"linkcheck: {checker.internal} interna länkar och ankare, inga trasiga "
        f"({checker.external} externa, tel: och mailto: hoppades över)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "site"))
