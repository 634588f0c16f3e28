"""Pagefind: the handbook's search for a site served over http(s), the same for MkDocs and Zensical.

`handbook build` calls `index_site` after finish. It marks what Pagefind reads in the built HTML (the theme's
content `<article>` of every page that the theme's search would have indexed, weighted by the page's
`search: boost`), copies the engine's search script and stylesheet, and runs the Pagefind binary with Swedish
stemming. The file:// edition (`csp: false`, mkdocs-offline.yml) keeps the theme's own search: Pagefind fetches
its index, which browsers refuse on file://.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from handbook.load.files import write_atomic
from handbook.site.csp import CONTENT_CLASS, _offset, parse

# The value of extra.handbook_search that tells the header partial to show Pagefind's search box.
PAGEFIND = "pagefind"
LANGUAGE = "sv"
BUNDLE = "pagefind"
ASSETS = Path(__file__).parents[1] / "render" / "assets"
SEARCH_ASSETS = ("search.js", "search.css")
SITE_ASSETS = "assets/handbook"
FRONT_MATTER = re.compile(r"\A\s*---\r?\n(.*?)\r?\n---\s*$", re.S | re.M)
# Material's search plugin is "search" or "material/search"; Zensical reads the same names.
THEME_SEARCH = ("search", "material/search")


class SearchError(Exception):
    """Pagefind could not index the site; the message is for the maintainer."""


def wants_pagefind(options: dict) -> bool:
    """Pagefind for every edition served over http(s); `csp: false` marks the file:// edition."""
    return bool(options.get("csp", True))


def with_pagefind(config: dict, builder: str = "mkdocs") -> dict:
    """The builder config without the theme's own search plugin, and the flag the header partial reads.

    Zensical builds its own search index unless told not to (even with no search plugin listed), so for it the
    plugin is listed, switched off. Its index also stopped the 100x build: one section was over its 16 KB limit."""
    out = dict(config)
    out["plugins"] = [
        p
        for p in config.get("plugins") or []
        if not (p in THEME_SEARCH or (isinstance(p, dict) and set(p) & set(THEME_SEARCH)))
    ]
    if builder == "zensical":
        out["plugins"].append({"search": {"enabled": False}})
    out["extra"] = {**(config.get("extra") or {}), "handbook_search": PAGEFIND}
    return out


def uses_pagefind(config: dict | None) -> bool:
    return bool(config) and (config.get("extra") or {}).get("handbook_search") == PAGEFIND


def _html_path(rel: str) -> str:
    """The built page of a Markdown file, with directory URLs (the handbook always uses them)."""
    stem = rel.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def page_search(docs: Path) -> dict[str, dict]:
    """The `search:` front matter of every rendered page ({} when it has none), by its built HTML path."""
    found = {}
    for path in sorted(docs.rglob("*.md")):
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        try:
            meta = yaml.safe_load(match.group(1)) if match else None
        except yaml.YAMLError:
            meta = None
        search = meta.get("search") if isinstance(meta, dict) else None
        found[_html_path(path.relative_to(docs).as_posix())] = search if isinstance(search, dict) else {}
    return found


def _weight(search: dict) -> float:
    boost = search.get("boost", 1)
    return min(max(float(boost), 0.0), 10.0) if isinstance(boost, (int, float)) else 1.0


MARKS = " data-pagefind-body data-pagefind-weight="


def _content_tag_end(html: str, page, parsed: str) -> int | None:
    """Where the theme's content <article> start tag ends its class attribute (the first such article, as parsed:
    content cannot put one before it); None on a page without it. page is the parse of parsed, which is html
    or html before something was inserted ahead of the article (finish's policy, in <head>)."""
    if page.content_start is None:
        return None
    at = _offset(parsed, page.content_start) + len(html) - len(parsed)
    opening = f'<article class="{CONTENT_CLASS}"'
    return at + len(opening) if html.startswith(opening, at) else None


def mark_page(html: str, search: dict) -> str:
    """The page with Pagefind's attributes on the theme's content <article>. A page excluded from search, or
    without the article, is left as it is, and Pagefind then skips it because other pages have
    data-pagefind-body. Marking twice changes nothing."""
    return marked(html, search, parse(html, until_content=True))[0]


def marked(html: str, search: dict, page, parsed: str | None = None) -> tuple[str, bool]:
    """The page with the marks, and whether it carries them. page is site.csp's parse of parsed (default: html),
    the page before finish inserted its policy into <head>."""
    end, text, has_marks = mark_insertion(html, search, page, parsed)
    return (html if end is None else html[:end] + text + html[end:]), has_marks


def mark_insertion(html: str, search: dict, page, parsed: str | None = None) -> tuple[int | None, str, bool]:
    """Where the marks go (None: nowhere), the marks, and whether the page carries them then."""
    end = _content_tag_end(html, page, html if parsed is None else parsed)
    if end is None:
        return None, "", False
    if search.get("exclude") or html.startswith(MARKS, end):
        return None, "", html.startswith(MARKS, end)
    return end, f'{MARKS}"{_weight(search):g}"', True


def mark_site(site: Path, docs: Path) -> int:
    """Mark every page of site that its rendered Markdown in docs lets the search index; returns how many are
    marked."""
    count = 0
    for rel, search in page_search(docs).items():
        path = site / rel
        if not path.is_file():
            continue
        html = path.read_text(encoding="utf-8")
        done, has_marks = marked(html, search, parse(html, until_content=True))
        if done != html:
            write_atomic(path, done, durable=False)
        count += has_marks
    return count


def pagefind_command(site: Path) -> list[str]:
    from pagefind_bin import get_executable

    return [
        str(get_executable()),
        "--site",
        str(site),
        "--output-subdir",
        BUNDLE,
        "--force-language",
        LANGUAGE,
        "--silent",
    ]


def index_site(site: Path, docs: Path, already_marked: int | None = None) -> int:
    """Mark, copy the search UI, index with Pagefind. Returns the number of pages indexed; SearchError when none
    could be, or when Pagefind fails. already_marked: how many pages finish already marked (finish_site with search),
    so that they are not parsed again."""
    count = mark_site(site, docs) if already_marked is None else already_marked
    if not count:
        raise SearchError(f"Ingen sida i {site} kunde märkas för sökningen.")
    (site / SITE_ASSETS).mkdir(parents=True, exist_ok=True)
    for name in SEARCH_ASSETS:
        shutil.copyfile(ASSETS / name, site / SITE_ASSETS / name)
    shutil.rmtree(site / BUNDLE, ignore_errors=True)
    try:
        result = subprocess.run(pagefind_command(site), capture_output=True, text=True, check=False)
    except (OSError, ImportError) as error:
        raise SearchError(f"Sökindexet kunde inte byggas: Pagefind saknas eller kan inte startas ({error}).") from None
    if result.returncode != 0 or not (site / BUNDLE / "pagefind.js").is_file():
        raise SearchError("Sökindexet kunde inte byggas (Pagefind): " + (result.stderr or result.stdout).strip())
    return count
