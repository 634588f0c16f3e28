"""The three report formats, byte for byte."""

from __future__ import annotations

import json

from handbook.check.report import format_github, format_json, format_text, summary
from handbook.core.problems import Problem

PROBLEMS = [
    Problem("contacts.yaml", 88, 5, "warning", "contact-stale", "Uppgifterna för x kontrollerades senast 2024-03-01."),
    Problem("routines/a.yaml", 41, 18, "error", "ref-unknown-contact", 'Kontakten "y" finns inte, 100%: ja, nej'),
]


def test_text():
    """One clickable path:line:column line per problem."""
    assert format_text(PROBLEMS) == (
        "contacts.yaml:88:5: warning: [contact-stale] Uppgifterna för x kontrollerades senast 2024-03-01.\n"
        'routines/a.yaml:41:18: error: [ref-unknown-contact] Kontakten "y" finns inte, 100%: ja, nej\n'
    )


def test_json():
    """The JSON object ARCHITECTURE.md specifies, with counts, and Swedish letters unescaped."""
    data = json.loads(format_json(PROBLEMS))
    assert data == {
        "problems": [
            {
                "file": "contacts.yaml",
                "line": 88,
                "column": 5,
                "severity": "warning",
                "code": "contact-stale",
                "message": "Uppgifterna för x kontrollerades senast 2024-03-01.",
            },
            {
                "file": "routines/a.yaml",
                "line": 41,
                "column": 18,
                "severity": "error",
                "code": "ref-unknown-contact",
                "message": 'Kontakten "y" finns inte, 100%: ja, nej',
            },
        ],
        "counts": {"error": 1, "warning": 1},
    }
    assert "för" in format_json(PROBLEMS)


def test_github_escapes_workflow_syntax():
    """Annotations escape % always, and : and , inside properties."""
    assert format_github(PROBLEMS) == (
        "::warning file=contacts.yaml,line=88,col=5,title=contact-stale::Uppgifterna för x kontrollerades senast "
        "2024-03-01.\n"
        '::error file=routines/a.yaml,line=41,col=18,title=ref-unknown-contact::Kontakten "y" finns inte, 100%25: '
        "ja, nej\n"
    )


def test_empty_reports():
    """No problems: empty text and GitHub output, zero counts in JSON."""
    assert format_text([]) == "" and format_github([]) == ""
    assert json.loads(format_json([])) == {"problems": [], "counts": {"error": 0, "warning": 0}}


def test_summary_in_swedish():
    """The closing line counts errors, warnings and files in Swedish."""
    assert summary(PROBLEMS) == "1 fel och 1 varning i 2 filer."
    assert summary([]) == "Inga problem hittades."


def test_github_links_each_rule():
    """With the site's address, each annotation ends with a link to its rule on the rules page."""
    out = format_github(PROBLEMS[:1], "https://handbok.example/redigera/regler/")
    assert out.endswith("Läs mer: https://handbok.example/redigera/regler/#contact-stale\n")
