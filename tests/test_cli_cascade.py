"""One mistake, one message (`handbook check` on a broken copy of the real content).

Each test copies the handbook's own content, makes one typical maintainer mistake and asserts the
exact errors: no wave of follow-on errors, nothing held back for a second run, and every unknown
reference with "Menade du …?".
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from handbook.cli import main
from helpers import copy_handbook


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """A copy of the real content (checked once: the tests below compare against it)."""
    root = tmp_path_factory.mktemp("content") / "root"
    root.mkdir()
    return copy_handbook(root, theme=False)


@pytest.fixture
def root(clean, tmp_path) -> Path:
    copy = tmp_path / "root"
    shutil.copytree(clean, copy)
    return copy


def problems(root: Path) -> list[dict]:
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--today", "2026-12-03", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["problems"]


def errors(root: Path) -> list[dict]:
    return [p for p in problems(root) if p["severity"] == "error"]


def edit(path: Path, pattern: str, replacement, count: int = 1) -> re.Match:
    """Apply one regex edit to a content file; the test fails when the content no longer has the pattern."""
    text = path.read_text(encoding="utf-8")
    match = re.search(pattern, text, flags=re.M)
    assert match, f"{pattern!r} not in {path.name}: update this test's edit"
    path.write_text(re.sub(pattern, replacement, text, count=count, flags=re.M), encoding="utf-8")
    return match


def test_real_content_has_no_errors(clean):
    assert errors(clean) == []


def test_stray_colon_in_legal_yaml_is_one_error_and_one_note(root):
    """Before: 56 errors (55 false published-link-removed). Now the syntax error, and one line at the file
    saying which checks waited for it."""
    edit(root / "legal.yaml", r"^(    title: )(.*)$", r"\1Ny: \2")
    found = problems(root)
    assert [p["code"] for p in found if p["severity"] == "error"] == ["yaml-syntax"]
    notes = [p for p in found if p["code"] == "checks-skipped"]
    assert [(p["file"], p["severity"]) for p in notes] == [("legal.yaml", "warning")]
    assert "legal.yaml inte kunde läsas" in notes[0]["message"]


def test_broken_routine_file_is_one_error_and_one_note(root):
    """A routine that does not load: its links in published-links.txt and in the docs are not reported."""
    path = sorted((root / "routines").glob("*.yaml"))[0]
    edit(path, r"^(title: )(.*)$", r"\1Ny: \2")
    found = problems(root)
    assert [p["code"] for p in found if p["severity"] == "error"] == ["yaml-syntax"]
    assert [p["file"] for p in found if p["code"] == "checks-skipped"] == [f"routines/{path.name}"]


def _step_with_contacts(root: Path) -> tuple[Path, str]:
    """A routine file and the text of its first step that names contacts."""
    for path in sorted((root / "routines").glob("*.yaml")):
        for step in path.read_text(encoding="utf-8").split("\n  - id: ")[1:]:
            if "\n    contacts: [" in step and "\n    title: " in step:
                return path, step
    raise AssertionError("no step with contacts in the content")


def test_unknown_contact_in_a_broken_step_is_reported_at_once(root):
    """A step without a title and with a misspelt contact: both errors on the first run, the contact with a
    suggestion, and no false error about the step's published link or the docs' links to it."""
    path, step = _step_with_contacts(root)
    contact = re.search(r"\n    contacts: \[([a-z0-9-]+)", step).group(1)
    broken = re.sub(r"\n    title: [^\n]*", "\n    title:", step, count=1)
    broken = broken.replace(f"\n    contacts: [{contact}", f"\n    contacts: [{contact[:-1]}", 1)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(step, broken, 1), encoding="utf-8")
    found = errors(root)
    assert Counter(p["code"] for p in found) == {"field-missing": 1, "ref-unknown-contact": 1}
    unknown = next(p for p in found if p["code"] == "ref-unknown-contact")
    assert unknown["message"].endswith(f'Menade du "{contact}"?')
    assert {p["file"] for p in found} == {f"routines/{path.name}"}


def test_bad_sfs_number_is_one_error(root):
    """Before: value-invalid and a false legal-sfs-missing. Now only the value is reported."""
    edit(root / "legal.yaml", r'^(    sfs: "\d{4}):(\d+)"', r'\1-\2"')
    assert [p["code"] for p in errors(root)] == ["value-invalid"]


def _misspell(root: Path, glob: str, pattern: str) -> str:
    """Drop the last letter of the first id that group 1 of pattern finds in the files; return the id."""
    path = next((p for p in sorted(root.glob(glob)) if re.search(pattern, p.read_text(encoding="utf-8"), re.M)), None)
    assert path, f"{pattern!r} not in {glob}: update this test's pattern"

    def shorten(m: re.Match) -> str:
        start, end = m.start(1) - m.start(0), m.end(1) - m.start(0)
        return m.group(0)[:start] + m.group(1)[:-1] + m.group(0)[end:]

    return edit(path, pattern, shorten).group(1)


@pytest.mark.parametrize(
    "kind, file, pattern",
    [
        ("contact", "contacts.yaml", r"^call_now: \[([a-z0-9-]+)"),
        ("contact", "contacts.yaml", r"^    outside_hours: ([a-z0-9-]+)"),
        ("provision", "routines/*.yaml", r"^    legal: \[([a-z0-9-]+)"),
        ("role", "routines/*.yaml", r"^    roles: \[([a-z0-9-]+)"),
        ("routine", "routines/*.yaml", r"^related: \[([a-z0-9-]+)"),
        ("step", "routines/*.yaml", r"^      - to: ([a-z0-9-]+)"),
        ("step", "docs/*.md", r"\(rutin:[a-z0-9-]+#([a-z0-9-]+)\)"),
        ("term", "glossary.yaml", r"^    see_also: \[([a-z0-9-]+)"),
    ],
)
def test_every_unknown_reference_suggests_the_close_id(root, kind, file, pattern):
    """A misspelt id anywhere: one error, ref-unknown-<kind>, with "Menade du" and the right id."""
    right = _misspell(root, file, pattern)
    found = errors(root)
    assert [p["code"] for p in found] == [f"ref-unknown-{kind}"]
    assert f'Menade du "{right}"?' in found[0]["message"]
