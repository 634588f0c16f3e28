"""Published links: every URL and anchor a trainer may have cited, and the guard that keeps them.

`published-links.txt` in the root lists them, one per line. A listed link must stay reachable:
as a live id or as an alias. Pure: the loader reads the file, this module only compares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from handbook.core.kinds import ITEM, ITEM_KINDS
from handbook.core.model import Handbook
from handbook.core.paths import PAGE, url_of

LINKS_FILE = "published-links.txt"


def page_url(docs_path: str) -> str:
    """The published URL of a hand-written page: docs/utbildning.md -> /utbildning/, docs/redigera/index.md ->
    /redigera/ (the builders' directory URLs)."""
    return url_of(docs_path.removeprefix("docs/"))


def current_links(handbook: Handbook, pages: Iterable[str] = ()) -> list[str]:
    """Every link the site publishes now, by the URL scheme in ARCHITECTURE.md (without aliases); pages are
    the hand-written pages' docs paths (trainers link the training page as much as a routine)."""
    routine = ITEM["routine"]
    # A kind's own page exists when the kind is always there, or an optional kind (roles) has items.
    links = [
        "/",
        *(kind.index_url for kind in ITEM_KINDS if not kind.optional or handbook.items(kind.name)),
        PAGE["changes"].url(),
    ]
    for r in handbook.routines:
        links.append(routine.url(r.id))
        links += [f"{routine.url(r.id)}#{s.id}" for s in r.steps]
    # Trainers print and hand out the one-page short versions.
    links += [short_url(r.id) for r in handbook.routines]
    for kind in ITEM_KINDS:
        if kind.name != "routine":
            links += [kind.url(item.id) for item in handbook.items(kind.name)]
    links += sorted({page_url(p) for p in pages if p.endswith(".md")} - set(links))
    return links


def reachable_links(handbook: Handbook, pages: Iterable[str] = ()) -> set[str]:
    """Current links plus every old link that aliases still forward."""
    links = set(current_links(handbook, pages))
    for r in handbook.routines:
        steps = [s.id for s in r.steps] + [a for s in r.steps for a in s.aliases]
        for rid in [r.id, *r.aliases]:
            links.add(ITEM["routine"].url(rid))
            links.update(f"{ITEM['routine'].url(rid)}#{sid}" for sid in steps)
            links.add(short_url(rid))  # an old id's short version has a redirect page too
    return links


def short_url(routine_id: str) -> str:
    """The published URL of a routine's one-page short version."""
    return PAGE["routine-short"].url(routine_id)


def _lines(text: str) -> list[str]:
    """The lines of the file as an editor numbers them: \\r\\n, \\r and \\n each end one (unlike
    str.splitlines, which also breaks at form feeds and Unicode separators)."""
    return re.split(r"\r\n?|\n", text.removeprefix("\ufeff"))


def parse_links_file(text: str) -> list[tuple[int, str]]:
    """(line number, link) for every non-empty, non-comment line."""
    return [
        (n, line.strip())
        for n, line in enumerate(_lines(text), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def updated_links_file(text: str, handbook: Handbook, pages: Iterable[str] = ()) -> str:
    """The file with every new current link appended on lines of their own; nothing is ever removed
    or changed, and the file's own line ending (\\n or \\r\\n) is kept."""
    listed = {link for _, link in parse_links_file(text)}
    new = [link for link in current_links(handbook, pages) if link not in listed]
    newline = "\r\n" if "\r\n" in text else "\n"
    if not text:
        text = (
            "# Every link the handbook has published. Trainers may have cited any of them, so a line is never\n"
            "# removed: when an id changes, keep the old id under aliases. Update with: make links\n"
        )
    elif new and not text.endswith(("\n", "\r")):
        text += newline  # the last line has no line break: never glue a new link onto it
    return text + "".join(f"{link}{newline}" for link in new)
