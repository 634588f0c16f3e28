"""Render the model into Markdown pages: a pure function, Handbook -> {docs path: Markdown}.

Owns the Jinja environment. Templates receive model objects and a few derived views
(backlinks, timelines, the flowchart). Text from YAML is escaped where it lands in HTML;
prose fields pass through `refs.rewrite` so `[](lagrum:lvu-6)` becomes a checked link.
Knows nothing about MkDocs or files.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import babel
import segno
from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined

from handbook.core import callchain, refs
from handbook.core.escape import FILTERS, json_script
from handbook.core.fields import is_required, record_fields
from handbook.core.kinds import ITEM, ITEM_KINDS
from handbook.core.model import (
    EVENTS,
    Change,
    Contact,
    Deadline,
    Decision,
    Handbook,
    Hours,
    NextStep,
    Phone,
    Provision,
    Role,
    Routine,
    Step,
    Term,
    Verification,
    has_verified_hours,
    has_verified_number,
)
from handbook.core.paths import GENERATED, PAGE
from handbook.core.phones import parse_phone
from handbook.core.problems import RULES, Problem
from handbook.core.prose import Prose
from handbook.core.prose import lead as first_sentence
from handbook.core.walk import values
from handbook.render.flowchart import flowchart_svg

PROCESS_STEPS = {
    1: "Identifiering",
    2: "Akut skydd",
    3: "Inledande stöd",
    4: "Långsiktigt stöd",
    5: "Straffrättsligt förfarande",
    6: "Tryggt återvändande",
}
DAYS = {
    "mon-fri": "Måndag–fredag",
    "mon-thu": "Måndag–torsdag",
    "fri": "Fredag",
    "sat": "Lördag",
    "sun": "Söndag",
    "sat-sun": "Lördag–söndag",
    "mon-sun": "Alla dagar",
}
# The contacts page's headings, one per contact kind, in this order. The engine's words name no place: a handbook
# names its own organisation in mkdocs.yml (extra.contact_kinds, see LocalSettings).
CONTACT_KINDS = {
    "authority": "Myndigheter",
    "city-unit": "Kommunen",
    "district": "Stadsdelsförvaltningar",
    "region": "Region och regionkoordinatorer",
    "ngo": "Ideella organisationer",
    "international": "Internationella organisationer",
}
PROVISION_KINDS = {
    "law": "Lag",
    "ordinance": "Förordning",
    "regulation": "Föreskrift",
    "eu": "EU-rätt",
    "convention": "Konvention",
}
SWEDISH = babel.Locale("sv")

CALL_NOW_MARKER = "<!-- handbook:ring-nu -->"
BLOCKERS_MARKER = "<!-- handbook:publicering -->"
ROUTINES_MARKER = "<!-- handbook:rutiner -->"
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class MissingNumber:
    """What a page says where a contact has no number (mkdocs.yml `extra.missing_number`).

    The engine's default is neutral. A handbook may write its own text and name a contact to call
    instead (`contact`, said after `ask`), offered only for contacts of the listed `kinds` (all when
    empty) and never for the ids in `except` (a night service must not be sent to a daytime line).
    A named contact that does not exist or has no number gives the neutral default."""

    text: str = "Numret saknas i handboken."
    contact: str = ""
    ask: str = "Ring"
    kinds: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


def missing_number_setting(extra: object) -> MissingNumber:
    """The setting from the config's `extra:` (a value of the wrong type is left at the default)."""
    value = extra.get("missing_number") if isinstance(extra, Mapping) else None  # MkDocs' extra is a Mapping
    if not isinstance(value, Mapping):
        return MissingNumber()
    default = MissingNumber()

    def text(key: str) -> str:
        found = value.get(key)
        return " ".join(found.split()) if isinstance(found, str) and found.strip() else getattr(default, key)

    def names(key: str) -> tuple[str, ...]:
        found = value.get(key)
        return tuple(k for k in found if isinstance(k, str)) if isinstance(found, list) else ()

    return MissingNumber(text("text"), text("contact"), text("ask"), names("kinds"), names("except"))


@dataclass(frozen=True)
class Urgent:
    """A number the short versions name first, before the steps: "Akut fara: ring 112."."""

    text: str  # what is said before the number
    display: str
    tel: str


# The engine's default: the emergency number, which is the same everywhere in Sweden.
URGENT = (Urgent("Akut fara: ring", "112", "tel:112"),)


@dataclass(frozen=True)
class LocalSettings:
    """What one handbook says about its own place, from mkdocs.yml `extra:`. The engine's defaults name no place.

    - `contact_kinds`: the contacts page's headings by contact kind (`extra.contact_kinds`, over CONTACT_KINDS).
    - `search_boost`: a routine's weight in the search, by routine id (`extra.search_boost`); others weigh 1.
    - `urgent`: the numbers the short versions name first, the first in bold (`extra.urgent_numbers`, a list of
      `{text, number}`; a number that is not one valid phone number is left out)."""

    contact_kinds: Mapping[str, str] = field(default_factory=lambda: dict(CONTACT_KINDS))
    search_boost: Mapping[str, int | float] = field(default_factory=dict)
    urgent: tuple[Urgent, ...] = URGENT


def _urgent(entry: object) -> Urgent | None:
    if not isinstance(entry, Mapping):
        return None
    text, number = entry.get("text"), entry.get("number")
    number = str(number) if isinstance(number, (str, int)) and not isinstance(number, bool) else ""
    phone = parse_phone(number)
    if not isinstance(text, str) or not text.strip() or not phone:
        return None
    return Urgent(" ".join(text.split()), phone.display, phone.tel)


def local_settings(extra: object) -> LocalSettings:
    """The settings from the config's `extra:`; a value of the wrong type is left at the engine's default."""
    extra = extra if isinstance(extra, Mapping) else {}  # MkDocs' extra is a Mapping
    kinds, boost, urgent = extra.get("contact_kinds"), extra.get("search_boost"), extra.get("urgent_numbers")
    headings = dict(CONTACT_KINDS)
    if isinstance(kinds, Mapping):
        headings.update(
            {
                k: " ".join(v.split())
                for k, v in kinds.items()
                if k in CONTACT_KINDS and isinstance(v, str) and v.strip()
            }
        )
    weights = (
        {
            k: v
            for k, v in boost.items()
            if isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < math.inf
        }
        if isinstance(boost, Mapping)
        else {}
    )
    numbers = tuple(u for u in map(_urgent, urgent) if u) if isinstance(urgent, list) else URGENT
    return LocalSettings(headings, weights, numbers)


class _CompiledTemplates(BytecodeCache):
    """The templates compiled once per process, not once per render: `make serve` renders again on every save,
    and parsing and compiling the templates was a third of a render at 1×. Jinja keys each entry by the
    template's name and a checksum of its source, so a changed template is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()


def site_name(url: str) -> str:
    """A web address as its host, for a link's text: https://www.polisen.se/x -> polisen.se."""
    host = urlsplit(str(url)).hostname or str(url)
    return host.removeprefix("www.")


@dataclass(frozen=True)
class Backlink:
    routine: Routine
    step: Step
    number: int


def language_name(code: str) -> str:
    """A language code as its Swedish name: en -> engelska."""
    return SWEDISH.languages.get(code, code)


def hours_line(hours: Hours) -> str:
    closes = "24.00" if hours.closes == "24:00" else hours.closes.replace(":", ".")
    return f"{DAYS[hours.days]} {hours.opens.replace(':', '.')}–{closes}"


@functools.cache
def qr_svg(url: str) -> str:
    """A QR code for printed pages that leads back to the live page (made once per URL: the routine page
    and its short version print the same one, and segno's mask choice is the render's slowest part)."""
    if not url:
        return ""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=3, border=2, title=f"QR-kod till {url}")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR-kod till sidan i handboken" ', 1)


def law_radar_view(data: object) -> dict:
    """The radar's data file as the page reads it. The file comes from the network via a job, so every
    part is optional and anything of the wrong type is left out rather than trusted."""
    data = data if isinstance(data, dict) else {}
    findings = (
        [f for f in data.get("findings", []) if isinstance(f, dict)] if isinstance(data.get("findings"), list) else []
    )
    fields = ("file", "line", "citation", "message", "url")

    def of(state: str) -> list[dict]:
        return [{k: str(f.get(k, "")) for k in fields} for f in findings if f.get("state") == state]

    problems = data.get("problems") if isinstance(data.get("problems"), list) else []
    return {
        "checked_on": str(data.get("checked_on", "okänt datum")),
        "reread": of("reread"),
        "coming": of("coming"),
        "no_baseline": of("no-baseline"),
        "problems": [str(p) for p in problems],
    }


def generated_path(name: str, item_id: str = "") -> str:
    """The docs path of a generated page or file by its name in core.paths (the templates' `path()`)."""
    return PAGE[name].of(item_id)


class Renderer:
    def __init__(
        self,
        handbook: Handbook,
        site_url: str = "",
        directory_urls: bool = True,
        blockers: list[Problem] | None = None,
        link_base: str = "page",
        missing_number: MissingNumber | None = None,
        law_radar: object = None,
        local: LocalSettings | None = None,
    ) -> None:
        self.hb = handbook
        self.local = local or LocalSettings()  # what the handbook says about its own place (mkdocs.yml extra)
        self.law_radar = law_radar  # the parsed lawradar.json, or None: no page
        self.missing = self._resolved(missing_number or MissingNumber())
        # What still blocks publication (checks.release), shown on the start page and the editing pages.
        self.blockers = list(blockers or [])
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.directory_urls = directory_urls
        self.link_base = link_base  # refs.LINK_BASES: how the builder reads links in HTML
        self.prose = Prose({t.abbreviation: " ".join(t.term.split()) for t in handbook.terms if t.abbreviation})
        # Markdown output, so no HTML autoescape: every value goes through one of escape.FILTERS
        # (tests/test_escaping.py fails on a template that prints a field without one).
        # auto_reload off: the templates do not change during a build, so no stat() per template lookup.
        self.env = Environment(
            loader=PackageLoader("handbook.render", "templates"),
            undefined=StrictUndefined,
            auto_reload=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
            bytecode_cache=COMPILED,
        )
        self.env.filters.update(
            FILTERS,
            hours=hours_line,
            language=language_name,
            contact=handbook.contact,
            site_name=site_name,
            role_name=self.role_name,
        )
        self.env.globals.update(
            PROCESS_STEPS=PROCESS_STEPS,
            DAYS=DAYS,
            EVENTS=EVENTS,
            phone=parse_phone,
            verified_hours=has_verified_hours,
            verified_number=has_verified_number,
            primary=primary_phone,
            missing=self.missing,
            missing_via=self.missing_via,
            urgent=self.local.urgent,
            hb=handbook,
            path=generated_path,
        )
        self.backlinks = self._backlinks()

    def boost(self, routine_id: str) -> int | float:
        """A routine's weight in the search (mkdocs.yml extra.search_boost; 1 unless the handbook says more)."""
        return self.local.search_boost.get(routine_id, 1)

    def role_name(self, role_id: str) -> str:
        role = self.hb.role(role_id)
        return role.name if role else role_id

    def _resolved(self, setting: MissingNumber) -> MissingNumber:
        """The setting, or the neutral default when the contact it names is unknown or has no number
        (its text would otherwise point at nothing)."""
        if not setting.contact:
            return setting
        named = self.hb.contact(setting.contact)
        return setting if named and primary_phone(named) else MissingNumber()

    def missing_via(self, contact: Contact) -> Contact | None:
        """The contact a reader may call instead of one without a number, if the setting offers one for it."""
        via = self.hb.contact(self.missing.contact) if self.missing.contact else None
        if (
            not via
            or via.id == contact.id
            or contact.id in self.missing.exclude
            or (self.missing.kinds and contact.kind not in self.missing.kinds)
        ):
            return None
        return via

    def _backlinks(self) -> dict[str, list[Backlink]]:
        """Every step that names an item in a reference field (legal:, contacts:, roles:), by "<kind>:<id>"."""
        numbers = {id(step): n for routine in self.hb.routines for n, step in enumerate(routine.steps, start=1)}
        found: dict[str, list[Backlink]] = defaultdict(list)
        for v in values(self.hb):
            if v.ref in ITEM and isinstance(v.record, Step) and id(v.record) in numbers:
                found[f"{v.ref}:{v.value.id}"].append(Backlink(v.item, v.record, numbers[id(v.record)]))
        return found

    def _render(self, template: str, page: str, **context) -> str:
        def md(value: str) -> str:
            return self.prose.html(refs.rewrite(value, self.hb, page, self.directory_urls, self.link_base))

        def link(kind: str, rid: str, anchor: str = "") -> str:
            return refs.href(kind, rid, anchor, page)

        def built(target: str) -> str:
            return refs.relative_url(page, target, self.directory_urls, self.link_base)

        def item_url(kind: str, rid: str, anchor: str = "") -> str:
            """The built URL of an item (for links in HTML; link() gives a Markdown link)."""
            return refs.url(kind, rid, anchor, page, self.directory_urls, self.link_base)

        def page_link(target: str) -> str:
            """The Markdown link to a generated page or file's docs path (core.paths)."""
            return refs.relative_path(page, target)

        def lead(value: str) -> str:
            return essential_line(
                self.prose.html(refs.rewrite(value, self.hb, page, self.directory_urls, self.link_base))
            )

        return self.env.get_template(template).render(
            md=md,
            lead=lead,
            link=link,
            built=built,
            page=page,
            item_url=item_url,
            page_link=page_link,
            backlinks=self.backlinks,
            **context,
        )

    def routine(self, routine: Routine) -> str:
        numbers = {s.id: i for i, s in enumerate(routine.steps, start=1)}
        timeline: dict[str, list[tuple[Step, int]]] = defaultdict(list)
        for step in routine.steps:
            if step.deadline:
                timeline[step.deadline.start].append((step, numbers[step.id]))
        for items in timeline.values():
            items.sort(key=lambda item: item[0].deadline.within.total_hours)
        url = self.live_url(routine)
        # Every contact the routine names, once, in the order the steps first name them.
        contacts = list(
            {c.id: c for s in routine.steps for ref in s.contacts if (c := self.hb.contact(ref.id))}.values()
        )
        # The roles the routine's steps name, in the catalogue's order: the choices of "Visa steg för".
        named = {ref.id for step in routine.steps for ref in step.roles}
        roles = [r for r in self.hb.roles if r.id in named]
        return self._render(
            "routine.md.j2",
            ITEM["routine"].page_of(routine.id),
            routine=routine,
            numbers=numbers,
            contacts=contacts,
            roles=roles,
            url=url,
            qr=qr_svg(url),
            timeline=dict(timeline),
            boost=self.boost(routine.id),
            flowchart=flowchart_svg(routine),
        )

    def live_url(self, routine: Routine) -> str:
        """The routine page's full address, for the QR code on printouts ("" without a site_url)."""
        return self.site_url + ITEM["routine"].url(routine.id).lstrip("/") if self.site_url else ""

    def short(self, routine: Routine) -> str:
        url = self.live_url(routine)
        return self._render(
            "short.md.j2", PAGE["routine-short"].of(routine.id), routine=routine, url=url, qr=qr_svg(url)
        )

    def _page(self, pages: dict[str, str], name: str, template: str, **context) -> None:
        """Add a page made from the whole handbook, at its docs path in core.paths."""
        path = PAGE[name].path
        pages[path] = self._render(template, path, **context)

    def pages(self) -> dict[str, str]:
        hb = self.hb
        pages = {ITEM["routine"].page_of(r.id): self.routine(r) for r in hb.routines}
        # A one-page short version of each routine for the desk or the car (not in the navigation).
        pages.update({PAGE["routine-short"].of(r.id): self.short(r) for r in hb.routines})
        self._page(pages, "routines", "routines.md.j2", routines=routine_order(hb))
        groups: dict[tuple[str, str], list[Provision]] = defaultdict(list)
        for p in hb.provisions:
            groups[(p.law, p.sfs or p.number)].append(p)
        anchors = {
            key: "forfattning-" + re.sub(r"[^a-z0-9]+", "-", (key[1] or key[0]).lower()).strip("-") for key in groups
        }
        self._page(pages, "provisions", "legal.md.j2", groups=groups, kinds=PROVISION_KINDS, anchors=anchors)
        by_kind: dict[str, list[Contact]] = {k: [] for k in CONTACT_KINDS}
        for c in hb.contacts:
            by_kind[c.kind].append(c)
        self._page(pages, "contacts", "contacts.md.j2", by_kind=by_kind, kinds=self.local.contact_kinds)
        terms = sorted(hb.terms, key=lambda t: swedish_key(t.term))
        letters = {}
        for t in terms:
            letters.setdefault(swedish_key(t.term)[:1].translate(_SWEDISH_BACK).upper() or "#", t.id)
        self._page(pages, "terms", "glossary.md.j2", terms=terms, letters=letters)
        changes = sorted(
            ((c, r) for r in hb.routines for c in r.changelog), key=lambda cr: (cr[0].date, cr[1].id), reverse=True
        )
        self._page(pages, "changes", "changes.md.j2", changes=changes)
        if hb.roles:
            self._page(pages, "roles", "roles.md.j2", roles=hb.roles)
            for role in hb.roles:
                page = ITEM["role"].page_of(role.id)
                pages[page] = self._render("role.md.j2", page, role=role, work=self.role_work(role.id))
        self._page(pages, "rules", "rules.md.j2", rules=RULES.values())
        self._page(pages, "fields", "fields.md.j2", kinds=field_tables())
        missing = [c for c in hb.contacts if not c.verification.verified or not has_verified_hours(c)]
        self._page(pages, "publication", "publication.md.j2", blockers=self.blockers, missing=missing)
        if self.law_radar is not None:  # the law-change radar's last data file (handbook law-radar --data-out)
            self._page(pages, "law-radar", "lawradar.md.j2", radar=law_radar_view(self.law_radar))
        return pages

    def role_work(self, role_id: str) -> list[tuple[Routine, list[tuple[int, Step]]]]:
        """What a role does across the routines, in process order: (routine, [(step number, step)])."""
        work = []
        for routine in routine_order(self.hb):
            steps = [(n, s) for n, s in enumerate(routine.steps, start=1) if any(r.id == role_id for r in s.roles)]
            if steps:
                work.append((routine, steps))
        return work

    def blockers_list(self, page: str) -> str:
        """The start page's one line saying the handbook is a draft, linking to what blocks publication
        (empty when nothing does)."""
        return self._render("blockers.md.j2", page, blockers=self.blockers)

    def routine_list(self, page: str) -> str:
        """Every routine as a list of links, in process order."""
        return self._render("start_routines.md.j2", page, routines=routine_order(self.hb))

    def call_now(self, page: str, today: dt.date) -> str:
        """The start page's who-to-call-now card: the call chain with its data for the card's script."""
        return self._render(
            "call_now.md.j2", page, contacts=callchain.chain(self.hb), data=json_script(self.call_now_data(today))
        )

    def call_now_data(self, today: dt.date) -> dict:
        """The call chain as data for the card's script (core.callchain.card_data: each number with its own hours)."""
        return callchain.card_data(self.hb, today)


FIRST_ITEM = re.compile(r"<li>(.*?)</li>", re.S)


def essential_line(html: str) -> str:
    """A text's essential line (a routine's lead, a step's line in the short version), from its sanitised prose:
    the first sentence, or the first list item's when the text starts with a list; a lead-in that ends in a
    colon ("Det här ska du inte göra:") gets the list's first item after it, so that no step is a bare title."""
    line = first_sentence(html)
    item = FIRST_ITEM.search(html)
    if item and (not line or line.rstrip().endswith(":")):
        rest = first_sentence(f"<p>{item.group(1)}</p>")
        line = f"{line} {rest}".strip() if rest else line
    return line


primary_phone = callchain.primary_phone


def fill_markers(markdown: str, handbook: Handbook | Renderer, page: str, today: dt.date) -> str:
    """Put generated parts where a hand-written page has a marker such as <!-- handbook:ring-nu -->.

    Takes the handbook, or a Renderer already made for it (a build makes one and reuses it).
    """
    renderer = handbook if isinstance(handbook, Renderer) else Renderer(handbook)
    if CALL_NOW_MARKER in markdown:
        markdown = markdown.replace(CALL_NOW_MARKER, renderer.call_now(page, today))
    if BLOCKERS_MARKER in markdown:
        markdown = markdown.replace(BLOCKERS_MARKER, renderer.blockers_list(page))
    if ROUTINES_MARKER in markdown:
        markdown = markdown.replace(ROUTINES_MARKER, renderer.routine_list(page))
    return markdown


FIELD_KINDS = [
    (
        "routine",
        "En rutin (routines/&lt;id&gt;.yaml)",
        "Varje rutin är en egen fil. Filnamnet är rutinens id.",
        Routine,
    ),
    ("step", "Ett steg (under steps:)", "Stegen står i ordning. Stegets id blir ankaret i webbadressen.", Step),
    ("deadline", "Tidsgräns (deadline:)", "Tiden skrivs som ISO 8601-längd och räknas från en händelse.", Deadline),
    ("next", "Nästa steg (next:)", "En rad per väg. Skriv to: end där rutinen slutar.", NextStep),
    ("status", "Beslut (status:)", "En rutin är ett beslut. Ett utkast visas med en banderoll.", Decision),
    ("changelog", "Ändring (changelog:)", "En rad per ändring, den senaste först.", Change),
    ("provision", "Ett lagrum (legal.yaml)", "Lagrummen står under provisions:.", Provision),
    ("contact", "En kontakt (contacts.yaml)", "Kontakterna står under contacts:.", Contact),
    ("phone", "Telefonnummer (phones:)", "Numret kontrolleras och visas som svenskt nummer.", Phone),
    ("hours", "Öppettider (hours:)", "En rad per dagsgrupp.", Hours),
    ("verification", "Kontroll (verification:)", "När och var uppgiften kontrollerades.", Verification),
    ("term", "En term (glossary.yaml)", "Termerna står under terms:.", Term),
    ("role", "En roll (roles.yaml)", "Rollerna står under roles:. Stegen anger dem med id under roles:.", Role),
]


def field_tables() -> list[dict]:
    """The data model as tables for the editing guide, from the same annotations the loader reads."""
    tables = []
    for anchor, title, intro, cls in FIELD_KINDS:
        rows = [
            {"name": name, "required": is_required(f), "doc": f.metadata["doc"], "example": f.metadata.get("example")}
            for name, _, f in record_fields(cls)
        ]
        tables.append({"anchor": anchor, "title": title, "intro": intro, "fields": rows})
    return tables


_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})
_SWEDISH_BACK = str.maketrans({"{": "å", "|": "ä", "}": "ö"})


def swedish_key(word: str) -> str:
    """Sort like a Swedish dictionary: å, ä, ö after z."""
    return word.lower().translate(_SWEDISH)


def routine_order(handbook: Handbook) -> list[Routine]:
    """Routines in the order of the national process, then by title: the index page and the navigation."""
    return sorted(handbook.routines, key=lambda r: (r.process_step, r.title))


def routines_nav(nav: list | None, handbook: Handbook) -> list | None:
    """The site navigation with the section that holds the routines' own page (the list of every routine).

    Adding a routine file is then enough: no routine is ever left out of the navigation (which a
    strict build refuses) and no hand-kept list can go stale."""
    if not nav:
        return nav
    kind = ITEM["routine"]
    pages = [kind.index, *(kind.page_of(r.id) for r in routine_order(handbook))]

    def walk(items: list) -> list:
        out = []
        for item in items:
            if isinstance(item, dict):
                item = {
                    title: (
                        pages
                        if isinstance(value, list) and kind.index in value
                        else walk(value)
                        if isinstance(value, list)
                        else value
                    )
                    for title, value in item.items()
                }
            out.append(item)
        return out

    return walk(nav)


def with_occasional_pages(nav: list | None, pages: dict[str, str]) -> list | None:
    """The navigation with each page that is made only when its data is there (the law radar's findings) that
    the nav does not name: after the first page of its folder, or last. A strict build refuses a page that is
    in no nav, so without this the first committed lawradar.json would stop every build."""
    if not nav:
        return nav
    nav = copy.deepcopy(nav)
    named = set(_nav_paths(nav))
    for page in GENERATED:
        if page.always or page.path not in pages or page.path in named:
            continue
        folder = posixpath.dirname(page.path) + "/"
        if not _insert_after_folder(nav, folder, page.path):
            nav = [*nav, page.path]
    return nav


def _nav_paths(items: list) -> Iterator[str]:
    for item in items:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, list):
                yield from _nav_paths(value)
            elif isinstance(value, str):
                yield value


def _insert_after_folder(items: list, folder: str, path: str) -> bool:
    """Insert path after the last entry of the first list that holds a page in folder; False if none does."""
    for i in range(len(items) - 1, -1, -1):
        item = items[i]
        value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        if isinstance(value, str) and value.startswith(folder):
            items.insert(i + 1, path)
            return True
    return any(
        isinstance(value, list) and _insert_after_folder(value, folder, path)
        for item in items
        if isinstance(item, dict)
        for value in item.values()
    )


def page_sources(handbook: Handbook) -> dict[str, str]:
    """The content file each generated page comes from (for the "Redigera" button)."""
    sources = {ITEM["routine"].page_of(r.id): r.pos.file for r in handbook.routines}
    sources.update({kind.page: kind.file for kind in ITEM_KINDS if kind.anchor_only})
    sources.update({ITEM["role"].page_of(r.id): ITEM["role"].file for r in handbook.roles})
    return sources


def abbreviations(handbook: Handbook, markdown: str = "") -> str:
    """Markdown abbreviation definitions (*[LVU]: ...) from the glossary, for the abbreviations a page uses.

    Only the ones that occur keep each page small and the Markdown abbr extension fast.
    """
    words = set(WORD.findall(markdown))
    used = [
        t
        for t in handbook.terms
        if t.abbreviation
        and (t.abbreviation in words if WORD.fullmatch(t.abbreviation) else t.abbreviation in markdown)
    ]
    lines = [f"*[{t.abbreviation}]: {' '.join(t.term.split())}" for t in used]
    return "\n\n" + "\n".join(dict.fromkeys(lines)) + "\n" if lines else ""
