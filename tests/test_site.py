"""A strict MkDocs build of the fixture handbook, through the plugin, with nothing written into docs/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from helpers import TESTS


def build(root, site):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=root, env=env, capture_output=True, text=True)


def test_fixture_builds_strictly(tmp_path):
    """The fixture builds with --strict; every published URL exists; docs/ is untouched."""
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    before = sorted(p.relative_to(root) for p in (root / "docs").rglob("*"))
    result = build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for path in ["index.html", "rutiner/akut-skydd/index.html", "lagrum/index.html", "kontakter/index.html",
                 "ordlista/index.html", "andringar/index.html", "rutiner/gammal-akut/index.html",
                 "kontakter.vcf", "kontakter.csv", "redigera/regler/index.html"]:
        assert (site / path).is_file(), path
    routine = (site / "rutiner/akut-skydd/index.html").read_text()
    assert 'id="bedom-fara"' in routine and 'id="bedom-risk"' in routine and 'id="ring-polisen"' in routine
    assert 'lang="sv"' in routine
    # "Redigera" opens the YAML file the page comes from, not a generated Markdown file.
    assert 'href="https://example.invalid/edit/main/routines/akut-skydd.yaml"' in routine
    contacts = (site / "kontakter/index.html").read_text()
    assert 'href="https://example.invalid/edit/main/contacts.yaml"' in contacts
    start = (site / "index.html").read_text()
    assert 'href="https://example.invalid/edit/main/docs/index.md"' in start
    assert sorted(p.relative_to(root) for p in (root / "docs").rglob("*")) == before


def build_changed(tmp_path, rel: str, old: str, new: str):
    """Build a copy of the fixture handbook with one text replaced in one file."""
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    path = root / rel
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    return build(root, tmp_path / "site")


def test_content_error_fails_strict_build(tmp_path):
    """An error in the YAML is logged by the plugin and stops the strict build, naming file and line."""
    result = build_changed(tmp_path, "routines/akut-skydd.yaml", "contacts: [polisen]", "contacts: [polis]")
    assert result.returncode == 1
    assert "routines/akut-skydd.yaml:41:16: error: [ref-unknown-contact]" in result.stderr


def test_content_warning_does_not_stop_build(tmp_path):
    """A review falling due is shown but does not fail the strict build."""
    result = build_changed(tmp_path, "mkdocs.yml", 'today: "2026-11-27"', 'today: "2028-01-01"')
    assert result.returncode == 0, result.stderr
    assert "[review-overdue]" in result.stderr


def test_serve_watches_every_yaml_file():
    """`mkdocs serve` reloads when any content file changes: the plugin watches each one and routines/."""
    from mkdocs.config import load_config

    from handbook.site.plugin import HandbookPlugin

    config = load_config(str(TESTS / "fixture-handbook" / "mkdocs.yml"))
    plugin = config.plugins["handbook"]
    assert isinstance(plugin, HandbookPlugin)
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)

    class Server:
        watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    server = plugin.on_serve(Server(), config, builder=None)
    root = TESTS / "fixture-handbook"
    assert sorted(server.watched) == sorted(str(root / rel) for rel in [
        "legal.yaml", "contacts.yaml", "glossary.yaml", "routines/akut-skydd.yaml", "routines/utredning.yaml",
        "routines"])
