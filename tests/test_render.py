"""Golden pages: the fixture handbook renders to exactly the committed Markdown.

`pytest --update-golden` rewrites tests/golden/; review the diff like any content change.
"""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import TESTS, golden
from handbook.render.attachments import static_files
from handbook.load import load_handbook
from handbook.render.pages import fill_markers, render_pages

FIXTURE = TESTS / "fixture-handbook"
GOLDEN = TESTS / "golden"


@pytest.fixture(name="handbook", scope="module")
def _fixture_handbook():
    loaded = load_handbook(FIXTURE)
    assert loaded.problems == []
    return loaded.handbook


def test_pages_are_the_golden_ones(handbook, update_golden):
    """Every generated page equals its golden file, and no golden file is left over."""
    pages = render_pages(handbook)
    for path, markdown in pages.items():
        golden(GOLDEN / path, markdown, update_golden)
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert on_disk == set(pages)


def test_attachments_are_the_golden_ones(handbook, update_golden):
    """Redirect pages, vCard and CSV equal their golden files."""
    for path, text in static_files(handbook).items():
        golden(GOLDEN / "attachments" / path, text, update_golden)


def test_call_now_card(handbook, update_golden):
    """The start page marker becomes the who-to-call-now card, with holidays made at build time."""
    page = fill_markers("# Start\n\n<!-- handbook:ring-nu -->\n", handbook, "index.md",
                        dt.date(2026, 11, 27))
    assert '"2026-12-24"' in page and '"2027-06-25"' in page  # julafton and midsommarafton, de facto holidays
    golden(GOLDEN / "call-now.txt", page, update_golden)


def test_abbreviations_only_those_used(handbook):
    """A page carries the definitions of the abbreviations it uses, and no others."""
    from handbook.render.pages import abbreviations

    assert abbreviations(handbook, "Beslut enligt 6 § LVU.") == (
        "\n\n*[LVU]: Lag med särskilda bestämmelser om vård av unga\n")
    assert abbreviations(handbook, "Inga förkortningar här. LVUX är inte LVU-lik") == (
        "\n\n*[LVU]: Lag med särskilda bestämmelser om vård av unga\n")
    assert abbreviations(handbook, "Ingenting.") == ""
