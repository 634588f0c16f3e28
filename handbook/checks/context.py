"""What every rule family receives: the model, what failed to load, the date and the docs pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from handbook.model import Handbook


@dataclass(frozen=True)
class Context:
    handbook: Handbook
    today: dt.date
    # Ids whose records failed to load, by kind: references to them are not reported twice.
    skipped: dict[str, set[str]] = field(default_factory=dict)
    # Hand-written pages: docs path -> Markdown text.
    pages: dict[str, str] = field(default_factory=dict)
    # The text of published-links.txt, or None when the root has no such file.
    published: str | None = None

    def items(self, kind: str) -> list:
        hb = self.handbook
        return {"routine": hb.routines, "provision": hb.provisions, "contact": hb.contacts, "term": hb.terms}[kind]

    def has(self, kind: str, item_id: str) -> bool:
        lookup = {"routine": self.handbook.routine, "provision": self.handbook.provision,
                  "contact": self.handbook.contact, "term": self.handbook.term}[kind]
        return lookup(item_id) is not None


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from earlier to later."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")
