"""Run every rule family over a loaded handbook: model -> sorted problems. Pure, no I/O."""

from __future__ import annotations

import datetime as dt

from handbook.check import callchain, contacts, legal, published, references, routines, safety, values
from handbook.check.context import Context
from handbook.load import Loaded
from handbook.core.problems import Problem

FAMILIES = (references, routines, contacts, callchain, legal, safety, values, published)


def check_handbook(loaded: Loaded, today: dt.date) -> list[Problem]:
    """Load problems plus every rule's problems, sorted by file and line, without duplicates."""
    ctx = Context(loaded.handbook, today, loaded.skipped, loaded.pages, loaded.published, loaded.base_published)
    found = set(loaded.problems)
    for family in FAMILIES:
        found.update(family.check(ctx))
    # Rules place a docs page's problems at its docs path; a page from the base is named by its own file.
    return sorted(_in_file(p, loaded.page_files) for p in found)


def _in_file(p: Problem, page_files: dict[str, str]) -> Problem:
    file = page_files.get(p.file)
    return p if file is None else Problem(file, p.line, p.column, p.severity, p.code, p.message)


def strictly(problems: list[Problem]) -> list[Problem]:
    """--strict: every warning counts as an error."""
    return [Problem(p.file, p.line, p.column, "error", p.code, p.message) for p in problems]
