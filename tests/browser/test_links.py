"""Permanent links for trainers: old routine URLs redirect, old step anchors forward, published links resolve.

The fixture handbook has a renamed routine (gammal-akut → akut-skydd) and a renamed step
(bedom-risk → bedom-fara); the handbook plugin adds the script that forwards old step anchors.
"""

from __future__ import annotations

import functools
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import REPO
from viewport import assert_in_view

FIXTURE = REPO / "tests" / "fixture-handbook"


def published_links() -> list[str]:
    lines = (REPO / "published-links.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


@functools.cache
def ids_in(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def test_old_routine_url_redirects(page, fixture_site_url, recorder):
    """/rutiner/gammal-akut/ ends at /rutiner/akut-skydd/."""
    page.goto(fixture_site_url + "rutiner/gammal-akut/")
    page.wait_for_url(fixture_site_url + "rutiner/akut-skydd/")
    assert page.locator("h1").inner_text() == "Akut skydd för ett barn"
    assert recorder.external == []


def test_old_routine_url_redirects_without_javascript(browser, fixture_site_url, recorder):
    """Without JavaScript the redirect page's meta refresh still reaches /rutiner/akut-skydd/."""
    context = browser.new_context(java_script_enabled=False)
    context.route("**/*", recorder.route)
    try:
        page = context.new_page()
        page.goto(fixture_site_url + "rutiner/gammal-akut/")
        page.wait_for_url(fixture_site_url + "rutiner/akut-skydd/")
        assert page.locator("h1").inner_text() == "Akut skydd för ett barn"
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_old_step_anchor_forwards(page, fixture_site_url, recorder, width):
    """/rutiner/akut-skydd/#bedom-risk ends at #bedom-fara with that step's heading in view."""
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(fixture_site_url + "rutiner/akut-skydd/#bedom-risk")
    page.wait_for_function("() => location.hash === '#bedom-fara'")
    page.wait_for_timeout(300)
    assert page.evaluate("location.href") == fixture_site_url + "rutiner/akut-skydd/#bedom-fara"
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == "bedom-fara"
    assert_in_view(page, "h3#bedom-fara")
    # Back leaves the page rather than returning to the old anchor: the address was replaced.
    assert page.evaluate("history.length") == 2
    assert recorder.external == []


def test_old_routine_url_and_old_step_anchor_together(page, fixture_site_url):
    """/rutiner/gammal-akut/#bedom-risk ends at /rutiner/akut-skydd/#bedom-fara."""
    page.goto(fixture_site_url + "rutiner/gammal-akut/#bedom-risk")
    page.wait_for_url(fixture_site_url + "rutiner/akut-skydd/#bedom-fara")
    assert_in_view(page, "h3#bedom-fara")


def test_published_links_list_is_read():
    """published-links.txt has the start page, every routine and step anchors, so the checks below are real."""
    links = published_links()
    assert "/" in links and "/rutiner/forsta-atgarder/#ring-polisen" in links
    assert len(links) > 100


@pytest.mark.parametrize("link", published_links())
def test_published_link_resolves(site_dir, link):
    """The published link's page exists in the built site and, with an anchor, that id is on the page."""
    parts = urlsplit(link)
    assert parts.path.startswith("/") and parts.path.endswith("/"), link
    page = site_dir / parts.path.lstrip("/") / "index.html"
    assert page.is_file(), link
    if parts.fragment:
        assert parts.fragment in ids_in(page), link


def browser_sample() -> list[str]:
    """One anchored link per page (its last one), so every kind of page is opened in the browser."""
    last: dict[str, str] = {}
    for link in published_links():
        if "#" in link:
            last[link.split("#")[0]] = link
    return sorted(last.values())


@pytest.mark.parametrize("link", browser_sample())
def test_published_link_opens_in_browser(page, site_url, recorder, link):
    """Opening the published link in Chromium shows the element it points to below the header."""
    page.goto(site_url + link.lstrip("/"))
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    anchor = link.split("#", 1)[1]
    assert page.evaluate("location.hash") == "#" + anchor
    assert page.locator(f"[id='{anchor}']").count() == 1
    assert_in_view(page, f"[id='{anchor}']")
    assert recorder.external == []
