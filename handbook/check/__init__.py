"""Run every rule family over a loaded handbook: model -> sorted problems. Pure, no I/O."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from handbook.core.model import Pos
from handbook.core.problems import Problem, problem

if TYPE_CHECKING:
    from handbook.load import Loaded

# What check leaves unjudged when a file of a kind gives no record, in the words of the one message.
SKIPPED_CHECKS = {
    "routine": "hänvisningar till rutinen och dess steg och rutinens publicerade länkar",
    "provision": "hänvisningar till lagrum, kontrollen av lagrummen och publicerade länkar till sidan Lagrum",
    "contact": "hänvisningar till kontakter, kedjan i call_now och publicerade länkar till sidan Kontakter",
    "term": "hänvisningar till termer och publicerade länkar till Ordlistan",
    "role": "hänvisningar till roller och publicerade länkar till sidorna om roller",
}


def check_handbook(loaded: Loaded, today: dt.date) -> list[Problem]:
    """Load problems plus every rule's problems, sorted by file and line, without duplicates."""
    from handbook.check.context import Context

    ctx = Context(loaded, today)
    found = set(loaded.problems) | set(_skipped_notes(loaded))
    for family in families():
        found.update(family.check(ctx))
    # Rules place a docs page's problems at its docs path; a page from the base is named by its own file.
    return sorted(_in_file(p, loaded.page_files) for p in found)


def families() -> tuple:
    """Every rule family, in the order they run. Imported on first use, so that importing `handbook.check` for its
    small helpers (strictly, report, release's settings) does not import every rule (a warm build needs none)."""
    from handbook.check import callchain, contacts, legal, published, references, routines, safety, values

    return (references, routines, contacts, callchain, legal, safety, values, published)


def _skipped_notes(loaded: Loaded) -> list[Problem]:
    """One line per file that gave no record, saying which checks waited for it (instead of a wave of
    false errors about everything that refers to it)."""
    return [
        problem(
            "checks-skipped",
            Pos(file),
            f"Eftersom {file} inte kunde läsas hoppade kontrollen över "
            f"{SKIPPED_CHECKS[kind]}. Rätta felet i filen och kör kontrollen igen.",
        )
        for file, kind in loaded.skipped.files.items()
    ]


def _in_file(p: Problem, page_files: dict[str, str]) -> Problem:
    file = page_files.get(p.file)
    return p if file is None else Problem(file, p.line, p.column, p.severity, p.code, p.message)


def strictly(problems: list[Problem]) -> list[Problem]:
    """--strict: every warning counts as an error."""
    return [Problem(p.file, p.line, p.column, "error", p.code, p.message) for p in problems]
