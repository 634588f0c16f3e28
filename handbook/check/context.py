"""What every rule family receives: the loaded handbook and the date the check is for.

Built from load's `Loaded` and the date alone; the read-only properties are what the rule modules read
(the model, what failed to load, the docs pages, the published links of the root and of its base).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handbook.core.model import Handbook
from handbook.load import Loaded, Skipped


@dataclass(frozen=True)
class Context:
    loaded: Loaded
    # The date review and verification ages are measured from.
    today: dt.date

    @property
    def handbook(self) -> Handbook:
        return self.loaded.handbook

    @property
    def skipped(self) -> Skipped:
        """What failed to load: references to it are not reported twice."""
        return self.loaded.skipped

    @property
    def pages(self) -> dict[str, str]:
        """Hand-written pages: docs path -> Markdown text."""
        return self.loaded.pages

    @property
    def published(self) -> str | None:
        """The text of published-links.txt, or None when the root has no such file."""
        return self.loaded.published

    @property
    def base_published(self) -> tuple[str, str] | None:
        """The base's published-links.txt (its path relative to the root, its text): its links must stay
        reachable."""
        return self.loaded.base_published
