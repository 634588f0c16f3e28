"""The build cache (site/cache.py): unchanged content renders nothing; any change to the content, the engine
or the call renders again; a broken entry is a miss, never an error."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys

import pytest

from handbook.site import cache, pipeline
from handbook.site.output import render_out
from helpers import TESTS

FIXTURE = TESTS / "fixture-handbook"
TODAY = dt.date(2026, 12, 3)


@pytest.fixture(name="root")
def _root(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_CACHE", "on")
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "handbook"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture(name="runs")
def _runs(monkeypatch):
    """How many times the pipeline really ran."""
    calls = []
    real = pipeline.run

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run", counting)
    return calls


def _tree(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_unchanged_content_renders_nothing_and_gives_the_same_tree(root, runs, tmp_path):
    first = render_out(root, tmp_path / "a", "mkdocs.yml", TODAY)
    second = render_out(root, tmp_path / "b", "mkdocs.yml", TODAY)
    assert len(runs) == 1
    assert first.problems == second.problems and first.config == second.config
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "contacts.yaml").write_text(
            (root / "contacts.yaml").read_text(encoding="utf-8") + "\n# en kommentar\n", encoding="utf-8"
        ),
        lambda root: (root / "routines" / "ny-rutin.yaml").write_text("id: ny-rutin\n", encoding="utf-8"),
        lambda root: (root / "docs" / "bild.png").write_bytes(b"\x89PNG"),
        lambda root: (root / "mkdocs.yml").write_text(
            (root / "mkdocs.yml").read_text(encoding="utf-8") + "\n# ändrad\n", encoding="utf-8"
        ),
        lambda root: (root / "published-links.txt").write_text("/\n", encoding="utf-8"),
    ],
    ids=["contacts", "new-routine", "docs-file", "config", "published-links"],
)
def test_any_change_to_the_content_renders_again(root, runs, tmp_path, change):
    render_out(root, tmp_path / "a", "mkdocs.yml", TODAY)
    change(root)
    render_out(root, tmp_path / "b", "mkdocs.yml", TODAY)
    assert len(runs) == 2


def test_a_change_behind_a_linked_folder_renders_again(root, runs, tmp_path):
    """The loader follows a link to a folder inside the root; so does the key."""
    (root / "docs" / "delat").mkdir()
    (root / "docs" / "delat" / "a.md").write_text("# A\n", encoding="utf-8")
    (root / "docs" / "lank").symlink_to(root / "docs" / "delat", target_is_directory=True)
    render_out(root, tmp_path / "a", "mkdocs.yml", TODAY)
    (root / "docs" / "delat" / "a.md").write_text("# B\n", encoding="utf-8")
    render_out(root, tmp_path / "b", "mkdocs.yml", TODAY)
    assert len(runs) == 2


def test_another_date_builder_or_engine_renders_again(root, runs, tmp_path, monkeypatch):
    render_out(root, tmp_path / "a", "mkdocs.yml", TODAY)
    render_out(root, tmp_path / "b", "mkdocs.yml", TODAY + dt.timedelta(days=1))
    render_out(root, tmp_path / "c", "mkdocs.yml", TODAY + dt.timedelta(days=1), builder="zensical")
    assert len(runs) == 3
    monkeypatch.setattr(cache, "engine_fingerprint", lambda: "another engine")
    render_out(root, tmp_path / "d", "mkdocs.yml", TODAY + dt.timedelta(days=1), builder="zensical")
    assert len(runs) == 4


@pytest.mark.parametrize("damage", ["not json", '{"format": 1}', "[]", ""])
def test_a_broken_entry_is_a_miss_not_an_error(root, runs, tmp_path, damage):
    render_out(root, tmp_path / "a", "mkdocs.yml", TODAY)
    (entry,) = (tmp_path / "cache").iterdir()
    entry.write_text(damage, encoding="utf-8")
    render_out(root, tmp_path / "b", "mkdocs.yml", TODAY)
    assert len(runs) == 2
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_the_same_content_in_another_folder_is_another_entry(root, runs, tmp_path):
    """The entry's key covers the inputs, not the stored pages: the folder must not be writable by content. It
    lies outside the repository (the user's cache folder), and the key names the root's full path."""
    render_out(root, tmp_path / "a", "mkdocs.yml", TODAY)
    (entry,) = (tmp_path / "cache").iterdir()
    data = json.loads(entry.read_text(encoding="utf-8"))
    other = tmp_path / "other"
    shutil.copytree(root, other)
    render_out(other, tmp_path / "b", "mkdocs.yml", TODAY)
    assert len(runs) == 2  # the same content in another folder is another entry
    assert not str(cache.folder()).startswith(str(root))
    assert data["roots"] == [str(root)]


def test_content_with_errors_is_never_kept(root, runs, tmp_path):
    (root / "contacts.yaml").write_text("contacts: [\n", encoding="utf-8")
    assert render_out(root, tmp_path / "a", "mkdocs.yml", TODAY).config is None
    assert render_out(root, tmp_path / "b", "mkdocs.yml", TODAY).config is None
    assert len(runs) == 2
    assert not (tmp_path / "cache").exists() or list((tmp_path / "cache").iterdir()) == []


def test_off_means_off(root, runs, tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_CACHE", "off")
    render_out(root, tmp_path / "a", "mkdocs.yml", TODAY)
    render_out(root, tmp_path / "b", "mkdocs.yml", TODAY)
    assert len(runs) == 2
    assert not (tmp_path / "cache").exists()


def test_the_cache_is_not_in_the_repository_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("HANDBOOK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "handbook-build"
    assert os.path.commonpath([cache.folder(), TESTS.parent]) != str(TESTS.parent)


def test_the_engine_key_names_every_installed_version(tmp_path, monkeypatch):
    """Another version of any installed distribution (Markdown, nh3 …) is another engine."""
    (tmp_path / "Markdown-3.8.dist-info").mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    before = cache.installed()
    (tmp_path / "Markdown-3.8.dist-info").rename(tmp_path / "Markdown-3.9.dist-info")
    assert before == ["Markdown-3.8.dist-info"] and cache.installed() == ["Markdown-3.9.dist-info"]
