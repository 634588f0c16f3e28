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
    box = page.locator("input.md-search__input")
    box.fill(query)
    # The meta line reads "4 sökresultat" (or "Inga sökresultat") once the worker has answered this query.
    page.wait_for_function("() => /\\d|Inga/.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=15000)
    # One list item per page; its first link is the page itself, the rest are its sections.
    return page.eval_on_selector_all(
        "li.md-search-result__item", "items => items.map(li => li.querySelector('a').href)")[:n]


@pytest.mark.parametrize("query, expected", queries(), ids=[q for q, _ in queries()])
def test_query_finds_its_page_in_top_five(page, site_url, query, expected):
    """The page where the answer lives is among the first five results."""
    results = top_results(page, site_url, query)
    wanted = expected.split("|")
    assert any(any(w in url for w in wanted) for url in results), f"{query!r}: {results}"


def test_shared_queries_are_used():
    """The shared query list is read, so the test cannot pass by finding no queries."""
    assert len(queries()) >= 10
