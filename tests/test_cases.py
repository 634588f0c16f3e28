"""Every rule has a case folder: a minimal broken handbook and the exact report it must give.

tests/cases/<rule-code>/<case>/ holds the files that differ from tests/cases/_base (and an
optional delete.txt); expected.txt is the exact text report. `pytest --update-golden` rewrites it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handbook.check import check_handbook
from handbook.check.report import format_text
from handbook.core.problems import RULES
from handbook.load import load_handbook
from helpers import BASE, TESTS, TODAY, golden

CASES = sorted(p for p in (TESTS / "cases").glob("*/*") if p.is_dir() and p.parent.name != "_base")


def run_case(case: Path, tmp_path: Path) -> str:
    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    for path in case.rglob("*"):
        rel = path.relative_to(case)
        if (path.is_file() or path.is_symlink()) and rel.name not in ("expected.txt", "delete.txt"):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).unlink(missing_ok=True)
            shutil.copy(path, root / rel, follow_symlinks=False)
    if (case / "delete.txt").exists():
        for rel in (case / "delete.txt").read_text().split():
            (root / rel).unlink()
    return format_text(check_handbook(load_handbook(root), TODAY))


def test_base_is_clean(tmp_path):
    """The base handbook that cases modify has no problems at all."""
    empty = tmp_path / "empty-case"
    empty.mkdir()
    assert run_case(empty, tmp_path) == ""


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case(case, tmp_path, update_golden):
    """The case reports exactly its expected problems, including its own rule code."""
    actual = run_case(case, tmp_path)
    assert f"[{case.parent.name}]" in actual, f"the case does not trigger {case.parent.name}:\n{actual}"
    golden(case / "expected.txt", actual, update_golden)


# Rules that need the network are tested with a server on 127.0.0.1 instead (tests/test_external.py).
# release-blocker only runs with --release: tests/test_callchain.py.
TESTED_ELSEWHERE = {"url-unreachable", "release-blocker"}


def test_every_rule_has_a_case():
    """No rule in the catalogue is without a failing-fixture test, and no case names an unknown rule."""
    case_codes = {case.parent.name for case in CASES}
    assert sorted(set(RULES) - case_codes - TESTED_ELSEWHERE) == []
    assert sorted(case_codes - set(RULES)) == []


def test_html_inside_code_is_not_raw_html(tmp_path):
    """`<steg-id>` in a code span or block is shown as written, so the raw-HTML rule does not fire."""
    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    routine = root / "routines" / "rutin-a.yaml"
    routine.write_text(
        routine.read_text().replace(
            "instructions: Gör det första.",
            "instructions: |\n      Skriv `<steg-id>`.\n\n      ```\n      <b>x</b>\n      ```",
        )
    )
    assert format_text(check_handbook(load_handbook(root), TODAY)) == ""
