"""What every rule family receives: the model, what failed to load, the date, the docs pages and the
published links (the root's and its base's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from handbook.core.model import Handbook
from handbook.load import Skipped


@dataclass(frozen=True)
class Context:
    handbook: Handbook
    today: dt.date
    # What failed to load: references to it are not reported twice.
    skipped: Skipped = field(default_factory=Skipped)
    # Hand-written pages: docs path -> Markdown text.
    pages: dict[str, str] = field(default_factory=dict)
    # The text of published-links.txt, or None when the root has no such file.
    published: str | None = None
    # The base's published-links.txt (its path relative to the root, its text): its links must stay reachable.
    base_published: tuple[str, str] | None = None
