"""The repository's own content: zero errors, and only the deliberate warnings."""

from __future__ import annotations

import datetime as dt

from handbook.check import check_handbook
from handbook.load import load_handbook
from helpers import REPO

# The day the content was last audited; review and verification ages are measured from it.
TODAY = dt.date(2026, 12, 3)
# Deliberate, and shown to readers: unverified legal references and contact details, and draft routines.
DELIBERATE = {"provision-unverified", "contact-unverified", "routine-draft"}


def test_real_content_has_no_errors():
    """handbook check finds no error in the real routines, legal catalogue, contacts and glossary."""
    problems = check_handbook(load_handbook(REPO), TODAY)
    assert [p for p in problems if p.severity == "error"] == []


def test_real_content_warnings_are_only_the_deliberate_ones():
    """Every warning is one of the deliberate kinds, listed in the handbook's notes."""
    problems = check_handbook(load_handbook(REPO), TODAY)
    assert {p.code for p in problems} <= DELIBERATE


def test_real_content_is_complete():
    """The routines with fixed ids, at least 30 provisions, 15 contacts and 30 terms."""
    handbook = load_handbook(REPO).handbook
    assert sorted(r.id for r in handbook.routines) == sorted(
        [
            "forsta-atgarder",
            "identifiering",
            "anmalan-och-utredning",
            "skydd-och-placering",
            "polis-och-aklagare",
            "barn-utan-vardnadshavare",
            "tryggt-atervandande",
            "ansvar-och-overlamning",
            "uppfoljning-och-avslut",
            "avvikna-barn",
            "barn-misstankt-for-brott",
            "osaker-alder",
        ]
    )
    assert all(4 <= len(r.steps) <= 10 for r in handbook.routines)
    assert len(handbook.provisions) >= 30 and len(handbook.contacts) >= 15 and len(handbook.terms) >= 30
