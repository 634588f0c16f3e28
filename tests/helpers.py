"""Helpers shared by the tests: the fixed date, the base handbook, tree writing and golden files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
TODAY = dt.date(2026, 11, 27)
BASE = TESTS / "cases" / "_base"


def golden(path: Path, actual: str, update: bool) -> None:
    """Compare with a golden file, or rewrite it with --update-golden."""
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        if not update:
            pytest.fail(f"{path} did not exist; written now. Review it and run again.")
    # Bytes, so that CRLF in vCard and CSV files is compared too.
    assert actual == path.read_bytes().decode("utf-8")


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text} under root; returns root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def base_root(tmp_path: Path, overlay: dict[str, str | bytes] | None = None) -> Path:
    """A copy of the minimal valid handbook with files replaced or added."""
    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    return write_tree(root, overlay or {})


def copy_handbook(dest: Path, *, theme: bool = True) -> Path:
    """Copy the repository's handbook to dest: every file the loader reads (by the engine's own names), and with
    theme the overrides folder mkdocs.yml names."""
    from handbook.core.published import LINKS_FILE
    from handbook.load.files import CONFIG_FILE, CONTENT_FILES, DOCS_DIR, ROUTINES_DIR

    dest.mkdir(parents=True, exist_ok=True)
    for name in (*CONTENT_FILES, ROUTINES_DIR, DOCS_DIR, CONFIG_FILE, LINKS_FILE, *(["overrides"] if theme else [])):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copyfile)(REPO / name, dest / name)
    return dest
