"""Hostile content in Chromium: a handbook whose YAML tries to run script is built (the check's errors
overridden), served and opened; no payload runs, with the CSP and without it (as in the offline edition)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURE, _serve
from test_escaping import make_evil

PAGES = ["", "rutiner/akut-skydd/", "rutiner/", "kortversion/akut-skydd/", "lagrum/", "kontakter/"]


def hostile_site(tmp, csp: bool) -> str:
    root = tmp / "fixture"
    shutil.copytree(FIXTURE, root)
    make_evil(root)
    if not csp:
        config = (root / "mkdocs.yml").read_text()
        assert "  - handbook:\n" in config
        (root / "mkdocs.yml").write_text(config.replace("  - handbook:\n", "  - handbook:\n      csp: false\n", 1))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "--site-dir", str(tmp / "site")],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "[markdown-raw-html]" in result.stderr  # the check did see it; the build went on regardless
    return _serve(str(tmp / "site"))


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "without-csp"])
def test_no_payload_runs(new_page, tmp_path, csp):
    url = hostile_site(tmp_path, csp)
    page = new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in PAGES:
        page.goto(url + path)
        page.wait_for_load_state("load")
        # A click on the content would fire any handler that got through.
        assert page.evaluate("typeof window.pwned") == "undefined", path
        page.locator("article").click(position={"x": 5, "y": 5})
        assert page.evaluate("typeof window.pwned") == "undefined", path
    assert dialogs == []
    # Issue 19 item 1: the card reads only its own data; the page's fake chain (an element with the card's old
    # data id and class, before the card) changes nothing and no javascript: link appears.
    page.goto(url)
    page.wait_for_load_state("load")
    card = page.locator("div.hb-call-now")
    assert card.count() == 1 and "Falsk" not in card.inner_text() and "999" not in card.inner_text()
    assert page.locator('a[href^="javascript"]').count() == 0
    # The reader still sees the maintainer's text, as text.
    page.goto(url + "rutiner/akut-skydd/")
    assert "<script>window.pwned" in page.locator("h1").inner_text()
