"""File access: the names of a handbook's files, reading them under a root, and writing a file whole.

The one place that decides whether a path is inside a root (`inside`): the loader, the rendered tree's
copy of docs/, the site settings and the published-links file all ask it. `Files` reads the files of
one root and turns every refusal (a link out of the root, a folder where a file belongs, bytes that are
not UTF-8) into a placed problem; it never raises for bad content. `write_atomic` writes a file whole or
not at all: every file the engine writes goes through it. The files in the repository (published-links.txt,
the files `handbook new` changes, lawradar.json, the schemas) are on disk before it returns; build output
(the rendered tree, the finished and search-marked pages) is written with durable=False, without the flush.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from handbook.core.kinds import ITEM, ITEM_KINDS
from handbook.core.model import Pos
from handbook.core.problems import Problem, problem
from handbook.load.yamlnodes import character_problems, decode

CONTENT_FILES = tuple(kind.file for kind in ITEM_KINDS if kind.file_record)
ROUTINES_DIR = ITEM["routine"].file.rstrip("/")
DOCS_DIR = "docs"
CONFIG_FILE = "mkdocs.yml"
RADAR_FILE = "lawradar.json"  # the law-change radar's data file (handbook law-radar --data-out)
LAYERS_FILE = "handbook.yml"  # names the base a local handbook builds on (load/layers.py)
LOCAL_STEPS_DIR = "local-steps"  # a local layer's own steps in the base's routines (load/layers.py)
YAML_SUFFIXES = (".yaml", ".yml")
# Never read, whatever link leads there: it holds the repository's config and history, not content.
GIT_DIR = ".git"


def resolved(path: Path) -> Path | None:
    """path with every symbolic link followed, or None when that cannot be done (a loop of links)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def inside(path: Path, *roots: Path) -> bool:
    """Whether path, following every symbolic link, is one of the roots or below one (the roots' own links
    followed too). False when a link cannot be followed."""
    real = resolved(path)
    return real is not None and any(real.is_relative_to(r) for root in roots if (r := resolved(root)) is not None)


def content_paths(root: Path) -> list[Path]:
    """Every content file of a root, in a stable order."""
    paths = [root / name for name in CONTENT_FILES]
    routines = root / ROUTINES_DIR
    if routines.is_dir():
        paths += sorted(p for p in routines.iterdir() if p.suffix in YAML_SUFFIXES)
    return paths


def repository(root: Path) -> Path:
    """The repository a root is in (the nearest folder with .git, the root itself included); without one, the
    root's parent folder, so that a base beside the root (../bas) is found but nothing above it."""
    for folder in (root, *root.parents):
        if (folder / GIT_DIR).exists():
            return folder
    return root.parent


class Files:
    """Reads files of one root, refusing links out of it; every refusal is a problem.

    prefix is how the root's paths are written in problems ("../base/" for a base, "" for the
    root itself); trusted are other roots a link may lead into (the base and the local root).
    """

    def __init__(self, root: Path, problems: list[Problem], prefix: str = "", trusted: tuple[Path, ...] = ()) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.problems = problems
        self.prefix = prefix
        self.trusted = (self.real_root, *trusted)

    def at(self, rel: str) -> str:
        """rel as problems name it: relative to the local root."""
        return self.prefix + rel

    def report(self, code: str, rel: str, message: str) -> None:
        self.problems.append(problem(code, Pos(self.at(rel)), message))

    def present(self, rel: str) -> bool:
        path = self.root / rel
        return path.exists() or path.is_symlink()

    def inside(self, rel: str) -> bool:
        """Whether rel, following every symbolic link, stays inside a trusted root; a problem when not."""
        real = resolved(self.root / rel)
        if real is None:  # a loop of links
            self.report("file-missing", rel, f"{self.at(rel)} är en symbolisk länk som inte leder till någon fil.")
            return False
        if GIT_DIR in real.parts:
            self.report(
                "file-outside-root",
                rel,
                f"{self.at(rel)} leder in i en {GIT_DIR}-mapp, som handboken aldrig "
                "läser. Lägg innehållet här i stället för länken.",
            )
            return False
        if not inside(real, *self.trusted):
            self.report(
                "file-outside-root",
                rel,
                f"{self.at(rel)} är en symbolisk länk till en plats utanför "
                "handbokens mapp och läses inte. Lägg innehållet här i stället för länken.",
            )
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
        name = self.at(rel)
        if kind is None:
            if required:
                self.report("file-missing", rel, f"{what} {name} saknas.")
            return None
        if kind == "dir":
            self.report("file-missing", rel, f"{name} är en mapp, men ska vara en fil.")
            return None
        if kind == "other":
            self.report("file-missing", rel, f"{name} är inte en vanlig fil.")
            return None
        if kind == "refused":
            return None
        try:
            return (self.root / rel).read_bytes()
        except OSError:
            self.report("file-missing", rel, f"{name} kan inte läsas. Kontrollera att filen får läsas.")
            return None

    def text(self, rel: str) -> str | None:
        """A text file that is UTF-8 without control or invisible characters, or None and a placed
        problem for each fault. Faulty text is not checked further: messages would repeat it."""
        data = self.read(rel, required=False)
        if data is None:
            return None
        text, found = decode(self.at(rel), data)
        if text is not None:
            found = character_problems(self.at(rel), text)
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


def write_atomic(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Write a file whole or not at all: into a new file in the same folder, flushed to disk, then renamed over
    path (text as UTF-8), and the folder's entry flushed too where the system allows it. A symbolic link at path
    is followed (the file it leads to is replaced, as writing to it would); a file that was there keeps its
    permissions. On any error the old file is left as it was, no temporary file stays, and the error is raised.

    durable=False skips the two flushes to disk: for build output (the rendered tree, the built site), which
    the next build makes again whole, where they cost about a millisecond a file and protect nothing."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None  # a new file: the permissions os.open gives (0o666 less the umask), as write_bytes does
    handle, temporary = _temporary(path)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(path.parent)


def _temporary(path: Path) -> tuple[int, Path]:
    """A new, empty file beside path that nobody else has opened (O_EXCL), and its path."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(
                temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
            ), temporary
        except FileExistsError:
            continue


def _sync_folder(folder: Path) -> None:
    """Put the folder's new entry on disk too, where the system allows it (not on Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
