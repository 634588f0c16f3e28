"""The engine's rooms and their import rules (ARCHITECTURE.md), read from the source, not from a list."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import REPO

PACKAGE = REPO / "handbook"
ALLOWED = {
    "core": {"core"},
    "load": {"core", "load"},
    "check": {"core", "load", "check"},
    "render": {"core", "render"},
    "site": {"core", "load", "check", "render", "site"},
    "tools": {"core", "load", "check", "render", "tools"},
}
EVERYTHING = {"cli", "__main__", "__init__"}


def room(module: Path) -> str:
    rel = module.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imported_rooms(module: Path) -> set[tuple[str, int]]:
    """(room, line) of every import of the handbook package in a module, at any depth (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "handbook" else [f"handbook.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "handbook" and len(parts) > 1:
                found.add((parts[1], node.lineno))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_room():
    rooms = {room(m) for m in MODULES}
    assert rooms <= set(ALLOWED) | EVERYTHING, rooms - set(ALLOWED) - EVERYTHING
    # The package's top level holds only the command line: everything else has its room.
    assert sorted(m.name for m in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py", "cli.py"]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.relative_to(PACKAGE).as_posix())
def test_imports_follow_the_flow(module):
    here = room(module)
    if here in EVERYTHING:
        return
    wrong = sorted((target, line) for target, line in imported_rooms(module) if target not in ALLOWED[here])
    assert wrong == [], f"{module.relative_to(REPO)} ({here}) may not import {wrong}"


def test_the_rule_catches_a_wrong_import(tmp_path):
    """The walk sees imports inside functions and `from handbook import x` too."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from handbook.check import check_handbook\n\nfrom handbook import site\n")
    assert imported_rooms(bad) == {("check", 2), ("site", 4)}


def test_repository_docs_stay_inside_the_repository():
    """A clone has only itself: README and ARCHITECTURE.md send no reader to a folder outside it."""
    for name in ("README.md", "ARCHITECTURE.md", "BENCHMARKS.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        assert "../shared" not in text and "DESIGN.md" not in text, name
