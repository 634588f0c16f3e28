"""The two registries every stage reads: the kinds of items and the kinds of values.

An **item kind** (routine, provision, contact, term, role) is everything the engine knows about a kind of
record in one row: the file it is written in, its pages (paths from the table of generated pages,
`core/paths.py`) and published URLs, its link prefix in prose, its Swedish name, the field that names one
item, and its record class (whose `ref=` fields are its references to other items). The loader, the check,
render, the published-links guard and the JSON Schema all read this table. A kind's page paths are written
only in `core/paths.py`; each handbook's mkdocs.yml still names the kinds' own pages in its nav, and a
published address cannot move (aliases forward ids, not paths): ARCHITECTURE.md, "The two registries".

A **value kind** (id, SFS number, clock time, language, URL, e-mail …) is what a string field means:
the pattern it must match (the id and SFS patterns come from core/model.py), the rule that reports a
mismatch and the Swedish hint. The loader and the JSON Schema read the same row, so for the kinds the loader
judges an editor and `handbook check` never disagree. URLs and e-mail are judged by check rules instead
(`reported_by`): the e-mail rule uses the row's pattern; the URL rules ask more than it (a real host name), so
an editor may accept an address the check refuses, never the reverse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import babel

from handbook.core.model import (
    ID_PATTERN,
    SFS_PATTERN,
    Contact,
    ContactsFile,
    GlossaryFile,
    Kind,
    LegalFile,
    Provision,
    Role,
    RolesFile,
    Routine,
    Term,
)
from handbook.core.paths import PAGE, url_of


@dataclass(frozen=True)
class ItemKind:
    name: str  # the model's word: routine, provision, contact, term, role
    prefix: str  # internal links in prose: [text](lagrum:lvu-6)
    file: str  # where the items are written: a folder of files (routines/) or one file
    page: str  # the docs path of the page the items are on; {id} for a page per item
    anchor_only: bool  # the item is an anchor on a shared page (the provisions' page), not a page of its own
    label: str  # Swedish, as the subject of a sentence: "Lagrummet "x" finns inte …"
    record: type
    # The JSON Schema of the file: schemas/<schema>.schema.json, its Swedish title and description.
    schema: str
    title: str
    description: str
    # One-file kinds: the file's record class and the key of its list (legal.yaml: provisions:).
    file_record: type | None = None
    list_key: str = ""
    # A handbook may leave the file out (no roles yet); the kind is then simply empty.
    optional: bool = False
    # The kind's own page: the list of its items (a page per item), or the shared page itself ("" = page).
    index_page: str = ""
    # Each item's other pages ({id}): a routine's short version.
    also: tuple[str, ...] = ()
    # The field that names one item, for a link's text when the writer left it empty ([](kontakt:polisen)).
    name_field: str = "name"

    @property
    def file_class(self) -> type:
        """The record class a whole file is read as."""
        return self.file_record or self.record

    @property
    def file_globs(self) -> tuple[str, ...]:
        """The files of this kind, relative to the root (for editor settings)."""
        return (self.file + "*.yaml",) if self.file.endswith("/") else (self.file,)

    @property
    def index(self) -> str:
        """The docs path of the kind's own page: rutiner/index.md, lagrum.md …"""
        return self.index_page or self.page

    @property
    def pages(self) -> tuple[str, ...]:
        """The docs paths of every page an item has ({id}), its main page first; the shared page for an
        anchor-only kind."""
        return (self.page, *self.also)

    @property
    def reserved_ids(self) -> tuple[str, ...]:
        """Ids whose page would be the kind's own page (index: rutiner/index.md lists the routines)."""
        head, _, tail = self.page.partition("{id}")
        own = self.index
        fits = not self.anchor_only and own.startswith(head) and own.endswith(tail)
        return (own[len(head) : len(own) - len(tail)],) if fits else ()

    def page_of(self, item_id: str) -> str:
        """The docs path of the page an item is on."""
        return self.page.format(id=item_id)

    def display_name(self, item) -> str:
        """What an item is called in a link's text: a routine's title, a provision's citation, a term …"""
        return getattr(item, self.name_field)

    def url(self, item_id: str) -> str:
        """The published URL of an item, from the site root: /rutiner/<id>/ or /lagrum/#<id>."""
        folder = "/" + self.page.removesuffix(".md").format(id=item_id) + "/"
        return folder + "#" + item_id if self.anchor_only else folder

    @property
    def index_url(self) -> str:
        """The published URL of the kind's own page: /rutiner/, /lagrum/ …"""
        return url_of(self.index)


ITEM_KINDS: tuple[ItemKind, ...] = (
    ItemKind(
        "routine",
        "rutin",
        "routines/",
        PAGE["routine"].path,
        False,
        "Rutinen",
        Routine,
        "routine",
        "Rutin",
        "En rutin i routines/<id>.yaml. Filnamnet utan .yaml är rutinens id.",
        index_page=PAGE["routines"].path,
        also=(PAGE["routine-short"].path,),
        name_field="title",
    ),
    ItemKind(
        "provision",
        "lagrum",
        "legal.yaml",
        PAGE["provisions"].path,
        True,
        "Lagrummet",
        Provision,
        "legal",
        "Lagrum",
        "legal.yaml: lagrummen som rutinernas steg hänvisar till.",
        LegalFile,
        "provisions",
        name_field="label",
    ),
    ItemKind(
        "contact",
        "kontakt",
        "contacts.yaml",
        PAGE["contacts"].path,
        True,
        "Kontakten",
        Contact,
        "contacts",
        "Kontakter",
        "contacts.yaml: samarbetspartner och enheter och hur man når dem.",
        ContactsFile,
        "contacts",
    ),
    ItemKind(
        "term",
        "term",
        "glossary.yaml",
        PAGE["terms"].path,
        True,
        "Termen",
        Term,
        "glossary",
        "Ordlista",
        "glossary.yaml: termer och förkortningar.",
        GlossaryFile,
        "terms",
        name_field="term",
    ),
    ItemKind(
        "role",
        "roll",
        "roles.yaml",
        PAGE["role"].path,
        False,
        "Rollen",
        Role,
        "roles",
        "Roller",
        "roles.yaml: rollerna som stegen anger, med en sida per roll.",
        RolesFile,
        "roles",
        optional=True,
        index_page=PAGE["roles"].path,
    ),
)
ITEM = {k.name: k for k in ITEM_KINDS}
BY_PREFIX = {k.prefix: k for k in ITEM_KINDS}


@dataclass(frozen=True)
class ValueKind:
    name: str
    # What the whole value must match (None: any text). The loader full-matches it; the schema anchors it.
    pattern: str | None
    # The rule that reports a mismatch, and who reports it: the loader (load), or a check rule (check)
    # that needs more than a pattern (url-not-https also reads http:// and relative links).
    rule: str = "value-invalid"
    reported_by: str = "load"
    noun: str = ""  # Swedish: '"x" är inte <noun>.'
    hint: str = ""  # Swedish: how to write it, after the value that was wrong
    # Text the loader keeps verbatim: a bare YAML number (8, 1.5) is still valid text.
    free_text: bool = False

    def matches(self, text: str) -> bool:
        return self.pattern is None or re.fullmatch(self.pattern, text) is not None

    @property
    def schema_pattern(self) -> str | None:
        """JSON Schema patterns search; the loader's full-match patterns must be anchored there."""
        if self.pattern is None:
            return None
        return self.pattern if self.pattern.startswith("^") and self.pattern.endswith("$") else f"^(?:{self.pattern})$"


CLOCK_PATTERN = r"([01]\d|2[0-3]):[0-5]\d|24:00"
# ISO 639-1 codes that CLDR (Babel) names: the table the contact page takes each language's Swedish name from,
# so that a code the page cannot name ("xx") is refused where it is written, and by the editor's schema too.
LANGUAGE_CODES = tuple(sorted(c for c in babel.Locale("sv").languages if re.fullmatch(r"[a-z]{2}", c)))
LANG_PATTERN = "(?:" + "|".join(LANGUAGE_CODES) + ")"
HTTPS_PATTERN = r"^https://\S+$"
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"

VALUE_KINDS: dict[str, ValueKind] = {
    v.name: v
    for v in (
        ValueKind(
            Kind.ID,
            ID_PATTERN,
            "id-format",
            noun="ett giltigt id",
            hint="Id skrivs med små bokstäver a–z, siffror och bindestreck, till exempel ring-polisen.",
        ),
        ValueKind(
            Kind.SFS,
            SFS_PATTERN,
            noun="ett SFS-nummer",
            hint='Skriv ÅÅÅÅ:NNN inom citattecken, till exempel "1990:52".',
        ),
        ValueKind(Kind.CLOCK, CLOCK_PATTERN, noun="ett klockslag", hint="Skriv TT:MM, till exempel 08:00 eller 16:30."),
        ValueKind(
            Kind.LANG,
            LANG_PATTERN,
            noun="en språkkod",
            hint="Skriv två små bokstäver enligt ISO 639-1, till exempel sv, en, ar.",
        ),
        ValueKind(
            Kind.URL,
            HTTPS_PATTERN,
            "url-not-https",
            "check",
            noun="en fullständig https-adress",
            hint="Skriv hela adressen, som börjar med https://.",
        ),
        ValueKind(
            Kind.EMAIL,
            EMAIL_PATTERN,
            "contact-email-invalid",
            "check",
            noun="en giltig e-postadress",
            hint="Skriv adressen som namn@exempel.se.",
        ),
        ValueKind(Kind.MARKDOWN, None, free_text=True),
        ValueKind(Kind.PHONE, None, free_text=True),
    )
}


# The texts `handbook new routine|step|contact` writes for a maintainer to replace. Shared with the
# check, which refuses any of them left in any field (an approved routine titled "Skriv rutinens rubrik här"
# must not reach a reader). Each is distinctive enough to be found inside a longer text.
PLACEHOLDERS: dict[str, str] = {
    "routine_title": "Skriv rutinens rubrik här",
    "routine_summary": "Skriv vad rutinen handlar om, i två eller tre meningar.",
    "routine_applies_when": "Skriv en situation eller ett tecken då rutinen gäller.",
    "routine_roles": "Skriv vilka rutinen är till för",
    "step_title": "Skriv stegets rubrik här",
    "step_role": "Skriv vem som gör steget",
    "step_instructions": "Skriv vad du ska göra. Markdown, ingen HTML.",
    "contact_name": "Skriv namnet här",
    "contact_purpose": "Skriv vad du kontaktar dem för.",
}
