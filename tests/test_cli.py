"""`handbook check`: exit codes 0/1/2, formats, --strict and --today, as DESIGN.md promises."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from helpers import base_root
from handbook.cli import main


def run(*args):
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_clean_root_exits_0(tmp_path):
    """No problems: exit 0, nothing on stdout, a Swedish summary on stderr."""
    assert run("--root", str(base_root(tmp_path)), "--today", "2026-11-27") == (0, "", "Inga problem hittades.\n")


def test_warnings_pass_unless_strict(tmp_path):
    """An overdue review is a warning (exit 0); with --strict it is an error (exit 1)."""
    root = str(base_root(tmp_path))
    code, out, _ = run("--root", root, "--today", "2028-01-01")
    assert code == 0 and "warning: [review-overdue]" in out
    code, out, _ = run("--root", root, "--today", "2028-01-01", "--strict")
    assert code == 1 and "error: [review-overdue]" in out


def test_errors_exit_1_with_json(tmp_path):
    """An error exits 1; --format json gives the documented object."""
    root = base_root(tmp_path, {"glossary.yaml": "terms:\n  - id: X\n"})
    code, out, _ = run("--root", str(root), "--today", "2026-11-27", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["counts"]["error"] >= 1
    assert {"file", "line", "column", "severity", "code", "message"} == set(data["problems"][0])


def test_cannot_run_exits_2(tmp_path):
    """A missing root, a bad date or an unknown format: exit 2, no traceback."""
    assert run("--root", str(tmp_path / "saknas"))[0] == 2
    assert run("--root", str(tmp_path), "--today", "igår")[0] == 2
    assert run("--root", str(tmp_path), "--format", "xml")[0] == 2


def test_python_dash_m(tmp_path):
    """`python -m handbook check` works like the installed command."""
    result = subprocess.run([sys.executable, "-m", "handbook", "check", "--root", str(base_root(tmp_path)),
                             "--today", "2026-11-27"], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


def test_broken_content_never_tracebacks(tmp_path):
    """Even a root whose every file is broken gives problems and exit 1, not a traceback."""
    root = base_root(tmp_path, {"legal.yaml": "- [", "contacts.yaml": b"\xff", "glossary.yaml": "a: &x 1\nb: *x\n",
                                "routines/rutin-a.yaml": "id: rutin-a\n\tsteps: []\n", "routines/b.yaml": "42\n"})
    code, out, err = run("--root", str(root), "--today", "2026-11-27")
    assert code == 1
    assert "Traceback" not in out + err
    assert {line.split("[")[1].split("]")[0] for line in out.splitlines()} >= {
        "yaml-syntax", "file-encoding", "yaml-alias", "yaml-tab", "field-type"}
