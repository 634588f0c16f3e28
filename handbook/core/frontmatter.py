"""The front matter of a hand-written page: data, read by field and written back escaped.

MkDocs (and Material's templates) print a page's meta data into the HTML without escaping it: the
title into <title> and the header, the description into a <meta> attribute, edit_url into an href.
So a hand-written page's front matter is read exactly as MkDocs reads it (its own `get_data`, which
also takes MultiMarkdown-style "key: value" lines at the top without ---), judged field by field
(`problems`, for the check), and written back with only the allowed fields, each escaped for where
it lands (`normalised`, for render). Pure: text in, data or text out.
"""

from __future__ import annotations

import html
import json
import re

from mkdocs.utils.meta import get_data

from handbook.core import escape

# The fields a hand-written page may set, and the words `hide` may list.
FIELDS = ("title", "description", "hide", "search", "edit_url")
HIDE = ("navigation", "toc", "footer")
_WHITESPACE = re.compile(r"\s")
_TAG = re.compile(r"<[a-zA-Z/!?]")


def split(text: str) -> tuple[str, dict]:
    """(the page without its front matter, the front matter as MkDocs reads it)."""
    body, meta = get_data(text)
    return body, meta if isinstance(meta, dict) else {}


def _one_line(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "ska vara en text på en rad"
    if "\n" in value.strip() or "\r" in value:
        return "ska stå på en rad"
    if _TAG.search(value):
        return "får inte innehålla HTML (det visas som text)"
    return None


def _hide(value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v in HIDE for v in value):
        return "ska vara en lista med något av " + ", ".join(HIDE)
    return None


def _search(value: object) -> str | None:
    if not isinstance(value, dict) or set(value) - {"exclude", "boost"}:
        return "får bara ha exclude: true/false och boost: ett tal"
    if "exclude" in value and not isinstance(value["exclude"], bool):
        return "exclude ska vara true eller false"
    boost = value.get("boost", 1)
    if isinstance(boost, bool) or not isinstance(boost, (int, float)):
        return "boost ska vara ett tal"
    return None


def _url(value: object) -> str | None:
    if not isinstance(value, str) or not value.startswith("https://") or len(value) <= len("https://"):
        return "ska vara en adress som börjar med https://"
    if (
        _WHITESPACE.search(value)
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in value)
        or '"' in value
        or "<" in value
        or ">" in value
    ):
        return "får inte innehålla mellanslag, radbrytningar, citattecken eller < >"
    return None


CHECKS = {"title": _one_line, "description": _one_line, "hide": _hide, "search": _search, "edit_url": _url}


def problems(meta: dict) -> list[tuple[str, str]]:
    """(field, Swedish message) for every field that is not allowed or not of its kind."""
    found = []
    for key, value in meta.items():
        if key not in CHECKS:
            found.append(
                (
                    str(key),
                    f'Fältet "{str(key)[:40]}" är inte tillåtet i en sidas inledning. '
                    f"Tillåtna fält: {', '.join(FIELDS)}.",
                )
            )
        elif (wrong := CHECKS[key](value)) is not None:
            found.append((key, f"Fältet {key} {wrong}."))
    return found


def safe_meta(meta: dict) -> dict:
    """Only the allowed, valid fields, each escaped for the HTML it lands in (title and description as
    escape.yaml does, edit_url through escape.href). A field the check would report is left out, so a
    page built without the check still carries nothing unsafe."""
    safe = {}
    for key in FIELDS:
        if key not in meta or CHECKS[key](meta[key]) is not None:
            continue
        value = meta[key]
        if key in ("title", "description"):
            safe[key] = html.escape(escape.one_line(value), quote=True)
        elif key == "edit_url":
            safe[key] = escape.href(value)
        else:
            safe[key] = value
    return safe


def normalised(text: str) -> str:
    """The page with its front matter rewritten from safe_meta (the render path: MkDocs and Zensical
    read it from the file). Values are JSON, which YAML reads as the same strings, lists and numbers."""
    body, meta = split(text)
    if not meta:
        return text
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in safe_meta(meta).items())
    return "---\n" + lines + "---\n\n" + body
