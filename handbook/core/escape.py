"""Escaping of content values for the context each one lands in: the one set of named filters.

Every template prints a value from YAML through exactly one of these (a test walks the
templates and fails on a bare `{{ field }}`):

- `t`     plain text inside Markdown (headings, list items, table cells, link text) or HTML text;
- `attr`  an HTML attribute value (always double-quoted in the templates);
- `yaml`  a value in a page's YAML front matter;
- `json_script` JSON placed inside a `<script type="application/json">`;
- `href`  a URL that goes into a Markdown link target or an `href`.

Prose (Markdown fields) does not pass through here: `handbook.core.prose` renders and sanitises it.
Pure functions, no I/O.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

# Characters with a meaning in Python-Markdown inline syntax or in its extensions we load
# (attr_list braces, tables' pipes, abbr's "*[", autolinks' "<"). Replaced by numeric
# character references, which Markdown passes through and every browser shows as the character.
MARKDOWN_SPECIAL = '\\`*_{}[]()!|~#+<>&"'
_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in MARKDOWN_SPECIAL}
# At the start of a line a few more characters begin a block: "- " list, "1. " list, "= " setext.
_LINE_START = re.compile(r"^(?:[-=.]|\d+(?=[.)]))")
_SPACE = re.compile(r"\s+")
# Characters YAML does not allow in a document, even inside quotes (YAML 1.1 "printable").
_YAML_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SAFE_SCHEMES = ("https", "mailto", "tel")


def one_line(value: object) -> str:
    """All whitespace (newlines, tabs) as single spaces: a value that should be one line stays one line."""
    return _SPACE.sub(" ", str(value)).strip()


def text(value: object) -> str:
    """Plain text that lands in Markdown (or in HTML): no character can start markup."""
    flat = one_line(value)
    escaped = flat.translate(_TABLE)
    match = _LINE_START.match(escaped)
    if match:
        escaped = "".join(f"&#{ord(ch)};" for ch in match.group(0)) + escaped[match.end() :]
    return escaped


def attr(value: object) -> str:
    """A value for a double-quoted HTML attribute."""
    return html.escape(one_line(value), quote=True)


def yaml(value: object) -> str:
    """A scalar for YAML front matter. MkDocs and Material print a page's title and description
    into HTML unescaped (and `striptags` decodes entities again), so the value is HTML-escaped
    first and then written as a JSON string, which is a valid YAML double-quoted scalar whose
    backslash escapes cannot turn into markup."""
    scalar = json.dumps(html.escape(one_line(value), quote=True), ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", scalar)


def json_script(data: object) -> str:
    """JSON that is safe inside <script type="application/json">: no "</script>", no "<!--"."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return (
        payload.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def href(url: object) -> str:
    """A URL for a Markdown link target or an href: only https, mailto and tel, with every
    character that could end the target or the attribute percent-encoded. Anything else becomes
    an empty string (the check reports it; the page never links to it)."""
    value = str(url).strip()
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme not in SAFE_SCHEMES or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return ""
    return quote(value, safe="/:@!$&'*+,;=?#%~.-_")


FILTERS = {"t": text, "attr": attr, "yaml": yaml, "json_script": json_script, "href": href}
