"""One pipeline (site/pipeline.py): every way into the handbook runs load -> check -> render through it, so the
command line, `handbook render --out` and the MkDocs plugin see the same problems for the same content."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.config import load_config

from handbook.check.report import format_text
from handbook.cli import main
from handbook.render.tree import site_options
from handbook.site import pipeline
from handbook.site.output import render_out
from helpers import REPO, TESTS, TODAY


@pytest.fixture
def fixture(tmp_path) -> Path:
    """The fixture handbook (its mkdocs.yml fixes the date to TODAY) with one error and one warning."""
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    routine = root / "routines/akut-skydd.yaml"
    text = routine.read_text(encoding="utf-8")
    assert "contacts: [polisen]" in text and "state: approved" in text
    routine.write_text(
        text.replace("contacts: [polisen]", "contacts: [polis]", 1).replace("state: approved", "state: draft", 1),
        encoding="utf-8",
    )
    return root


def _plugin(root: Path, command: str = "build"):
    config = load_config(str(root / "mkdocs.yml"))
    plugin = config.plugins["handbook"]
    plugin.on_startup(command=command, dirty=False)
    return plugin, config


def test_cli_render_out_and_the_plugin_get_the_same_problems(fixture, tmp_path):
    expected = pipeline.run(fixture, TODAY).problems
    assert {p.severity for p in expected} == {"error", "warning"}
    errors = [p for p in expected if p.severity == "error"]

    checked = CliRunner().invoke(
        main, ["check", "--root", str(fixture), "--today", TODAY.isoformat(), "--format", "json"]
    )
    assert checked.exit_code == 1
    assert [(p["file"], p["line"], p["code"], p["message"]) for p in json.loads(checked.stdout)["problems"]] == [
        (p.file, p.line, p.code, p.message) for p in expected
    ]

    built = CliRunner().invoke(
        main,
        ["build", "--root", str(fixture), "--site-dir", str(tmp_path / "site"), "--out", str(tmp_path / "rendered")],
    )
    assert built.exit_code == 1 and "Inget byggdes." in built.stderr
    assert built.stderr.startswith(format_text(errors))
    assert not (tmp_path / "rendered").exists()

    assert render_out(fixture, tmp_path / "out", "mkdocs.yml").problems == expected

    plugin, config = _plugin(fixture)
    plugin.on_config(config)
    assert plugin.build.problems == expected


def test_every_way_in_calls_the_pipeline(fixture, tmp_path, monkeypatch):
    """The command line, render_out and the plugin each call pipeline.run once, for the same root and date."""
    calls = []
    real = pipeline.run

    def spy(root, today, **options):
        calls.append((Path(root).resolve(), today))
        return real(root, today, **options)

    monkeypatch.setattr(pipeline, "run", spy)
    CliRunner().invoke(main, ["check", "--root", str(fixture), "--today", TODAY.isoformat()])
    CliRunner().invoke(main, ["links", "--root", str(fixture)])
    CliRunner().invoke(main, ["render", "--root", str(fixture), "--out", str(tmp_path / "rendered")])
    render_out(fixture, tmp_path / "out", "mkdocs.yml")
    plugin, config = _plugin(fixture, "serve")
    plugin.on_config(config)
    assert len(calls) == 5
    assert {root for root, _ in calls} == {fixture.resolve()}
    assert {today for _, today in calls[:1] + calls[2:]} == {TODAY}


def test_only_the_pipeline_assembles_a_build():
    """No other module checks the content, or loads it to build a site (the scaffold loads to read ids)."""
    found = {"check_handbook": set(), "load_handbook": set(), "render_tree": set()}
    for module in sorted((REPO / "handbook").rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in found:
                found[node.func.id].add(module.relative_to(REPO).as_posix())
    assert found == {
        "check_handbook": {"handbook/site/pipeline.py"},
        "load_handbook": {"handbook/site/pipeline.py", "handbook/tools/scaffold.py"},
        "render_tree": {"handbook/site/pipeline.py"},
    }


def test_the_pipeline_renders_only_clean_content_unless_asked(fixture):
    site = site_options({})
    with_errors = pipeline.run(fixture, TODAY, site=site)
    assert with_errors.errors and with_errors.tree is None
    forced = pipeline.run(fixture, TODAY, site=site, render_with_errors=True)
    assert forced.problems == with_errors.problems and "rutiner/akut-skydd.md" in forced.tree.pages
    assert forced.blockers and forced.blockers == sorted({p for g in forced.groups for p in g.problems})
    unchecked = pipeline.run(fixture, TODAY, check=False)
    assert unchecked.problems == sorted(set(unchecked.loaded.problems)) and unchecked.tree is None


def test_the_pipeline_writes_nothing(fixture):
    before = {p: p.stat().st_mtime_ns for p in fixture.rglob("*")}
    build = pipeline.run(fixture, TODAY, site=site_options({}), render_with_errors=True)
    assert build.tree is not None
    assert {p: p.stat().st_mtime_ns for p in fixture.rglob("*")} == before
