"""`make serve` through the plugin: quiet when the content is fine, the problems on every page when not.

The build runs in process through MkDocs's API exactly as `mkdocs serve` runs it (on_startup with
command "serve", then a strict build), so no server, port or timing is involved.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from helpers import TESTS


def serve_build(root: Path, site: Path) -> None:
    """One build as `mkdocs serve` makes it (strict, as the handbook's mkdocs.yml asks); raises on failure."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        config.plugins.on_shutdown()


@pytest.fixture
def fixture(tmp_path) -> Path:
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    return root


def _logged(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("mkdocs")]


def test_serve_is_quiet_when_the_content_is_fine(fixture, tmp_path, caplog):
    """No warning from anyone, and the content's warnings as one line (before: one line each)."""
    routine = fixture / "routines/akut-skydd.yaml"
    text = routine.read_text()
    # Two content warnings (an overdue review, a draft): still one line.
    routine.write_text(text.replace("state: approved", "state: draft", 1))
    caplog.set_level(logging.DEBUG, logger="mkdocs")
    serve_build(fixture, tmp_path / "site")
    records = _logged(caplog)
    assert [r.getMessage() for r in records if r.levelno >= logging.WARNING] == []
    handbook = [r.getMessage() for r in records if "handbook" in r.name and r.levelno >= logging.INFO]
    assert len(handbook) == 1 and handbook[0].endswith("varningar; handbook check visar dem.")
    assert "[routine-draft]" in " ".join(r.getMessage() for r in records if r.levelno == logging.DEBUG)
    assert 'id="handbook-problems"' not in (tmp_path / "site/rutiner/akut-skydd/index.html").read_text()


def test_serve_shows_the_problems_on_every_page(fixture, tmp_path, caplog):
    """Content with errors: the build does not stop (the browser would wait forever); the start page, every
    routine's page and any other address list the problems with file, line, rule and message, escaped."""
    routine = fixture / "routines/akut-skydd.yaml"
    text = routine.read_text()
    assert "contacts: [polisen]" in text
    routine.write_text(
        text.replace("contacts: [polisen]", "contacts: [polis]", 1).replace(
            "\nsteps:", '\n"<img src=x onerror=alert(1)>": 1\nsteps:', 1
        )
    )
    caplog.set_level(logging.INFO, logger="mkdocs")
    serve_build(fixture, tmp_path / "site")
    site = tmp_path / "site"
    start = (site / "index.html").read_text()
    table = start[start.index('<table id="handbook-problems">') : start.index("</table>")]
    assert "<code>routines/akut-skydd.yaml:42:16</code>" in table
    assert "<code>ref-unknown-contact</code>" in table and "Menade du &quot;polisen&quot;?" in table
    assert "<code>field-unknown</code>" in table
    assert "&lt;img src=x onerror=alert(1)&gt;" in table and "<img" not in table
    for page in ["rutiner/akut-skydd/index.html", "rutiner/utredning/index.html", "lagrum/index.html", "404.html"]:
        assert 'id="handbook-problems"' in (site / page).read_text(), page
    # The terminal names them too, without failing the build.
    assert any("[ref-unknown-contact]" in r.getMessage() for r in _logged(caplog))
    assert [r.getMessage() for r in _logged(caplog) if r.levelno >= logging.WARNING] == []


def test_serve_recovers_when_the_error_is_fixed(fixture, tmp_path):
    """The next build after the fix is the handbook again (the plugin instance lives across rebuilds)."""
    routine = fixture / "routines/akut-skydd.yaml"
    good = routine.read_text()
    routine.write_text(good.replace("contacts: [polisen]", "contacts: [polis]", 1))
    config = load_config(str(fixture / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")
    assert 'id="handbook-problems"' in (tmp_path / "site/index.html").read_text()
    routine.write_text(good)
    again = load_config(str(fixture / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    again.plugins = config.plugins  # what mkdocs serve does: the same plugin instances on every rebuild
    build(again, serve_url="http://127.0.0.1:8000/")
    assert 'id="handbook-problems"' not in (tmp_path / "site/index.html").read_text()
    assert not (tmp_path / "site/404.html").read_text().count("handbook-problems")
