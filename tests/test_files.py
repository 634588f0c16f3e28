"""File access (load/files.py): the one "inside the root" test and the one atomic write."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from handbook.cli import main
from handbook.core.published import LINKS_FILE
from handbook.load import files
from handbook.load.files import inside, write_atomic
from helpers import base_root


def test_inside_follows_links_and_compares_whole_folders(tmp_path):
    root = tmp_path / "root"
    (root / "docs").mkdir(parents=True)
    (tmp_path / "root-other").mkdir()
    (tmp_path / "root-other" / "x.md").write_text("x")
    (root / "out.md").symlink_to(tmp_path / "root-other" / "x.md")
    (root / "in.md").symlink_to(root / "docs")
    (root / "loop").symlink_to(root / "loop")
    assert inside(root / "docs", root) and inside(root, root) and inside(root / "in.md", root)
    assert not inside(root / "out.md", root)  # "root-other" starts like "root" but is not in it
    assert inside(root / "out.md", root, tmp_path / "root-other")
    assert not inside(root / "loop", root)


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_atomic_replaces_the_file_whole(tmp_path):
    target = tmp_path / "a" / "file.txt"
    write_atomic(target, "första\n")
    assert target.read_text(encoding="utf-8") == "första\n"
    target.chmod(0o640)
    write_atomic(target, b"andra\n")
    assert target.read_bytes() == b"andra\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file keeps its permissions
    assert _leftovers(target.parent) == []


def test_write_atomic_gives_a_new_file_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.txt", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


def test_write_atomic_follows_a_link_and_keeps_it(tmp_path):
    (tmp_path / "real.txt").write_text("old")
    (tmp_path / "link.txt").symlink_to("real.txt")
    write_atomic(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink() and (tmp_path / "real.txt").read_text() == "new"


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch, failing):
    target = tmp_path / "file.txt"
    target.write_text("old\n")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, failing, broken)
    with pytest.raises(OSError):
        write_atomic(target, "new\n" * 1000)
    monkeypatch.undo()
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_a_new_file_that_fails_is_not_created(tmp_path, monkeypatch):
    monkeypatch.setattr(files.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(OSError):
        write_atomic(tmp_path / "new.txt", "x")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_links_write_that_fails_leaves_published_links_as_it_was(tmp_path, monkeypatch):
    """handbook links --write: the file is unchanged when the rename fails, and the command says so."""
    root = base_root(tmp_path)
    (root / LINKS_FILE).write_text("/\n", encoding="utf-8")
    monkeypatch.setattr(files.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left")))
    result = CliRunner().invoke(main, ["links", "--root", str(root), "--write"])
    assert result.exit_code == 2 and "Filen är oförändrad." in result.stderr
    assert (root / LINKS_FILE).read_text(encoding="utf-8") == "/\n"
    assert _leftovers(root) == []


def test_build_never_replaces_a_folder_the_handbook_is_in(tmp_path, monkeypatch):
    """--site-dir naming the handbook's folder or one above it is refused before anything is removed."""
    from handbook import cli

    root = base_root(tmp_path)
    monkeypatch.setattr(cli, "_render", lambda *a: None)
    monkeypatch.setattr(cli, "run_builder", lambda *a: 0)
    for site in (root, tmp_path):
        result = CliRunner().invoke(
            main, ["build", "--root", str(root), "--site-dir", str(site), "--out", str(tmp_path / "rendered")]
        )
        assert result.exit_code == 2 and "ser inte ut som en byggd webbplats" in result.stderr
    assert (root / "legal.yaml").is_file()


def test_build_output_is_written_without_flushing_to_disk(tmp_path, monkeypatch):
    """durable=False (the rendered tree, the built site) still replaces whole but never calls fsync; the
    default (published-links.txt, lawradar.json, schemas, scaffolds) always does."""
    calls = []
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd))
    write_atomic(tmp_path / "page.html", "<p>ny</p>", durable=False)
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == "<p>ny</p>"
    assert calls == []
    write_atomic(tmp_path / "published-links.txt", "/\n")
    assert len(calls) >= 1
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
