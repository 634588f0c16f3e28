"""Where the engine puts what it generates: the docs path of every generated page and file, in one table.

Each item kind's pages (a routine's page and its short version, the shared page of the provisions …) and the
pages and files made from the whole handbook (the change log, the routine list, the contacts as vCard …).
`core/kinds.py` takes each kind's paths from here; render names its pages by them, the check knows which
addresses a hand-written page may not take, the published-links guard builds its URLs from them and the
model's field docs quote them. No other code, template, script or stylesheet of the engine writes a page path
(tests/test_architecture.py), so moving a page is one edit in the engine. A handbook's mkdocs.yml still names
the generated pages in nav and not_in_nav, and a published address cannot move: aliases forward old ids, not
old paths (ARCHITECTURE.md, "The two registries").

Imports nothing from the engine, so that the model can quote these paths in its field docs.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass


def url_of(path: str) -> str:
    """The published URL of a docs path, from the site root (directory URLs): lagrum.md -> /lagrum/,
    rutiner/index.md -> /rutiner/, index.md -> /; a file that is not a page is served at its own path."""
    if not path.endswith(".md"):
        return "/" + path
    parts = path.removesuffix(".md").split("/")
    if parts[-1] == "index":
        parts.pop()
    return "/" + "".join(f"{part}/" for part in parts)


def folder_url(path: str) -> str:
    """The published URL of the folder a docs path is in: rutiner/{id}.md -> /rutiner/."""
    folder = posixpath.dirname(path)
    return f"/{folder}/" if folder else "/"


@dataclass(frozen=True)
class Generated:
    name: str  # what render, the check and the templates call it
    path: str  # the docs path (a page ends in .md); {id} for one per item
    what: str  # what it is, for developers
    # Made whatever the content (False: only when its data is there, like the law radar's file). The check
    # reports a hand-written page at the address of every generated page, made always or not.
    always: bool = True

    def of(self, item_id: str = "") -> str:
        """The docs path (of one item's page, for a path with {id})."""
        return self.path.format(id=item_id)

    def url(self, item_id: str = "") -> str:
        """The published URL, from the site root."""
        return url_of(self.of(item_id))


GENERATED: tuple[Generated, ...] = (
    # An item kind's pages (core/kinds.py): one per item, or one the kind's items share as anchors.
    Generated("routine", "rutiner/{id}.md", "a routine, its steps as anchors"),
    Generated("routine-short", "kortversion/{id}.md", "a routine's one-page short version, for the desk or the car"),
    Generated("routines", "rutiner/index.md", "every routine, in process order (the routines' own page)"),
    Generated("provisions", "lagrum.md", "the legal provisions, each an anchor"),
    Generated("contacts", "kontakter.md", "the contacts, each an anchor"),
    Generated("terms", "ordlista.md", "the glossary, each term an anchor"),
    Generated("role", "roller/{id}.md", "what one role does across the routines"),
    Generated("roles", "roller/index.md", "every role (the roles' own page; made when there are roles)"),
    # Pages made from the whole handbook.
    Generated("changes", "andringar.md", "every routine's changes, newest first"),
    Generated("rules", "redigera/regler.md", "the rule catalogue, for maintainers"),
    Generated("fields", "redigera/falt.md", "the data model's fields, for maintainers"),
    Generated("publication", "redigera/publicering.md", "what blocks publication"),
    Generated("law-radar", "redigera/lagandringar.md", "the law radar's last findings", always=False),
    # Files beside the pages.
    Generated("vcard", "kontakter.vcf", "the active contacts for a phone"),
    Generated("csv", "kontakter.csv", "the contacts as a table"),
    Generated("call-now", "kontakter/ring-nu.json", "the call-now chain as data"),
)
PAGE = {g.name: g for g in GENERATED}
