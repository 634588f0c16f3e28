"""Load a handbook root: content files -> YAML nodes -> typed model, with every problem kept.

The only module that reads content files. It never writes to them and never raises for
bad content: a file that cannot be read becomes a problem with its place. A file or folder
that is a symbolic link out of the root is never read, so its content can never be shown.
"""

from __future__ import annotations

import gc
import os
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from handbook.load.convert import Converter
from handbook.core.kinds import ITEM, ITEM_KINDS
from handbook.core.model import ContactsFile, Handbook, Pos, Routine
from handbook.core.problems import Problem, problem
from handbook.core.published import LINKS_FILE
from handbook.load.yamlnodes import character_problems, decode, read_nodes

CONTENT_FILES = tuple(kind.file for kind in ITEM_KINDS if kind.file_record)
ROUTINES_DIR = ITEM["routine"].file.rstrip("/")
DOCS_DIR = "docs"
CONFIG_FILE = "mkdocs.yml"
YAML_SUFFIXES = (".yaml", ".yml")
# Routine ids the site needs for pages of its own: rutiner/index.md lists every routine.
RESERVED_ROUTINE_IDS = ("index",)


@dataclass
class Skipped:
    """What load could not build, so that check does not report references to it a second time."""
    # Item kind ("routine", "provision", "contact", "term") -> ids of records that failed to load.
    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Item kinds whose whole file could not be read: none of their ids are known.
    unreadable: set[str] = field(default_factory=set)
    # Routine id -> ids of its steps that failed to load.
    steps: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def covers(self, kind: str, item_id: str) -> bool:
        """Whether a reference to item_id of this kind may point at something that failed to load."""
        return kind in self.unreadable or item_id in self.ids.get(kind, ())

    def any(self, kind: str) -> bool:
        """Whether anything of this kind failed to load (so "unused" or "gap" cannot be judged)."""
        return kind in self.unreadable or bool(self.ids.get(kind))


@dataclass(frozen=True)
class Loaded:
    handbook: Handbook
    problems: list[Problem]
    skipped: Skipped = field(default_factory=Skipped)
    # Hand-written docs pages (docs path -> text), so their internal links are checked too.
    pages: dict[str, str] = field(default_factory=dict)
    # published-links.txt, when the root has one.
    published: str | None = None


def content_paths(root: Path) -> list[Path]:
    """Every content file of a root, in a stable order."""
    paths = [root / name for name in CONTENT_FILES]
    routines = root / ROUTINES_DIR
    if routines.is_dir():
        paths += sorted(p for p in routines.iterdir() if p.suffix in YAML_SUFFIXES)
    return paths


class _Files:
    """Reads files of one root, refusing links out of it; every refusal is a problem."""

    def __init__(self, root: Path, problems: list[Problem]) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.problems = problems

    def report(self, code: str, rel: str, message: str) -> None:
        self.problems.append(problem(code, Pos(rel), message))

    def inside(self, rel: str) -> bool:
        """Whether rel, following every symbolic link, stays inside the root; a problem when not."""
        path = self.root / rel
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a loop of links
            self.report("file-missing", rel, f"{rel} är en symbolisk länk som inte leder till någon fil.")
            return False
        if real != self.real_root and self.real_root not in real.parents:
            self.report("file-outside-root", rel, f"{rel} är en symbolisk länk till en plats utanför handbokens "
                        "mapp och läses inte. Lägg innehållet här i stället för länken.")
            return False
        return True

    def kind(self, rel: str) -> str | None:
        """What is at rel: "file", "dir", "other", "refused" (a link out of the root, reported) or None."""
        path = self.root / rel
        if not (path.exists() or path.is_symlink()):
            return None
        if not self.inside(rel):
            return "refused"
        try:
            mode = path.stat().st_mode
        except OSError:
            return None
        return "file" if stat.S_ISREG(mode) else "dir" if stat.S_ISDIR(mode) else "other"

    def read(self, rel: str, what: str = "Filen", required: bool = True) -> bytes | None:
        """The bytes of a regular file inside the root, or None (with a problem when it should be there)."""
        kind = self.kind(rel)
        if kind is None:
            if required:
                self.report("file-missing", rel, f"{what} {rel} saknas.")
            return None
        if kind == "dir":
            self.report("file-missing", rel, f"{rel} är en mapp, men ska vara en fil.")
            return None
        if kind == "other":
            self.report("file-missing", rel, f"{rel} är inte en vanlig fil.")
            return None
        if kind == "refused":
            return None
        try:
            return (self.root / rel).read_bytes()
        except OSError:
            self.report("file-missing", rel, f"{rel} kan inte läsas. Kontrollera att filen får läsas.")
            return None

    def text(self, rel: str) -> str | None:
        """A text file that is UTF-8 without control or invisible characters, or None and a placed
        problem for each fault. Faulty text is not checked further: messages would repeat it."""
        data = self.read(rel, required=False)
        if data is None:
            return None
        text, found = decode(rel, data)
        if text is not None:
            found = character_problems(rel, text)
        self.problems.extend(found)
        return None if found else text

    def walk(self, rel_dir: str) -> list[str]:
        """Relative paths of the files below a folder, sorted. Hidden files and folders are skipped (as
        MkDocs does); links to folders are followed while they stay inside the root, each folder once."""
        seen: set[Path] = set()
        found: list[str] = []
        todo = [rel_dir]
        while todo:
            current = todo.pop()
            try:
                real = (self.root / current).resolve()
                entries = sorted(os.scandir(self.root / current), key=lambda e: e.name)
            except (OSError, RuntimeError):
                continue
            if real in seen:
                continue
            seen.add(real)
            for entry in entries:
                rel = f"{current}/{entry.name}"
                if entry.name.startswith(".") or (entry.is_symlink() and not self.inside(rel)):
                    continue
                if entry.is_dir():
                    todo.append(rel)
                else:
                    found.append(rel)
        return sorted(found)


def _routine_files(files: _Files, skipped: set[str]) -> list[str]:
    """The routine files to read; folders, misnamed files and duplicates are reported instead."""
    kind = files.kind(ROUTINES_DIR)
    if kind is None:
        files.report("file-missing", ROUTINES_DIR, "Mappen routines/ saknas.")
    elif kind in ("file", "other"):
        files.report("file-missing", ROUTINES_DIR,
                     f"{ROUTINES_DIR} är en fil, men ska vara en mapp med en fil per rutin.")
    if kind != "dir":
        return []
    read: list[str] = []
    first: dict[str, str] = {}
    try:
        entries = sorted(os.scandir(files.root / ROUTINES_DIR), key=lambda e: e.name)
    except OSError:
        files.report("file-missing", ROUTINES_DIR, "Mappen routines/ kan inte läsas. Kontrollera att den får läsas.")
        return []
    for entry in entries:
        if entry.name.lower().endswith(YAML_SUFFIXES) and not entry.is_symlink() and entry.is_dir():
            rel = f"{ROUTINES_DIR}/{entry.name}"
            files.report("file-name", rel, f"{rel} är en mapp, men en rutin ska vara en fil.")
    for rel in files.walk(ROUTINES_DIR):
        parts = rel.split("/")
        name = parts[-1]
        stem, dot, suffix = name.rpartition(".")
        suffix = dot + suffix
        if suffix.lower() not in YAML_SUFFIXES:
            continue  # a README or an editor's backup is not a routine
        if len(parts) > 2:
            files.report("file-name", rel, f"{rel} ligger i en undermapp till routines/ och läses inte. Rutiner "
                         f"ligger direkt i routines/: flytta filen till routines/{name}.")
            continue
        if suffix not in YAML_SUFFIXES:
            files.report("file-name", rel, f'Filändelsen "{suffix}" läses inte. Byt namn på filen till '
                         f"{stem}{suffix.lower()} (med små bokstäver).")
            skipped.add(stem)
            continue
        if stem in RESERVED_ROUTINE_IDS:
            files.report("file-name", rel, f'En rutin kan inte heta "{stem}": /rutiner/{stem}.md är sidan som listar '
                         "alla rutiner. Byt namn på filen och rutinens id.")
            skipped.add(stem)
            continue
        if stem in first:
            files.report("id-duplicate", rel, f'Rutinen "{stem}" finns redan i {first[stem]}. Två filer kan inte ha '
                         "samma id: ta bort en av dem.")
            continue
        first[stem] = rel
        read.append(rel)
    return read


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


def _nodes(files: _Files, rel: str):
    data = files.read(rel)
    if data is None:
        return None
    node, found = read_nodes(rel, data)
    files.problems.extend(found)
    return node


def _load(root: Path) -> Loaded:
    problems: list[Problem] = []
    files = _Files(root, problems)
    skipped = Skipped()
    lists: dict[str, list] = {}
    for kind in ITEM_KINDS:
        if kind.file_record is None:
            continue  # routines: a file per item, read below
        rel, attr = kind.file, kind.list_key
        lists[attr] = []
        node = _nodes(files, rel)
        conv = Converter(rel)
        made = None if node is None else conv.record(kind.file_record, node, rel)
        problems.extend(conv.problems)
        skipped.ids[kind.name] |= conv.skipped_ids
        if made is None:
            skipped.unreadable.add(kind.name)
        else:
            lists[attr] = getattr(made, attr)
            if isinstance(made, ContactsFile):
                lists["call_now"] = made.call_now

    routines: list[Routine] = []
    for rel in _routine_files(files, skipped.ids["routine"]):
        node = _nodes(files, rel)
        stem = Path(rel).stem
        if node is None:
            skipped.ids["routine"].add(stem)
            continue
        conv = Converter(rel)
        made = conv.record(Routine, node, "Rutinen")
        problems.extend(conv.problems)
        skipped.steps[stem] |= conv.skipped_ids
        if made is None:
            skipped.ids["routine"].add(stem)
            continue
        for alias in made.aliases:
            if alias in RESERVED_ROUTINE_IDS:
                problems.append(problem("alias-collision", made.where.get("aliases", made.pos),
                                        f'Det tidigare id:t "{alias}" krockar med sidan som listar alla rutiner '
                                        f"(/rutiner/{alias}.md). Ta bort det från aliases."))
        routines.append(made)

    handbook = Handbook(routines=routines, provisions=lists["provisions"], contacts=lists["contacts"],
                        terms=lists["terms"], call_now=lists.get("call_now", []))
    pages = {}
    docs = files.kind(DOCS_DIR)
    if docs in ("file", "other"):
        files.report("file-missing", DOCS_DIR,
                     f"{DOCS_DIR} är en fil, men ska vara en mapp med handbokens egna sidor.")
    elif docs == "dir":
        for rel in files.walk(DOCS_DIR):
            if rel.endswith(".md") and (text := files.text(rel)) is not None:
                pages[rel] = text
    published = files.text(LINKS_FILE)
    if (root / CONFIG_FILE).exists():
        data = files.read(CONFIG_FILE, required=False)
        problems.extend(decode(CONFIG_FILE, data)[1] if data is not None else [])
    return Loaded(handbook, problems, skipped, pages, published)
