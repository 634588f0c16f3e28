"""A Content-Security-Policy for each built page: only the site's own origin.

Material puts a few small inline scripts in every page (they differ by page depth), so the
policy allows exactly those by their SHA-256 hashes instead of allowing inline scripts at all.
Only the theme's own scripts are hashed: the page's content (what Markdown made of the pages
and the YAML) is cut out first, so a script that content smuggled in is never trusted.
Pure: HTML in, HTML out.
"""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)


def policy(html: str, content: str = "") -> str:
    """The policy for a page; `content` is the page body from Markdown, whose scripts are not trusted."""
    if content:
        html = html.replace(content, "")
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group("body").encode()).digest()).decode() + "'"
        for m in INLINE_SCRIPT.finditer(html)
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


def with_policy(html: str, content: str = "") -> str:
    """The page with a CSP meta tag right after its charset declaration."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, content)}">'
    match = CHARSET.search(html)
    if not match:
        return html.replace("<head>", "<head>" + tag, 1)
    return html[: match.end()] + tag + html[match.end():]
