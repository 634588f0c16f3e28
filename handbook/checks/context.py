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
