"""The Zensical build in Chromium: the way on after Material's end of life must be a working handbook, not
just a set of files. Each page type loads with its CSP and no error, nothing leaves the host, the call-now
card and the flowchart work, and the handbook's search finds a routine."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import PAGE_TYPES, REPO, _serve, build


@functools.cache
def zensical_site() -> Path:
    root = Path(tempfile.mkdtemp(prefix="handbook-zensical-"))
    atexit.register(shutil.rmtree, root, True)
    return build(REPO, root / "site", "--builder", "zensical")


@pytest.fixture(name="zensical_url", scope="module")
def _fixture_zensical_url() -> str:
    return _serve(str(zensical_site()))


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_page_loads_cleanly(page, recorder, zensical_url, path):
    page.goto(zensical_url + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert 'http-equiv="Content-Security-Policy"' in page.content()
    assert recorder.external == []
    assert recorder.console_errors == []
    assert recorder.csp_violations == []


def test_call_now_card_and_flowchart_work(page, recorder, zensical_url):
    """The engine's script runs under the CSP: the card names whom to call, the routine has its drawing."""
    page.goto(zensical_url)
    card = page.locator(".hb-call-now")
    card.wait_for()
    assert "114 14" in card.inner_text()
    page.goto(zensical_url + "rutiner/forsta-atgarder/")
    assert page.locator("svg.hb-flowchart").count() == 1
    assert recorder.console_errors == [] and recorder.csp_violations == []


def test_search_finds_a_routine(page, recorder, zensical_url):
    """The handbook's search (Pagefind, not Zensical's own) finds the act-now routine's police step for "polisen"."""
    page.goto(zensical_url)
    page.click("button.hb-search-open")
    page.locator("#hb-search-input").fill("polisen")
    results = page.locator("#hb-search .hb-search__result a")
    results.first.wait_for(timeout=15000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("rutiner/forsta-atgarder/#" in h for h in hrefs), hrefs
    assert page.locator(".md-search__button").count() == 0  # Zensical's own search is not rendered
    assert recorder.external == [] and recorder.csp_violations == []
