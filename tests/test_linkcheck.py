"""`make site`'s link check: LinkChecker over the built site on 127.0.0.1 finds broken links and anchors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from helpers import REPO, TESTS

SCRIPT = REPO / "scripts" / "linkcheck.py"


@pytest.fixture(name="site", scope="module")
def _fixture_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("lc") / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root / "site")],
                            cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return root / "site"


def linkcheck(site):
    return subprocess.run([sys.executable, str(SCRIPT), str(site)], capture_output=True, text=True, cwd=REPO)


def test_built_site_has_no_broken_links(site):
    """Every internal link and anchor of the built fixture site resolves (exit 0, no warnings, no errors)."""
    result = linkcheck(site)
    assert result.returncode == 0, result.stdout
    assert "0 warnings found. 0 errors found." in result.stdout


def test_broken_anchor_and_page_are_found(site, tmp_path):
    """A link to a missing anchor and one to a missing page, planted in the HTML, fail the check by name."""
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    page = broken / "rutiner" / "akut-skydd" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", '<a href="#steg-saknas">x</a><a href="../saknas/">y</a></article>', 1),
                    encoding="utf-8")
    result = linkcheck(broken)
    assert result.returncode == 1
    assert "steg-saknas" in result.stdout and "404" in result.stdout


def test_missing_site_cannot_run(tmp_path):
    """Without a built site the script says so in Swedish and exits 2."""
    result = linkcheck(tmp_path)
    assert result.returncode == 2 and "make site" in result.stderr
