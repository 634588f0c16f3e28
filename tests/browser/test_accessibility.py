"""Accessibility: axe-core finds nothing on any built page, on a desktop and a phone, nor in the open search and menu.

Rules run: every axe rule tagged wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa or best-practice
(see AXE_RULE_TAGS in conftest.py). None is disabled.
"""

from __future__ import annotations

import pytest

from conftest import built_pages, real_site

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def pytest_generate_tests(metafunc):
    if "built_page" in metafunc.fixturenames:
        # The page list needs the real site; build it only when browser tests may run at all.
        if "not browser" in (metafunc.config.getoption("markexpr") or ""):
            metafunc.parametrize(
                "built_page", [pytest.param("", marks=pytest.mark.skip(reason="browser tests deselected"))]
            )
            return
        pages = built_pages(real_site())
        metafunc.parametrize("built_page", pages, ids=[p or "start" for p in pages])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_page_has_no_axe_violations(new_page, site_url, axe, built_page, viewport):
    """axe reports no violation of any impact on the page as it loads."""
    page = new_page(viewport=viewport)
    page.goto(site_url + built_page)
    page.wait_for_load_state("load")
    assert axe(page) == []


def test_every_page_is_checked(site_dir):
    """The page list covers the whole built site, so a new page cannot escape the check."""
    pages = built_pages(site_dir)
    assert len(pages) == len(list(site_dir.rglob("index.html")))
    assert "" in pages and "rutiner/forsta-atgarder/" in pages and "redigera/regler/" in pages


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_open_search_with_results_has_no_axe_violations(new_page, site_url, axe, viewport):
    """With the search dialog open and showing results, axe reports nothing."""
    page = new_page(viewport=viewport)
    page.goto(site_url + "rutiner/forsta-atgarder/")
    page.keyboard.press("/")
    page.locator("#hb-search-input").press_sequentially("polisen")
    page.wait_for_selector("#hb-search .hb-search__results[data-query=polisen] .hb-search__result")
    assert axe(page) == []


def test_open_menu_on_a_phone_has_no_axe_violations(new_page, site_url, axe):
    """With the navigation drawer open on a phone, axe reports nothing."""
    page = new_page(viewport=PHONE)
    page.goto(site_url + "rutiner/forsta-atgarder/")
    page.locator("[data-hb-drawer]").click()
    page.wait_for_function("() => document.getElementById('__drawer').checked")
    page.wait_for_timeout(300)  # the drawer slides in for 250 ms
    assert axe(page) == []
