"""The pass over a built site that every builder gets: `handbook finish SITE`.

Runs after MkDocs or Zensical has written the HTML, so it needs nothing from either: today it
gives every page its Content-Security-Policy (site.csp). A page that already has one is left as
it is, so running the pass twice changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from handbook.load.files import write_atomic
from handbook.site.csp import parse, with_policy


def finish_page(html: str) -> str:
    # Decided by parsing the <head>: a title or an attribute holding the words of a CSP tag is not one. One parse
    # gives that, the scripts to trust and where the policy goes.
    page = parse(html)
    return html if page.head_csp else with_policy(html, page)


def finish_site(site: Path) -> int:
    """Finish every HTML page under site; returns how many were changed."""
    changed = 0
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        done = finish_page(html)
        if done != html:
            write_atomic(path, done, durable=False)
            changed += 1
    return changed
