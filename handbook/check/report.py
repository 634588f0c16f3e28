"""Problems -> text, JSON or GitHub workflow annotations. Pure functions returning str."""

from __future__ import annotations

import json

from handbook.core.problems import Problem


def counts(problems: list[Problem]) -> dict[str, int]:
    return {
        "error": sum(p.severity == "error" for p in problems),
        "warning": sum(p.severity == "warning" for p in problems),
    }


def format_text(problems: list[Problem]) -> str:
    return "".join(f"{p.file}:{p.line}:{p.column}: {p.severity}: [{p.code}] {p.message}\n" for p in problems)


def format_json(problems: list[Problem]) -> str:
    body = {
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "severity": p.severity,
                "code": p.code,
                "message": p.message,
            }
            for p in problems
        ],
        "counts": counts(problems),
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def _escape(text: str, properties: bool = False) -> str:
    # GitHub's workflow-command escaping: % and newlines always, : and , inside properties.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if properties else text


def format_github(problems: list[Problem], rules_url: str = "") -> str:
    """Workflow annotations; with rules_url each one links to its rule's explanation in the handbook."""

    def more(p: Problem) -> str:
        return f" Läs mer: {rules_url}#{p.code}" if rules_url else ""

    return "".join(
        f"::{p.severity} file={_escape(p.file, True)},line={p.line},col={p.column},"
        f"title={_escape(p.code, True)}::{_escape(p.message + more(p))}\n"
        for p in problems
    )


def summary(problems: list[Problem]) -> str:
    """The closing line on stderr, in Swedish."""
    c = counts(problems)
    files = len({p.file for p in problems})
    if not problems:
        return "Inga problem hittades."
    fel = "fel"
    varningar = "varning" if c["warning"] == 1 else "varningar"
    filer = "fil" if files == 1 else "filer"
    return f"{c['error']} {fel} och {c['warning']} {varningar} i {files} {filer}."


REPORTERS = {"text": format_text, "json": format_json, "github": format_github}
