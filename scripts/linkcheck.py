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
pages, meta refresh, dot segments above the root, which it missed), so lychee is dropped.

At 100x the site is 1.4 GB of HTML with 4.2 million links, nearly all of them the navigation repeated
on every page. A page is checked as soon as it is read and then dropped (only anchors are kept), and a
link text is resolved once per folder it depends on (`../x/` once for all pages of a section,
root-absolute and root-climbing links once for the site); an anchor on another page is looked up once
all pages are read. The files are read in chunks by one worker process per CPU (`--jobs`); the chunks'
results merge to the same output whatever the number of workers. See BENCHMARKS.md.

Prints one Swedish line per broken link, with the page it is on, then a summary.
Usage: python scripts/linkcheck.py [SITE_DIR] [--jobs N]   (SITE_DIR: site; N: 0, one per CPU, at most 4)
Exit code: 0 all internal links and anchors resolve; 1 broken links (listed); 2 no site.
"""

from __future__ import annotations

import argparse
import html
import os
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
# A run of text, end tags and start tags without a collected attribute (most of a page's navigation) is
# consumed by the same match as the tag that ends it, so that Python sees only the tags it needs. For
# speed only (each is matched as it would be without): `class="…"`, the most common attribute, skips
# the test against the collected names, which tries the common ones first; a navigation link (`<a href`)
# ends the run at once. Anything unusual falls through to a token of its own (a stray "<" to a run).
_RAW_TEXT = r"s(?:cript|tyle)|t(?:extarea|itle)"
_NAMES = "|".join(["href", "id", "src", *sorted(COLLECTED - {"href", "id", "src"})])
_ATTRS = r"""(?:[^'">]++|"[^"]*+"|'[^']*+')*+"""
_OTHER_ATTR = (
    rf"""\s++class="[^"]*+"|\s++(?!(?:{_NAMES})\s*+=)[^\s"'>/=]++"""
    r"""(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]++))?+"""
)
_RUN = (
    rf"(?:[^<]++|</[a-zA-Z][^>]*+>|<(?!(?:{_RAW_TEXT})[\s/>]|a\s++href=\")[a-zA-Z][^\s/>]*+(?:{_OTHER_ATTR})*+"
    rf"\s*+/?>)++"
)
# findall gives one tuple per match: (href, rawtag, rawattrs, raw, tag, attrs), "" for a group not taken.
HTML_TOKEN = re.compile(
    rf"(?:{_RUN})?+"
    rf"(?:<a\s++href=\"(?P<href>[^\"&]++)\"(?:\s++class=\"[^\"]*+\")?+\s*+>"  # a navigation link: the most common tag
    rf"|<(?:!--.*?(?:-->|\Z)"
    rf"|(?P<rawtag>{_RAW_TEXT})(?=[\s/>])(?P<rawattrs>{_ATTRS})>(?P<raw>.*?)(?:</(?P=rawtag)\s*>|\Z)"
    rf"|(?P<tag>[a-zA-Z][^\s/>]*)(?P<attrs>{_ATTRS})>)"
    rf"|)",
    re.S | re.I,
)
HTML_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
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
    tests/test_linkcheck.py compares the two), and it is about eight times faster, which the 100x site
    (1.4 GB of HTML) needs."""
    links = page.links
    for href, rawtag, rawattrs, raw, tag, attrs in HTML_TOKEN.findall(text):
        if href:
            links.add(href)
        elif attrs:
            if "=" in attrs:
                start_tag(page, tag.lower(), attrs)
        elif rawtag:  # an element whose content is text: only its start tag (and a style's CSS) counts
            if "=" in rawattrs:
                start_tag(page, rawtag.lower(), rawattrs)
            if raw and rawtag.lower() == "style":
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
            page.links.add(value)
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


def site_files(root: Path) -> list[tuple[str, Path]]:
    """Every page and style sheet under root, sorted, with its site path (/dir/index.html, /assets/x.css)."""
    return [
        ("/" + path.relative_to(root).as_posix(), path)
        for path in sorted(root.rglob("*"))
        if path.suffix.lower() in (".html", ".htm", ".css") and path.is_file()
    ]


def read_page(path: Path) -> Page:
    """One page's anchors and link texts, or one style sheet's url() targets."""
    page = Page()
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".css":
        page.links.update(css_urls(text))
    else:
        scan_html(text, page)
    return page


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


def valid_external(href: str) -> bool:
    """External links are not fetched; an http(s) address that cannot be one is still broken."""
    try:
        parts = urlsplit(href)
        return parts.scheme.lower() not in ("http", "https") or valid_host(parts.hostname or "")
    except ValueError:  # an unclosed [ of an IPv6 address
        return False


def clean(href: str) -> str:
    """A link text as a browser reads the URL: outer spaces stripped, tabs and newlines inside dropped."""
    href = href.strip(" \t\n\r\f")
    return href.translate(URL_WHITESPACE) if "\n" in href or "\t" in href or "\r" in href else href


def has_anchor(anchors: set[str], fragment: str) -> bool:
    """Whether a page has the fragment's element, as a browser finds it: raw, then percent-decoded."""
    try:
        decoded = unquote(fragment, errors="strict")
    except UnicodeDecodeError:
        decoded = fragment
    return fragment in anchors or decoded in anchors


# What a link's target depends on, as an index into scopes(): the page itself (an empty path: #x, ?q),
# its folder (1) or the folder k levels up (1 + k, for a path of k leading ../ and no other dot segment),
# the root (a root-absolute path); an external link depends on nothing.
PAGE, FOLDER, ROOT, EXTERNAL = 0, 1, 1 << 30, -1


def link_kind(href: str) -> int:
    """Which scope a link text resolves from (see PAGE): one text found on thousands of pages of the same
    folder, or climbing to the same folder, resolves to the same target from each and is checked once."""
    href = clean(href)
    if SCHEME.match(href) or href.startswith("//"):
        return EXTERNAL
    path = href.partition("#")[0].partition("?")[0]
    if not path:
        return PAGE
    if path.startswith("/"):
        return ROOT
    segments = path.split("/")
    climbs = 0
    while climbs < len(segments) and segments[climbs] == "..":
        climbs += 1
    if any(segment in (".", "..") for segment in segments[climbs:]):
        return FOLDER
    return FOLDER + climbs


def scopes(base: str) -> list[str]:
    """A page URL, its folder and each folder above it up to the root: /a/b/ gives /a/b/, /a/b/, /a/, /."""
    folder = base[: base.rindex("/") + 1]
    chain = [base, folder]
    while folder != "/":
        folder = folder[: folder.rindex("/", 0, -1) + 1]
        chain.append(folder)
    return chain


@dataclass
class Result:
    """What checking some of a site's files found. Results of any split of the files merge into the same
    whole: sets, sums, and anchor checks that wait until every page's anchors are known."""

    anchors: dict[str, set[str]] = field(default_factory=dict)  # HTML page -> its anchors
    waiting: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)  # (page, #) -> links
    lines: set[str] = field(default_factory=set)
    internal: int = 0
    external: int = 0

    def merge(self, other: Result) -> None:
        self.anchors.update(other.anchors)
        for target, links in other.waiting.items():
            self.waiting.setdefault(target, []).extend(links)
        self.lines |= other.lines
        self.internal += other.internal
        self.external += other.external


class Checker:
    """Resolves the links of a site's pages, page by page, remembering what each link text meant where."""

    def __init__(self, root: Path):
        self.root = root
        self.targets: dict[str, tuple[str | None, str | None]] = {}  # URL path -> (file, reason)
        self.kinds: dict[str, int] = {}  # link text -> what it resolves from (link_kind)
        # (scope, link text) -> True (resolves), a reason (broken) or (file, fragment) (an anchor to find)
        self.verdicts: dict[tuple[str, str], bool | str | tuple[str, str]] = {}
        self.externals: dict[str, bool] = {}  # external link text -> whether it can be an address
        # parent folder of a page's folder -> the link texts that resolve from any page below it: those
        # climbing at least one folder (or root-absolute) that resolved from one such page
        self.shared: dict[str, set[str]] = {}

    def check_files(self, files: list[tuple[str, Path]]) -> Result:
        """Reads and checks each file; anchors on other pages are left waiting in the result."""
        result = Result()
        for source, path in files:
            page = read_page(path)
            if not source.lower().endswith(".css"):
                result.anchors[source] = page.anchors
            self.check_page(source, page, result)
        return result

    def check_page(self, source: str, page: Page, result: Result) -> None:
        """Checks each link text of one page: each (scope, text) is resolved once for the whole site, the
        navigation repeats the same links on every page, millions of them at 100x. The texts known good
        for every page under the same parent folder are set aside in one set difference."""
        chain = scopes(page_url(source))
        depth = len(chain)
        shared = self.shared.setdefault(chain[2] if depth > 2 else "/", set())
        links = page.links - shared
        kinds, verdicts = self.kinds, self.verdicts
        internal, external = len(page.links) - len(links), 0
        for href in links:
            kind = kinds.get(href)
            if kind is None:
                kind = kinds[href] = link_kind(href)
            if kind == EXTERNAL:
                external += 1
                if not self.external_valid(href):
                    href = clean(href)
                    result.lines.add(f"{display(self.root, source)}: {href} ({UNPARSABLE}: ogiltigt värdnamn)")
                continue
            internal += 1
            if kind == PAGE:  # #x on its own page: nothing to share with other pages
                verdict = self.verdict(chain[PAGE], href)
            else:
                key = (chain[kind] if kind < depth else "/", href)
                verdict = verdicts.get(key)
                if verdict is None:
                    verdict = verdicts[key] = self.verdict(chain[PAGE], href)
            if verdict is True:
                if kind > FOLDER:
                    shared.add(href)
            elif isinstance(verdict, str):
                result.lines.add(self.line(source, href, verdict))
            elif verdict[0] != source:
                result.waiting.setdefault(verdict, []).append((source, href))
            elif not has_anchor(page.anchors, verdict[1]):
                result.lines.add(self.line(source, href, NO_ANCHOR, source))
        result.internal += internal
        result.external += external

    def external_valid(self, href: str) -> bool:
        valid = self.externals.get(href)
        if valid is None:
            valid = self.externals[href] = valid_external(clean(href))
        return valid

    def verdict(self, base: str, href: str) -> bool | str | tuple[str, str]:
        """What an internal link means from a page at base: True when it resolves (a fragment too, or one
        that is not the business of an HTML page), the reason when it does not, or the page and fragment
        whose anchor must exist."""
        rest, _, fragment = clean(href).partition("#")
        file, reason = self.target(resolve(base, rest.partition("?")[0]))
        if reason is not None:
            return reason
        if not fragment or fragment.lower() == "top" or not file.lower().endswith((".html", ".htm")):
            return True  # the top of the page; a fragment in a PDF or an image is the viewer's business
        return file, fragment

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

    def line(self, source: str, href: str, reason: str, file: str | None = None) -> str:
        """The Swedish line for a broken internal link: the page it is on, where it leads, why."""
        rest, _, fragment = clean(href).partition("#")
        path, _, query = rest.partition("?")
        fragment = f"#{fragment}" if fragment else ""
        here = display(self.root, source)
        if fragment and file == source:
            return f"{here}: {fragment} ({reason})"
        query = f"?{query}" if query else ""
        return f"{here}: {display(self.root, unquote(resolve(page_url(source), path)))}{query}{fragment} ({reason})"

    def finish(self, result: Result) -> list[str]:
        """Every broken link's line, sorted, once the anchors of all pages are known."""
        for (file, fragment), links in result.waiting.items():
            anchors = result.anchors.get(file)
            if anchors is not None and not has_anchor(anchors, fragment):
                result.lines.update(self.line(source, href, NO_ANCHOR, file) for source, href in links)
        return sorted(result.lines)


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


# How much of the site (bytes of HTML and CSS) a worker reads and checks at a time: small enough that two
# workers end together, large enough that handing out chunks and merging their results costs nothing.
CHUNK_BYTES = 16 << 20


def chunks(files: list[tuple[str, Path]], size: int) -> list[list[tuple[str, Path]]]:
    """The sorted files cut into consecutive runs of about size bytes (pages of a folder stay together)."""
    parts, part, total = [], [], 0
    for source, path in files:
        part.append((source, path))
        total += path.stat().st_size
        if total >= size:
            parts.append(part)
            part, total = [], 0
    return parts + [part] if part else parts


_worker: Checker | None = None  # each worker process's own checker (and memory of resolved links)


def _start_worker(root: Path) -> None:
    global _worker
    _worker = Checker(root)


def _check_chunk(files: list[tuple[str, Path]]) -> Result:
    return _worker.check_files(files)


def check_site(root: Path, jobs: int) -> tuple[Checker, Result]:
    """Reads and checks every file in chunks, in this process (jobs 1, or a site of one chunk) or in jobs
    worker processes; the chunks' results are merged in file order, and the result is the same either way."""
    parts = chunks(site_files(root), CHUNK_BYTES)
    checker, result = Checker(root), Result()
    if jobs <= 1 or len(parts) <= 1:
        for part in parts:
            result.merge(checker.check_files(part))
    else:
        from concurrent.futures import ProcessPoolExecutor  # here: a small site needs no pool, nor its import

        with ProcessPoolExecutor(min(jobs, len(parts)), initializer=_start_worker, initargs=(root,)) as pool:
            for part in pool.map(_check_chunk, parts):
                result.merge(part)
    return checker, result


def default_jobs() -> int:
    """One worker per usable CPU, at most 4: each holds about 45 MB at 100x, and 4 already end in seconds."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return min(cpus, 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kontrollerar webbplatsens interna länkar och ankare.")
    parser.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default 0: one per CPU, at most 4)")
    args = parser.parse_args(argv)
    root = Path(args.site).resolve()
    if not (root / "index.html").is_file():
        print(f"linkcheck: {root}/index.html saknas; bygg webbplatsen först (make site).", file=sys.stderr)
        return 2
    checker, result = check_site(root, args.jobs or default_jobs())
    broken = checker.finish(result)
    for line in broken:
        print(line)
    if broken:
        print(f"linkcheck: {len(broken)} trasiga länkar eller ankare av {result.internal} interna.")
        return 1
    print(
        f"linkcheck: {result.internal} interna länkar och ankare, inga trasiga "
        f"({result.external} externa, tel: och mailto: hoppades över)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
