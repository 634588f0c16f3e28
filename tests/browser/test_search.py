"""Search: the handbook's Pagefind search, the same in the MkDocs and the Zensical build. Every caseworker query in
shared/search-queries.tsv (and ours) finds its page in the top five; Swedish stemming; results grouped by page with
the step shown; keyboard and screen reader; axe, CSP and network clean."""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import _serve
from helpers import REPO
from test_zensical import zensical_site

SHARED = REPO.parent / "shared" / "search-queries.tsv"
OURS = Path(__file__).with_name("search-queries.tsv")
# search.js marks the result list with the query it answers once Pagefind has answered the query in the field.
ANSWERED = (
    "() => { const d = document.getElementById('hb-search');"
    " return d.querySelector('.hb-search__results').dataset.query === d.querySelector('input').value; }"
)
# Queries the two builds must answer alike (everyday words, a step's words, a legal reference, an inflection).
SAME_IN_BOTH = ["försvunna barn", "polisen", "betänketid", "god man", "barn försvunnet från boende", "11 kap. 1 a §"]


def queries() -> list[tuple[str, str]]:
    rows = []
    for path in (SHARED, OURS):
        if not path.exists():
            continue
        for row in csv.reader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t"):
            if row and not row[0].startswith("#") and len(row) >= 2:
                rows.append((row[0], row[1]))
    return rows


def search(page, query: str) -> list[str]:
    """Opens the search with "/", types the query and returns the result pages' links, best first."""
    page.keyboard.press("/")
    page.locator("#hb-search-input").fill(query)
    page.wait_for_function(ANSWERED, timeout=15000)
    return page.eval_on_selector_all("#hb-search .hb-search__page", "links => links.map(a => a.href)")


def top_results(page, site_url: str, query: str, n: int = 5) -> list[str]:
    page.goto(site_url)
    return search(page, query)[:n]


@pytest.fixture(name="zensical_url", scope="module")
def _fixture_zensical_url() -> str:
    return _serve(str(zensical_site()))


@pytest.mark.parametrize("query, expected", queries(), ids=[q for q, _ in queries()])
def test_query_finds_its_page_in_top_five(page, site_url, query, expected):
    """The page where the answer lives is among the first five results."""
    results = top_results(page, site_url, query)
    wanted = expected.split("|")
    assert any(any(w in url for w in wanted) for url in results), f"{query!r}: {results}"


def test_shared_queries_are_used():
    """The shared query list is read, so the test cannot pass by finding no queries."""
    assert len(queries()) >= 10


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_swedish_stemming_finds_the_routine_in_both_builds(page, recorder, site_url, zensical_url, builder):
    """ "försvunna barn" (a form the routine never uses) finds "Barn som avviker från placeringen" first, with the
    Swedish stemmer, in both builds; nothing leaves the host, no CSP violation, no console error."""
    url = site_url if builder == "mkdocs" else zensical_url
    results = top_results(page, url, "försvunna barn")
    assert results and results[0] == url + "rutiner/avvikna-barn/", results
    page.wait_for_load_state("networkidle")
    assert recorder.external == [] and recorder.csp_violations == [] and recorder.console_errors == []


def test_both_builds_give_the_same_results(page, site_url, zensical_url):
    """One search for every build: the same pages in the same order for the same query."""
    for query in SAME_IN_BOTH:
        mkdocs = [urlsplit(u).path for u in top_results(page, site_url, query, 10)]
        zensical = [urlsplit(u).path for u in top_results(page, zensical_url, query, 10)]
        assert mkdocs and mkdocs == zensical, query


def test_results_are_grouped_by_page_with_the_step_shown(page, site_url):
    """Each page is one result; the steps that match are listed under it, as links to their anchors."""
    pages = top_results(page, site_url, "polisen", 10)
    assert len(pages) == len(set(pages))
    routine = page.locator(
        "#hb-search .hb-search__result",
        has=page.locator(f".hb-search__page[href='{urlsplit(site_url).path}rutiner/forsta-atgarder/']"),
    )
    steps = routine.locator(".hb-search__step")
    assert steps.count() >= 1
    assert "/rutiner/forsta-atgarder/#" in steps.first.get_attribute("href")
    assert steps.first.inner_text().strip()
    assert routine.locator("mark").count() >= 1  # the hit is highlighted in the excerpt


def test_no_request_leaves_the_host_and_the_policy_holds(page, recorder, site_url):
    """A first search fetches Pagefind's script, WebAssembly and index from this host only, under the CSP."""
    page.goto(site_url + "rutiner/forsta-atgarder/")
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    assert search(page, "polisanmälan")
    page.wait_for_load_state("networkidle")
    assert any("/pagefind/" in url and url.endswith(".pagefind") for url in fetched), fetched
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in fetched if url.startswith("http"))
    assert recorder.external == [] and recorder.csp_violations == [] and recorder.console_errors == []


def test_keyboard_opens_searches_and_closes(page, site_url):
    """ "/" opens the dialog with the field focused; ArrowDown reaches a result; Escape closes and gives focus back;
    the header button opens it by Enter too."""
    page.goto(site_url + "rutiner/forsta-atgarder/")
    dialog = page.locator("#hb-search")
    page.keyboard.press("/")
    assert dialog.evaluate("d => d.open") is True
    assert page.evaluate("document.activeElement.id") == "hb-search-input"
    page.keyboard.type("polisen")
    page.wait_for_function(ANSWERED, timeout=15000)
    assert "sökresultat" in page.locator("#hb-search-status").inner_text()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.matches('#hb-search .hb-search__page')") is True
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "hb-search-input"
    page.keyboard.press("Escape")
    assert dialog.evaluate("d => d.open") is False
    button = page.locator("button.hb-search-open")
    button.focus()
    page.keyboard.press("Enter")
    assert dialog.evaluate("d => d.open") is True
    page.keyboard.press("Escape")
    assert dialog.evaluate("d => d.open") is False
    assert page.evaluate("document.activeElement.matches('button.hb-search-open')") is True


def test_enter_opens_the_first_result(page, site_url):
    page.goto(site_url)
    first = search(page, "betänketid")[0]
    page.locator("#hb-search-input").press("Enter")
    page.wait_for_url(first)
    assert page.url == first


def test_the_dialog_is_named_and_the_status_is_announced(page, site_url):
    """A screen reader hears the dialog's name, the field's label and the number of results."""
    page.goto(site_url)
    assert page.locator("button.hb-search-open").get_attribute("aria-label") == "Sök i handboken"
    search(page, "polisen")
    assert page.get_by_role("dialog", name="Sök i handboken").is_visible()
    assert page.get_by_role("searchbox", name="Sök i handboken").evaluate("e => e.id") == "hb-search-input"
    assert page.get_by_role("status").inner_text().endswith("sökresultat")


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}], ids=["desktop", "phone"]
)
def test_open_results_have_no_axe_violations(new_page, site_url, axe, viewport):
    page = new_page(viewport=viewport)
    page.goto(site_url + "rutiner/forsta-atgarder/")
    search(page, "polisen")
    assert axe(page) == []
