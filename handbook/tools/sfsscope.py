"""Read the scope of an amending act ("Omfattning") and a provision's citation as places in an act.

The SFS register writes what an amending act does as verb groups separated by semicolons:
"upph. 18 kap 2 §; nuvarande 10 kap 9 § betecknas 10 kap 10 §; ändr. 2 kap 6 §, 4 kap 2, 8 §§,
15 kap 7-10 §§, rubr. närmast före 7 kap 1 §; ny 10 kap 9 §; omtryck". Items after a chapter keep
that chapter until the next one ("4 kap 2, 8 §§"); "2 kap" alone is the whole chapter. Anything
this module cannot read becomes an `unclear` touch, so the radar alarms rather than passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A section number as a sortable key: "2 a" -> (2, "a"); an "a" section sorts between 2 and 3.
SectionKey = tuple[int, str]

CHANGED, NEW, REPEALED, RENUMBERED, HEADING, OTHER, UNCLEAR = (
    "changed",
    "new",
    "repealed",
    "renumbered",
    "heading",
    "other",
    "unclear",
)
# What a touch does to the text of a cited section (headings, transitional rules and reprints do not).
SUBSTANTIVE = frozenset({CHANGED, NEW, REPEALED, RENUMBERED, UNCLEAR})

VERBS = (  # longest first: "nya" before "ny"
    ("ändr.", CHANGED),
    ("ändr", CHANGED),
    ("nya", NEW),
    ("ny", NEW),
    ("upph.", REPEALED),
    ("upph", REPEALED),
    ("ikrafttr.", CHANGED),
)
NUMBER = r"\d+(?:\s?[a-z])?"
ITEM = re.compile(
    rf"^(?:(?P<chapter>{NUMBER})\s*kap\.?)?\s*"
    rf"(?:(?P<first>{NUMBER})(?:\s*[-–]\s*(?P<last>{NUMBER}))?)?\s*(?P<mark>§§?)?$"
)
CITATION = re.compile(rf"(?:(?P<chapter>{NUMBER})\s*kap\.?\s*)?(?P<section>{NUMBER})\s*§")


def section_key(text: str) -> SectionKey:
    match = re.fullmatch(r"(\d+)\s?([a-z]?)", text.strip())
    if not match:
        raise ValueError(text)
    return int(match[1]), match[2]


def _chapter(text: str | None) -> str | None:
    return re.sub(r"\s+", " ", re.sub(r"(\d)([a-z])", r"\1 \2", text.strip())) if text else None


@dataclass(frozen=True)
class Place:
    """A chapter (None in an act without chapters) and a range of sections; no range is the whole chapter."""

    chapter: str | None
    first: SectionKey | None = None
    last: SectionKey | None = None

    def covers(self, chapter: str | None, section: SectionKey) -> bool:
        if self.chapter != chapter:
            return False
        return self.first is None or self.first <= section <= (self.last or self.first)


@dataclass(frozen=True)
class Touch:
    """One thing an amending act does: its action, where (None when not a section) and the words it used."""

    action: str
    place: Place | None
    text: str


def parse_citation(section: str) -> tuple[str | None, SectionKey] | None:
    """The chapter and section of a citation such as "11 kap. 1 a § första stycket"; None when it names none."""
    match = CITATION.search(section or "")
    if not match:
        return None
    return _chapter(match["chapter"]), section_key(match["section"])


def parse_scope(text: str) -> list[Touch]:
    """Every touch in a scope text, in order."""
    touches: list[Touch] = []
    for group in (g.strip() for g in re.split(r";", text or "")):
        if group:
            touches.extend(_group(group))
    return touches


def _group(group: str) -> list[Touch]:
    lowered = group.lower()
    if lowered.startswith("omtryck"):
        return [Touch(OTHER, None, group)]
    if lowered.startswith("nuvarande") or " betecknas " in lowered:
        return _renumbering(group)
    for word, action in VERBS:
        if lowered.startswith((word + " ", word + "\u00a0")):
            return _items(action, group[len(word) :], group)
    return [Touch(UNCLEAR, None, group)]


def _renumbering(group: str) -> list[Touch]:
    """ "nuvarande 1 kap 2-8 §§ betecknas 1 kap 3-9 §§, nuvarande …": the old and the new places both change."""
    touches: list[Touch] = []
    for pair in (p.strip(" ,") for p in re.split(r"\bnuvarande\b", group)):
        if not pair:
            continue
        old, sep, new = pair.partition(" betecknas ")
        if not sep:
            touches.append(Touch(UNCLEAR, None, pair))
            continue
        for part in (old, new):
            touches.extend(
                Touch(RENUMBERED, t.place, "nuvarande " + pair) if t.action != UNCLEAR else t
                for t in _items(RENUMBERED, part, part)
            )
    return touches


def _items(action: str, body: str, group: str) -> list[Touch]:
    touches: list[Touch] = []
    chapter: str | None = None
    for item in (i.strip() for i in re.split(r",|\boch\b", body)):
        if not item:
            continue
        lowered = item.lower()
        if lowered.startswith("rubr"):
            cited = parse_citation(item)
            place = Place(cited[0], cited[1], cited[1]) if cited else None
            touches.append(Touch(HEADING, place, item))
            continue
        if "övergångsbest" in lowered or lowered.startswith("bil") or re.match(r"^\d+\s*p\b", lowered):
            touches.append(Touch(OTHER, None, item))
            continue
        match = ITEM.match(item)
        if not match or not (match["chapter"] or match["first"]):
            touches.append(Touch(UNCLEAR, None, item))
            continue
        if match["chapter"]:
            chapter = _chapter(match["chapter"])
        if match["first"]:
            first = section_key(match["first"])
            last = section_key(match["last"]) if match["last"] else first
            touches.append(Touch(action, Place(chapter, first, last), item))
        else:
            touches.append(Touch(action, Place(chapter), item))
    return touches
