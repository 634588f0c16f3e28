"""The engine's rooms and their import rules (ARCHITECTURE.md), read from the source, not from a list."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from handbook.core.kinds import ITEM
from handbook.core.paths import GENERATED, url_of
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


# --- Page paths: the registry is the only place that knows them ------------------------------------------

# The registry of generated pages (core/paths.py) and the item kinds that take their paths from it.
REGISTRY = {PACKAGE / "core" / "paths.py", PACKAGE / "core" / "kinds.py"}
SOURCE_SUFFIXES = {".py", ".j2", ".html", ".js", ".css"}


def page_path_needles() -> set[str]:
    """What a page path written as a literal looks like, for every generated page and file in the registry: its
    docs path and its URL without the leading slash, each up to an {id} (rutiner/, lagrum.md, lagrum/ …).
    A folder's bare name ("rutiner") is left out: it is also a Swedish word in the engine's texts."""
    needles = set()
    for generated in GENERATED:
        for text in (generated.path, url_of(generated.path).lstrip("/")):
            if needle := text.split("{")[0]:
                needles.add(needle)
    return needles


def page_path_literals(text: str, needles: set[str]) -> list[tuple[int, str]]:
    """(line, path) for every page path written in a source text."""
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)) + ")")
    return [
        (number, m.group(1)) for number, line in enumerate(text.splitlines(), start=1) for m in pattern.finditer(line)
    ]


def test_page_paths_are_written_only_in_the_registry():
    """A page path (rutiner/{id}.md, /lagrum/, kontakter/ring-nu.json …) is written only in core/paths.py and
    core/kinds.py: render, the check, the templates, the messages and the model's docs read it from there, so that
    moving a page is one edit in the engine (ARCHITECTURE.md, The two registries)."""
    needles = page_path_needles()
    sources = sorted(p for p in PACKAGE.rglob("*") if p.suffix in SOURCE_SUFFIXES and "__pycache__" not in p.parts)
    found = [
        f"{path.relative_to(REPO)}:{line}: {needle}"
        for path in sources
        if path not in REGISTRY
        for line, needle in page_path_literals(path.read_text(encoding="utf-8"), needles)
    ]
    assert found == []


def test_the_page_path_rule_catches_a_literal():
    """The needles come from the registry and find a path in code, in a message and in a template, not a word."""
    routine, provision = ITEM["routine"], ITEM["provision"]
    text = (
        f'page = f"{routine.page}"\nmessage = "Se {routine.index_url}."\n{{{{ built(\'{provision.page}\') }}}}\n'
        f"words = '{routine.index.split('/')[0]} och {provision.prefix}'\n"
    )
    assert [line for line, _ in page_path_literals(text, page_path_needles())] == [1, 2, 3]


MAX_FUNCTION_LINES = 60


def test_no_function_in_the_engine_is_longer_than_sixty_lines():
    """A function a new maintainer can read on one screen; split a longer one into named steps."""
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []
