"""The pass over a built site that every builder gets: `handbook finish SITE`.

Runs after MkDocs or Zensical has written the HTML, so it needs nothing from either: today it
gives every page its Content-Security-Policy (site.csp). A page that already has one is left as
it is, so running the pass twice changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from handbook.load.files import write_atomic
from handbook.site.csp import parse, with_policy
from handbook.site.search import marked


def finish_page(html: str, search: dict | None = None) -> str:
    """The page with its CSP; with search (the page's `search:` front matter), also with the search's marks."""
    return _finished(html, search)[0]


def _finished(html: str, search: dict | None) -> tuple[str, bool]:
    # Decided by parsing the <head>: a title or an attribute holding the words of a CSP tag is not one. One parse
    # gives that, the scripts to trust, where the policy goes and where the content <article> starts.
    page = parse(html)
    done = html if page.head_csp else with_policy(html, page)
    if search is None:
        return done, False
    # The policy goes into <head>, before the article: the article moves by what was inserted.
    return marked(done, search, page, parsed=html)


def finish_site(site: Path, search: dict[str, dict] | None = None) -> int:
    """Finish every HTML page under site; returns how many were changed. With search (built HTML path -> the
    page's `search:` front matter, search.page_search), mark the pages for the search in the same pass and
    return how many carry the marks (a page search leaves out is finished but not marked)."""
    changed = marks = 0
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        wanted = None if search is None else search.get(path.relative_to(site).as_posix())
        done, has_marks = _finished(html, wanted)
        if done != html:
            write_atomic(path, done, durable=False)
            changed += 1
        marks += has_marks
    return changed if search is None else marks
