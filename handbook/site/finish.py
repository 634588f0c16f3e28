"""The pass over a built site that every builder gets: `handbook finish SITE`.

Runs after MkDocs or Zensical has written the HTML, so it needs nothing from either: today it
gives every page its Content-Security-Policy (site.csp). A page that already has one is left as
it is, so running the pass twice changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from handbook.site.csp import with_policy

CSP_META = 'http-equiv="Content-Security-Policy"'


def finish_page(html: str) -> str:
    head = html.split("<body", 1)[0]  # only the head counts: content could contain the same words
    return html if CSP_META in head else with_policy(html)


def finish_site(site: Path) -> int:
    """Finish every HTML page under site; returns how many were changed."""
    changed = 0
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        done = finish_page(html)
        if done != html:
            path.write_text(done, encoding="utf-8")
            changed += 1
    return changed
