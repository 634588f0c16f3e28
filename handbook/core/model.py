"""The handbook's data model: what a routine, step, provision, contact, term and role are.

Plain frozen dataclasses, no I/O. The field annotations are the single source of truth:
the loader converts YAML nodes by reading them (`handbook.load.convert`), and the JSON Schema
that editors use is generated from them (`handbook.tools.schema`). Every record keeps the place
it was read from (`pos`), and so does every cross-reference (`Ref.pos`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Literal

from handbook.core.dates import add_months
from handbook.core.paths import PAGE

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SFS_PATTERN = r"^(1[6-9]|20)\d{2}:\d{1,4}$"
_SFS_PARTS = re.compile(r"(\d{4}):(\d{1,4})")


def sfs_order(value: object) -> tuple[int, int] | None:
    """An SFS number ("2025:1501") as (year, number), the order acts and amendments come in; None when the
    value is not one (a data file from the network may hold anything)."""
    match = _SFS_PARTS.fullmatch(str(value or "").strip())
    return (int(match[1]), int(match[2])) if match else None


@dataclass(frozen=True, slots=True)
class Pos:
    """A place in a content file: path relative to the root, 1-based line and column."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to another item by id, with the place it was written."""

    id: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Duration:
    """An ISO 8601 duration such as P14D, PT24H, P4M or P1W."""

    text: str
    months: int = 0
    days: int = 0
    hours: int = 0

    @property
    def total_hours(self) -> float:
        """A comparable size; a month counts as 30 days."""
        return (self.months * 30 + self.days) * 24 + self.hours


# Annotated markers that tell the converter and the schema what a string means.
class Kind:
    ID = "id"
    MARKDOWN = "markdown"
    URL = "url"
    CLOCK = "clock"
    SFS = "sfs"
    EMAIL = "email"
    PHONE = "phone"
    LANG = "language"


Id = Annotated[str, Kind.ID]
Markdown = Annotated[str, Kind.MARKDOWN]
Url = Annotated[str, Kind.URL]
Clock = Annotated[str, Kind.CLOCK]
Sfs = Annotated[str, Kind.SFS]
Email = Annotated[str, Kind.EMAIL]
PhoneNumber = Annotated[str, Kind.PHONE]
Language = Annotated[str, Kind.LANG]


def doc(text: str, example: object = None, **extra: object):
    """Field metadata: a description for maintainers (shown by editors) and an example."""
    meta = {"doc": text, **extra}
    if example is not None:
        meta["example"] = example
    return meta


def fld(text: str, default=..., *, example: object = None, **extra: object):
    """A dataclass field with maintainer documentation attached."""
    meta = doc(text, example, **extra)
    if default is ...:
        return field(metadata=meta)
    if isinstance(default, list):
        return field(default_factory=list, metadata=meta)
    return field(default=default, metadata=meta)


POS = field(default=Pos("?"), compare=False, repr=False, metadata={"internal": True})
# Where each field's value starts (for prose: its first content line), filled by the loader.
WHERE = field(default_factory=dict, compare=False, repr=False, metadata={"internal": True})


def at(record, name: str) -> Pos:
    """Where a field of a record was written; the record's own place when not known."""
    return record.where.get(name, record.pos)


# --- Routines ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Deadline:
    """When a step must be done: a duration from a named event, and the words shown."""

    within: Duration = fld("Tidsgräns som ISO 8601-längd: PT0H (genast), PT24H, P14D, P1W, P4M.", example="P14D")
    start: Id = fld("Händelsen som tiden räknas från (se listan i redigeringsguiden).", example="anmalan-inkommer")
    text: str = fld("Så visas tidsgränsen för läsaren.", example="Inom 14 dagar från att anmälan kom in")
    legal: bool = fld("true om tidsgränsen står i lag (inte bara i rutinen).", False)
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class NextStep:
    """Where the routine goes after a step; `to: end` ends the routine."""

    to: Ref = fld(
        "Id för nästa steg i samma rutin, eller end om rutinen slutar här.", example="ring-polisen", ref="step"
    )
    condition: str = fld("Villkor för att gå hit, om vägen delar sig.", "", example="Om barnet är i akut fara")
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One numbered step of a routine; its id is its anchor on the routine page."""

    id: Id = fld(
        f"Stegets id. Blir ankaret i webbadressen: {PAGE['routine'].url('<rutin>')}#<steg>.", example="ring-polisen"
    )
    title: str = fld("Stegets rubrik: en kort uppmaning.", example="Ring polisen")
    role: str = fld("Vem som gör steget.", example="Socialsekreterare på Socialjouren")
    roles: list[Ref] = fld(
        'Rollerna som gör steget (id i roles.yaml). Styr vyn "Visa steg för min roll" och rollens egen sida.',
        [],
        ref="role",
        example="socialjouren",
    )
    deadline: Deadline | None = fld("När steget ska vara gjort.", None)
    instructions: Markdown = fld("Vad du ska göra. Markdown, ingen HTML.")
    checklist: list[str] = fld("Punkter att bocka av.", [])
    legal: list[Ref] = fld("Lagrum som steget vilar på (id i legal.yaml).", [], ref="provision")
    contacts: list[Ref] = fld("Vem du kontaktar (id i contacts.yaml).", [], ref="contact")
    next: list[NextStep] = fld("Nästa steg. Skriv to: end om rutinen slutar här.", [])
    repeat: bool = fld("true om steget får leda tillbaka till ett tidigare steg (en slinga).", False)
    aliases: list[Id] = fld("Tidigare id för steget; gamla länkar leds hit.", [])
    pos: Pos = POS
    where: dict = WHERE

    @property
    def urgent(self) -> bool:
        """Due within URGENT_HOURS: its contacts must be reachable now and its law verified before publication."""
        return self.deadline is not None and self.deadline.within.total_hours <= URGENT_HOURS


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """A routine is an official decision: who decided, when and the diary number."""

    state: Literal["draft", "approved"] = fld("draft (utkast) eller approved (beslutad).", example="approved")
    decided_by: str = fld("Vem som beslutade rutinen.", "", example="Socialnämnden")
    decided_on: dt.date | None = fld("Datum för beslutet (ÅÅÅÅ-MM-DD).", None)
    diary_number: str = fld("Diarienummer för beslutet.", "", example="SN 2026/1234")
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One line of a routine's change history."""

    date: dt.date = fld("Datum för ändringen (ÅÅÅÅ-MM-DD).")
    change: str = fld("Vad som ändrades, i en mening.")
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Routine:
    """A routine: one file in routines/, whose file name is its id."""

    id: Id = fld("Rutinens id. Måste vara samma som filnamnet.", example="forsta-atgarder")
    title: str = fld("Rutinens rubrik.")
    summary: Markdown = fld("Vad rutinen handlar om, i två eller tre meningar.")
    applies_when: list[str] = fld("Situationer och tecken då rutinen gäller.")
    process_step: int = fld("Steg i den nationella manualen (1–6).", example=2, minimum=1, maximum=6)
    roles: list[str] = fld("Vilka rutinen är till för.")
    owner: Ref = fld("Enheten som ansvarar för rutinen (id i contacts.yaml).", ref="contact")
    status: Decision = fld("Beslut: utkast eller beslutad, av vem, när, diarienummer.")
    reviewed: dt.date = fld("Senast granskad (ÅÅÅÅ-MM-DD).")
    review_interval_months: int = fld("Hur ofta rutinen ska granskas, i månader.", 12, minimum=1, maximum=36)
    keywords: list[str] = fld("Sökord och synonymer, även engelska ord.", [])
    related: list[Ref] = fld("Relaterade rutiner (id).", [], ref="routine")
    aliases: list[Id] = fld("Tidigare id för rutinen; gamla adresser leds hit.", [])
    changelog: list[Change] = fld("Ändringshistorik, nyast först.", [])
    steps: list[Step] = fld("Stegen i ordning.")
    pos: Pos = POS
    where: dict = WHERE

    @property
    def next_review(self) -> dt.date:
        """When the routine must be reviewed again."""
        return add_months(self.reviewed, self.review_interval_months)


# --- Legal provisions -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Verification:
    """Whether a reference or a contact detail has been checked against its source."""

    verified: bool = fld("true om uppgiften är kontrollerad mot källan.")
    on: dt.date | None = fld("Datum då uppgiften kontrollerades.", None)
    source: Url = fld("Var uppgiften kontrollerades (https-adress).", "")
    note: str = fld("Vad som är osäkert och hur det kan kontrolleras.", "")
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Provision:
    """A legal provision (or a directive, convention or regulation) that steps cite."""

    id: Id = fld(f"Lagrummets id. Blir ankaret: {PAGE['provisions'].url()}#<id>.", example="lvu-6")
    kind: Literal["law", "ordinance", "regulation", "eu", "convention"] = fld(
        "law (lag), ordinance (förordning), regulation (föreskrift), eu eller convention.", "law"
    )
    law: str = fld("Författningens fullständiga namn.")
    short: str = fld("Kortnamn eller förkortning.", example="LVU")
    sfs: Sfs | None = fld("SFS-nummer ÅÅÅÅ:NNN. Skriv inom citattecken.", None, example="1990:52")
    number: str = fld("Beteckning när SFS-nummer saknas (t.ex. direktiv 2011/36/EU).", "")
    section: str = fld("Kapitel och paragraf som i svensk citering: 6 §, 11 kap. 1 a §.", "")
    title: str = fld("Vad bestämmelsen handlar om, i några ord.")
    summary: Markdown = fld("Sammanfattning med egna ord, i klarspråk.")
    url: Url = fld("Länk till den officiella texten.")
    status: Literal["in-force", "amended", "repealed"] = fld("in-force, amended eller repealed.", "in-force")
    changed_on: dt.date | None = fld("När bestämmelsen ändrades eller upphävdes.", None)
    replaced_by: Ref | None = fld("Lagrummet som ersätter ett upphävt lagrum.", None, ref="provision")
    corresponds_to: str = fld("Motsvarande bestämmelse i äldre lag, när nya numret inte är känt.", "")
    verification: Verification = fld("Om hänvisningen är kontrollerad.")
    consolidated_through: Sfs | None = fld(
        "Den senaste ändring som var införd i lagtexten när du läste lagrummet: SFS-numret efter "
        "ändring införd t.o.m. SFS. Lagändringsradarn jämför med det. Skriv inom citattecken.",
        None,
        example="2025:1501",
    )
    pos: Pos = POS
    where: dict = WHERE

    @property
    def label(self) -> str:
        """The citation, with the older provision it corresponds to when the new number is not known."""
        return f"{self.citation}, motsvarande {self.corresponds_to}" if self.corresponds_to else self.citation

    @property
    def citation(self) -> str:
        """The Swedish citation form: '6 § LVU', 'art. 16 Direktiv 2011/36/EU', or 'SoL (2025:400)'
        when the section is not known."""
        if self.section:
            return f"{self.section} {self.short}"
        return f"{self.short} ({self.sfs})" if self.sfs else self.short


# --- Contacts ---------------------------------------------------------------------------

DayRange = Literal["mon-fri", "mon-thu", "fri", "sat", "sun", "sat-sun", "mon-sun"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Hours:
    """One line of opening hours: days and a time span."""

    days: DayRange = fld("Dagar: mon-fri, mon-thu, fri, sat, sun, sat-sun eller mon-sun.", example="mon-fri")
    opens: Clock = fld("Öppnar, TT:MM.", example="08:00")
    closes: Clock = fld("Stänger, TT:MM (24:00 för midnatt).", example="16:30")
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Phone:
    """A phone number with what it is for."""

    number: PhoneNumber = fld("Telefonnummer som det skrivs i Sverige, eller +46 …", example="08-508 00 000")
    label: str = fld("Vad numret är till för.", "", example="Växel")
    hours: list[Hours] = fld("När numret svarar; tomt betyder samma som kontaktens öppettider.", [])
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """A partner organisation or unit and how to reach it."""

    id: Id = fld(f"Kontaktens id. Blir ankaret: {PAGE['contacts'].url()}#<id>.", example="socialjouren")
    name: str = fld("Namn.")
    kind: Literal["authority", "city-unit", "district", "region", "ngo", "international"] = fld(
        "authority (myndighet), city-unit (kommunens enhet), district (en stadsdelsförvaltning), region, ngo eller "
        "international."
    )
    purpose: Markdown = fld("Vad du kontaktar dem för.")
    phones: list[Phone] = fld("Telefonnummer.", [])
    email: Email | None = fld("E-postadress.", None)
    web: Url | None = fld("Webbplats (https).", None)
    address: str = fld("Besöks- eller postadress.", "")
    hours: list[Hours] = fld(
        "Öppettider. Lämna tomt när tiderna inte är kända: hitta aldrig på tider. "
        "Tom lista och always_open: true betyder dygnet runt.",
        [],
    )
    always_open: bool = fld("true om kontakten svarar dygnet runt, alla dagar.", False)
    hours_verified: bool = fld(
        "true när öppettiderna (eller dygnet runt) står i källan (verification.source). "
        "Annars visas tiderna som ungefärliga och kontakten rekommenderas aldrig som öppen.",
        False,
    )
    open_on_holidays: bool = fld(
        "true om kontakten har öppet på helgdagar; en helgdag följer söndagens öppettider.", False
    )
    outside_hours: Ref | None = fld("Vem du vänder dig till när kontakten är stängd (id).", None, ref="contact")
    area: list[str] = fld("För en stadsdelsförvaltning: stadsdelarna i dess område, som källan listar dem.", [])
    members: list[Ref] = fld(
        "Kontakterna som den här kontakten står för, till exempel varje stadsdelsförvaltning "
        "(id). Läsaren väljer sin egen på startsidan.",
        [],
        ref="contact",
    )
    languages: list[Language] = fld("Språk som kontakten kan ge stöd på (ISO 639-1: sv, en, ar …).", [])
    verification: Verification = fld("När och var uppgifterna kontrollerades.")
    status: Literal["active", "inactive"] = fld("active eller inactive.", "active")
    pos: Pos = POS
    where: dict = WHERE


# --- Roles ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    """Who does a step: a role in the work, not a person."""

    id: Id = fld(f"Rollens id. Blir webbadressen {PAGE['role'].url('<id>')}.", example="socialjouren")
    name: str = fld("Rollens namn.", example="Socialjouren")
    description: Markdown = fld("Kort beskrivning: vem har rollen och när.")
    pos: Pos = POS
    where: dict = WHERE


# --- Glossary ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    """A term or abbreviation in the glossary (ordlista)."""

    id: Id = fld(f"Termens id. Blir ankaret: {PAGE['terms'].url()}#<id>.", example="lvu")
    term: str = fld("Termen utskriven.")
    abbreviation: str = fld("Förkortning, om det finns en.", "", example="LVU")
    definition: Markdown = fld("Förklaring i klarspråk.")
    see_also: list[Ref] = fld("Andra termer (id).", [], ref="term")
    pos: Pos = POS
    where: dict = WHERE


# --- File kinds and the whole handbook ---------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LegalFile:
    """legal.yaml: the catalogue of provisions."""

    provisions: list[Provision] = fld("Lagrummen.")
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactsFile:
    """contacts.yaml: partners and units."""

    contacts: list[Contact] = fld("Kontakterna.")
    call_now: list[Ref] = fld(
        'Kontakterna som startsidans ruta "Vem ringer jag nu?" går igenom, i ordning. '
        "Kortet rekommenderar den första som är öppen och har ett kontrollerat nummer; "
        "sedan följs varje kontakts outside_hours.",
        [],
        ref="contact",
    )
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class GlossaryFile:
    """glossary.yaml: terms and abbreviations."""

    terms: list[Term] = fld("Termerna.")
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, slots=True, kw_only=True)
class RolesFile:
    """roles.yaml: the roles that steps name."""

    roles: list[Role] = fld("Rollerna.")
    pos: Pos = POS
    where: dict = WHERE


@dataclass(frozen=True, kw_only=True)
class Handbook:
    """Everything that was loaded without structural errors, with lookups by id.

    When an id is duplicated the first record wins the lookup; the check reports the rest.
    """

    routines: list[Routine] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    # The start page's who-to-call-now order (contacts.yaml call_now).
    call_now: list[Ref] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name, items in (
            ("_routines", self.routines),
            ("_provisions", self.provisions),
            ("_contacts", self.contacts),
            ("_terms", self.terms),
            ("_roles", self.roles),
        ):
            index: dict[str, object] = {}
            for item in items:
                index.setdefault(item.id, item)
            object.__setattr__(self, name, index)

    def items(self, kind: str) -> list:
        """All records of a kind: routine, provision, contact, term or role."""
        return getattr(self, kind + "s")

    def get(self, kind: str, item_id: str):
        """The record of a kind with this id, or None."""
        return getattr(self, f"_{kind}s").get(item_id)

    def routine(self, rid: str) -> Routine | None:
        return self._routines.get(rid)

    def provision(self, pid: str) -> Provision | None:
        return self._provisions.get(pid)

    def contact(self, cid: str) -> Contact | None:
        return self._contacts.get(cid)

    def term(self, tid: str) -> Term | None:
        return self._terms.get(tid)

    def role(self, rid: str) -> Role | None:
        return self._roles.get(rid)

    def districts(self, contact: Contact) -> list[Contact]:
        """The contacts a group contact stands for (each stadsdelsförvaltning), in the order given."""
        return [c for ref in contact.members if (c := self._contacts.get(ref.id))]


# Events a deadline can run from. Add here (and in the editing guide) when a routine needs a new one.
EVENTS: dict[str, str] = {
    "misstanke": "misstanken uppstår",
    "barnet-patraffas": "barnet påträffas",
    "anmalan-inkommer": "anmälan kommer in",
    "forhandsbedomning-klar": "förhandsbedömningen är klar",
    "utredning-inleds": "utredningen inleds",
    "beslut-omedelbart-omhandertagande": "beslutet om omedelbart omhändertagande fattas",
    "ansokan-lvu": "ansökan om vård enligt LVU lämnas in",
    "placering": "barnet placeras",
    "polisanmalan": "polisanmälan görs",
    "god-man-forordnad": "god man förordnas",
    "betanketid-beviljad": "betänketiden beviljas",
    "uppehallstillstand-beviljat": "uppehållstillståndet beviljas",
    "barnet-avviker": "barnet avviker från placeringen",
    "atervandande-beslutat": "beslutet om återvändande fattas",
    "barnet-har-atervant": "barnet har återvänt",
    "arendet-avslutas": "ärendet avslutas",
}

# Anchors the routine page makes for its own headings; a step id may not take one of them.
ROUTINE_PAGE_ANCHORS = (
    "sammanfattning",
    "oversikt",
    "tidslinje",
    "steg",
    "kontakter",
    "flodesschema",
    "relaterade-rutiner",
    "om-rutinen",
    "andringar",
)

# A step whose deadline is at most this many hours away is urgent: its contacts must be reachable now.
URGENT_HOURS = 24


def has_verified_number(contact: Contact) -> bool:
    """A number a reader may be told to call: the contact is active, checked against a source, and has a phone."""
    return contact.status == "active" and contact.verification.verified and bool(contact.phones)


def has_verified_hours(contact: Contact) -> bool:
    """Opening hours (or around the clock) that a source states: only these may say "open now"."""
    return contact.verification.verified and contact.hours_verified and (contact.always_open or bool(contact.hours))
