"""A Content-Security-Policy for each built page: only the site's own origin.

The theme puts a few small inline scripts in every page (they differ by page depth), so the
policy allows exactly those by their SHA-256 hashes instead of allowing inline scripts at all.
Only the theme's own scripts are hashed: the page's content (the `<article>` that Markdown made
of the pages and the YAML) is cut out first, so a script that content smuggled in is never
trusted. Pure: HTML in, HTML out.
"""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
# Material and Zensical both put the page's content in this element, and nothing of the theme's in it.
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
ARTICLE_END = "</article>"
THEMED = 'class="md-content"'


class UnknownLayout(ValueError):
    """A themed page whose content element cannot be found: its scripts cannot be told apart."""


def theme_part(html: str) -> str:
    """The page without its content: from the article's start to the last </article> (content may
    contain a stray </article>, the theme never puts one after its own)."""
    start = ARTICLE.search(html)
    if not start:
        if THEMED in html:
            raise UnknownLayout("the page has the theme's layout but no content <article>")
        return html  # a page of the engine's own (a redirect): every script in it is ours
    end = html.rfind(ARTICLE_END)
    if end < start.end():
        raise UnknownLayout("the content <article> is not closed")
    return html[:start.start()] + html[end + len(ARTICLE_END):]


def policy(html: str) -> str:
    """The policy for a page: its inline scripts outside the content, by hash."""
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group("body").encode()).digest()).decode() + "'"
        for m in INLINE_SCRIPT.finditer(theme_part(html))
        if "src=" not in m.group("attrs") and "application/json" not in m.group("attrs") and m.group("body").strip()
    })
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *hashes]),
        # Material sets style attributes from its scripts (e.g. the header shadow); no other origin.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ])


def with_policy(html: str) -> str:
    """The page with a CSP meta tag right after its charset declaration."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    match = CHARSET.search(html)
    if not match:
        return html.replace("<head>", "<head>" + tag, 1)
    return html[: match.end()] + tag + html[match.end():]
