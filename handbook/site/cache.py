"""The last build's result, kept between runs: content that has not changed loads, checks and renders nothing.

`handbook build` and `handbook render` run the pipeline on the same content again and again (a maintainer's
edit loop, CI's several builds). The result the site adapter needs (the problems, the number of publication
blockers and the docs tree) depends only on:

- the content: every file the loader may read in each layer's root (the content files, routines/, docs/,
  local-steps/, mkdocs.yml, handbook.yml, lawradar.json, published-links.txt), by path and bytes, links
  followed (a link's target is read as the loader reads it);
- the engine: every file of the `handbook` package and the version of every installed distribution
  (Markdown, nh3, holidays … change output too);
- the call: the date, the builder's link base, the site config as read (INHERIT and !ENV applied).

The key is a SHA-256 over all of them; any change, however small, is a miss, and a miss is a full run. The
entry is JSON (never pickle: nothing in it can run), in the user's cache folder, outside the repository, so
content in a pull request cannot plant one. A file that cannot be read or parsed is a miss, never an error.
`HANDBOOK_CACHE=off` turns the cache off; `HANDBOOK_CACHE_DIR` moves it (the tests use their own).

Two more memories sit beside the entry, for the steps after the builder: what finish inserted into each page, by
the page's SHA-256 (site/finish.py), and the last Pagefind bundle, by the SHA-256 of every page it indexed and of
the program (site/search.py). Both are keyed on their whole input, like the entry.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from handbook.core.problems import Problem
from handbook.core.published import LINKS_FILE
from handbook.core.tree import Tree
from handbook.load.files import (
    CONFIG_FILE,
    CONTENT_FILES,
    DOCS_DIR,
    LAYERS_FILE,
    LOCAL_STEPS_DIR,
    RADAR_FILE,
    ROUTINES_DIR,
    write_atomic,
)

ENGINE_DIR = Path(__file__).parents[1]
# Bump when the entry's shape changes: an old entry is then a miss.
FORMAT = 1


@dataclass(frozen=True)
class Entry:
    """What the site adapter needs of a build: its problems, its blocker count and its docs tree."""

    problems: list[Problem]
    blockers: int
    tree: Tree | None  # None when the content has errors (never kept)
    roots: list[Path]  # the layers' roots the content came from, the base first


def enabled() -> bool:
    return os.environ.get("HANDBOOK_CACHE", "").lower() not in ("off", "0", "no", "false")


def folder() -> Path:
    explicit = os.environ.get("HANDBOOK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "handbook-build"


def key(roots: list[Path], call: object) -> str:
    """The SHA-256 of the engine, the call and the content of every root."""
    digest = hashlib.sha256()
    digest.update(engine_fingerprint().encode())
    digest.update(json.dumps(call, sort_keys=True, default=str, ensure_ascii=False).encode())
    for root in roots:
        digest.update(b"\0root\0" + str(root.resolve()).encode())
        for rel, data in content_files(root):
            digest.update(b"\0" + rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


@functools.cache
def engine_fingerprint() -> str:
    """The engine's own files and the installed distributions' versions, hashed once per process."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(ENGINE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(ENGINE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update("\n".join(installed()).encode())
    return digest.hexdigest()


def installed() -> list[str]:
    """The installed distributions by their metadata folders' names (`Markdown-3.8.dist-info`: name and version).
    Reading each distribution's metadata instead (importlib.metadata) took 80 ms, a tenth of a warm 1x build."""
    names = set()
    for entry in sys.path:
        with contextlib.suppress(OSError):
            names.update(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
    return sorted(names)


def content_files(root: Path) -> list[tuple[str, bytes]]:
    """(path relative to root, bytes) of every file the loader may read in root; b"" stands for a missing
    file and a marker for a folder, so that adding, removing or turning a file into a folder is a change."""
    found: list[tuple[str, bytes]] = []
    for rel in (*CONTENT_FILES, CONFIG_FILE, LAYERS_FILE, RADAR_FILE, LINKS_FILE):
        found.append((rel, _read(root / rel)))
    for top in (ROUTINES_DIR, DOCS_DIR, LOCAL_STEPS_DIR):
        found.extend(_tree(root, top))
    return found


def _read(path: Path) -> bytes:
    try:
        return b"file\0" + path.read_bytes() if path.is_file() else b"dir\0" if path.is_dir() else b""
    except OSError:
        return b"unreadable"


def _tree(root: Path, top: str) -> list[tuple[str, bytes]]:
    """Every entry below root/top, links to folders followed once each (as the loader does), hidden ones too."""
    found: list[tuple[str, bytes]] = []
    seen: set[Path] = set()
    for current, folders, names in os.walk(root / top, followlinks=True):
        real = Path(current).resolve()
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        folders.sort()
        rel_dir = Path(current).relative_to(root).as_posix()
        found.append((rel_dir + "/", b"dir"))
        for name in sorted(names):
            path = Path(current) / name
            link = os.readlink(path) if path.is_symlink() else ""
            found.append((f"{rel_dir}/{name}", link.encode() + b"\0" + _read(path)))
    return found


def _entry_file(root: Path) -> Path:
    return folder() / (hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:32] + ".json")


def load(root: Path, call: object) -> Entry | None:
    """The entry of the last build of root, if nothing it depends on has changed since; None otherwise."""
    if not enabled():
        return None
    try:
        data = json.loads(_entry_file(root).read_text(encoding="utf-8"))
        roots = [Path(r) for r in data["roots"]]
        if data["format"] != FORMAT or data["key"] != key(roots, call):
            return None
        tree = Tree(data["tree"]["pages"], data["tree"]["files"], data["tree"]["nav"])
        return Entry([Problem(*p) for p in data["problems"]], int(data["blockers"]), tree, roots)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(root: Path, call: object, entry: Entry) -> None:
    """Keep the entry for the next build of root (one file per root, replaced each time). A cache folder that
    cannot be written only means the next build runs in full."""
    if not enabled():
        return
    data = {
        "format": FORMAT,
        "key": key(entry.roots, call),
        "roots": [str(r) for r in entry.roots],
        "problems": [[p.file, p.line, p.column, p.severity, p.code, p.message] for p in entry.problems],
        "blockers": entry.blockers,
        "tree": {"pages": entry.tree.pages, "files": entry.tree.files, "nav": entry.tree.nav},
    }
    with contextlib.suppress(OSError):
        write_atomic(_entry_file(root), json.dumps(data, ensure_ascii=False), durable=False)


def load_finish(root: Path) -> dict:
    """What finish inserted into each page of root's last build (site/finish.py), or {} (off, none, unreadable)."""
    if not enabled():
        return {}
    try:
        data = json.loads(_finish_file(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_finish(root: Path, memory: dict) -> None:
    """Keep what finish inserted, for the next build of root (replaced each time)."""
    if enabled():
        with contextlib.suppress(OSError):
            write_atomic(_finish_file(root), json.dumps(memory, ensure_ascii=False), durable=False)


def search_folder(root: Path) -> Path | None:
    """Where the last search bundle of root's build is kept by its inputs (site/search.py); None when off."""
    return _entry_file(root).with_suffix(".pagefind") if enabled() else None


def _finish_file(root: Path) -> Path:
    return _entry_file(root).with_suffix(".finish.json")
