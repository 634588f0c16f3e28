"""The pass over a built site that every builder gets: `handbook finish SITE`.

Runs after MkDocs or Zensical has written the HTML, so it needs nothing from either: today it
gives every page its Content-Security-Policy (site.csp). A page that already has one is left as
it is, so running the pass twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from handbook.load.files import write_atomic
from handbook.site.csp import parse, policy_insertion
from handbook.site.search import mark_insertion

# What finish inserts into one page: (offset, text) in order, and whether the page then has the search's marks.
Insertions = tuple[list[tuple[int, str]], bool]


def finish_page(html: str, search: dict | None = None) -> str:
    """The page with its CSP; with search (the page's `search:` front matter), also with the search's marks."""
    return _apply(html, _insertions(html, search)[0])


def _insertions(html: str, search: dict | None) -> Insertions:
    # Decided by parsing the <head>: a title or an attribute holding the words of a CSP tag is not one. One parse
    # gives that, the scripts to trust, where the policy goes and where the content <article> starts.
    page = parse(html)
    found = [] if page.head_csp else [policy_insertion(html, page)]
    if search is None:
        return found, False
    # The policy goes into <head>, before the article: the article moves by what was inserted.
    done = _apply(html, found)
    end, text, has_marks = mark_insertion(done, search, page, parsed=html)
    if end is not None:
        found.append((end - sum(len(t) for _, t in found), text))
    return found, has_marks


def _apply(html: str, insertions: list[tuple[int, str]]) -> str:
    """html with each text inserted at its offset (offsets in html as it was, in order)."""
    parts, last = [], 0
    for at, text in insertions:
        parts += [html[last:at], text]
        last = at
    return "".join(parts) + html[last:]


def finish_site(site: Path, search: dict[str, dict] | None = None, memory: dict | None = None) -> int:
    """Finish every HTML page under site; returns how many were changed. With search (built HTML path -> the
    page's `search:` front matter, search.page_search), mark the pages for the search in the same pass and
    return how many carry the marks (a page search leaves out is finished but not marked).

    memory (handbook build's, kept in site/cache.py): what was inserted into a page, by the SHA-256 of the page
    and its search settings. A builder writes the same HTML for the same tree, so a warm build inserts the same
    texts without parsing again; the key is the page's whole content, so a changed page is parsed. memory is
    replaced by the entries of this site's pages."""
    changed = marks = 0
    seen: dict = {}
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        wanted = None if search is None else search.get(path.relative_to(site).as_posix())
        key = hashlib.sha256((json.dumps(wanted, sort_keys=True) + "\0" + html).encode()).hexdigest()
        found = memory.get(key) if memory is not None else None
        if not _usable(found, html):
            found = _insertions(html, wanted)
        seen[key] = found
        done, has_marks = _apply(html, found[0]), found[1]
        if done != html:
            write_atomic(path, done, durable=False)
            changed += 1
        marks += has_marks
    if memory is not None:
        memory.clear()
        memory.update(seen)
    return changed if search is None else marks


def _usable(found: object, html: str) -> bool:
    """A remembered entry of the right shape (it comes from a file: anything else means parse again)."""
    if not (isinstance(found, (list, tuple)) and len(found) == 2 and isinstance(found[0], list)):
        return False
    last = 0
    for item in found[0]:
        if not (isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[1], str)):
            return False
        if not (isinstance(item[0], int) and last <= item[0] <= len(html)):
            return False
        last = item[0]
    return isinstance(found[1], bool)
