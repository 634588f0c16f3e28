"""Pagefind: the handbook's search for a site served over http(s), the same for MkDocs and Zensical.

`handbook build` calls `index_site` after finish. It marks what Pagefind reads in the built HTML (the theme's
content `<article>` of every page that the theme's search would have indexed, weighted by the page's
`search: boost`), copies the engine's search script and stylesheet, and runs the Pagefind binary with Swedish
stemming. The file:// edition (`csp: false`, mkdocs-offline.yml) keeps the theme's own search: Pagefind fetches
its index, which browsers refuse on file://.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
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
# libyaml's safe loader where PyYAML has it: the pure-Python one took 65 ms for the 48 pages' front matter.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
            meta = yaml.load(match.group(1), Loader=SAFE_LOADER) if match else None
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


def index_site(site: Path, docs: Path, already_marked: int | None = None, kept: Path | None = None) -> int:
    """Mark, copy the search UI, index with Pagefind. Returns the number of pages indexed; SearchError when none
    could be, or when Pagefind fails. already_marked: how many pages finish already marked (finish_site with search),
    so that they are not parsed again. kept: a folder where the last bundle is kept by its inputs (site/cache.py):
    when every page is the same as then, the bundle is copied instead of indexed again."""
    count = mark_site(site, docs) if already_marked is None else already_marked
    if not count:
        raise SearchError(f"Ingen sida i {site} kunde märkas för sökningen.")
    (site / SITE_ASSETS).mkdir(parents=True, exist_ok=True)
    for name in SEARCH_ASSETS:
        shutil.copyfile(ASSETS / name, site / SITE_ASSETS / name)
    shutil.rmtree(site / BUNDLE, ignore_errors=True)
    command = pagefind_command(site)
    key = bundle_key(site, command) if kept is not None else ""
    if kept is not None and _restore(kept / key, site / BUNDLE):
        return count
    _run_pagefind(command, site)
    if kept is not None:
        _keep(site / BUNDLE, kept, key)
    return count


def _run_pagefind(command: list[str], site: Path) -> None:
    # In an empty folder: Pagefind reads a pagefind.yml (or .toml, .json) from the folder it runs in, and the
    # folder a build runs in is the handbook's, whose files come in pull requests.
    try:
        with tempfile.TemporaryDirectory(prefix="handbook-pagefind-") as empty:
            result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=empty)
    except (OSError, ImportError) as error:
        raise SearchError(f"Sökindexet kunde inte byggas: Pagefind saknas eller kan inte startas ({error}).") from None
    if result.returncode != 0 or not (site / BUNDLE / "pagefind.js").is_file():
        raise SearchError("Sökindexet kunde inte byggas (Pagefind): " + (result.stderr or result.stdout).strip())


def bundle_key(site: Path, command: list[str]) -> str:
    """The SHA-256 of everything Pagefind's bundle depends on: the program (its path, size and time), its options
    (the site's own path aside) and every HTML file of the site, by path and bytes."""
    program = Path(command[0]).stat()
    digest = hashlib.sha256(
        json.dumps(
            [command[0], program.st_size, program.st_mtime_ns, [c for c in command[1:] if c != str(site)]]
        ).encode()
    )
    for path in sorted(site.rglob("*.html")):
        if BUNDLE not in path.relative_to(site).parts[:1]:
            digest.update(
                path.relative_to(site).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest()
            )
    return digest.hexdigest()


def _restore(source: Path, bundle: Path) -> bool:
    """Copy a kept bundle into the site; False (and nothing left behind) when there is none or it cannot be read."""
    if not (source / "pagefind.js").is_file():
        return False
    try:
        shutil.copytree(source, bundle)
    except OSError:
        shutil.rmtree(bundle, ignore_errors=True)
        return False
    return True


def _keep(bundle: Path, kept: Path, key: str) -> None:
    """Keep the bundle under its key, and only the newest. A bundle comes into place and goes out of it by one
    rename, so a build copying from the folder at the same time copies a whole bundle or fails (and indexes). A
    folder that cannot be written only means the next build indexes again."""
    try:
        kept.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".work-", dir=kept))
    except OSError:
        return
    try:
        shutil.copytree(bundle, work / BUNDLE)
        (work / BUNDLE).rename(kept / key)
        for old in kept.iterdir():
            if old.name != key and not old.name.startswith("."):
                old.rename(work / old.name)
    except OSError:
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
