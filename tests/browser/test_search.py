"""Search: every caseworker query in shared/search-queries.tsv (and ours) finds its page in the top five."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from helpers import REPO

SHARED = REPO.parent / "shared" / "search-queries.tsv"
OURS = Path(__file__).with_name("search-queries.tsv")


def queries() -> list[tuple[str, str]]:
    rows = []
    for path in (SHARED, OURS):
        if not path.exists():
            continue
        for row in csv.reader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t"):
            if row and not row[0].startswith("#") and len(row) >= 2:
                rows.append((row[0], row[1]))
    return rows


def top_results(page, site_url: str, query: str, n: int = 5) -> list[str]:
    page.goto(site_url)
    page.keyboard.press("/")  # Material's keyboard shortcut focuses the search box
    meta = "document.querySelector('.md-search-result__meta').textContent"
    # The worker builds the index after page load; a query typed before that is lost, as it would be for a person.
    page.wait_for_function(f"() => !/Initialiserar/.test({meta})", timeout=15000)
    page.locator("input.md-search__input").press_sequentially(query)
    # The meta line reads "4 sökresultat" (or "Inga sökresultat") once the worker has answered this query.
    page.wait_for_function(f"() => /\\d|Inga/.test({meta})", timeout=15000)
    # Results follow each keystroke; read them once they have stopped changing.
    # One list item per page; its first link is the page itself, the rest are its sections.
    script = "items => items.map(li => li.querySelector('a').href)"
    results, previous = None, []
    for _ in range(30):
        results = page.eval_on_selector_all("li.md-search-result__item", script)
        if results == previous:
            break
        previous = results
        page.wait_for_timeout(150)
    return results[:n]


@pytest.mark.parametrize("query, expected", queries(), ids=[q for q, _ in queries()])
def test_query_finds_its_page_in_top_five(page, site_url, query, expected):
    """The page where the answer lives is among the first five results."""
    results = top_results(page, site_url, query)
    wanted = expected.split("|")
    assert any(any(w in url for w in wanted) for url in results), f"{query!r}: {results}"


def test_shared_queries_are_used():
    """The shared query list is read, so the test cannot pass by finding no queries."""
    assert len(queries()) >= 10
