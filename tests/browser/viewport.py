"""Where an element sits in the viewport, below Material's sticky header (shared by browser tests)."""

from __future__ import annotations


def in_view(page, selector: str) -> dict:
    """The element's top and bottom, the header's bottom and the viewport height, in CSS pixels."""
    return page.evaluate(
        """sel => {
            const r = document.querySelector(sel).getBoundingClientRect();
            const header = document.querySelector('.md-header').getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, headerBottom: header.bottom, height: innerHeight};
        }""",
        selector,
    )


def assert_in_view(page, selector: str) -> None:
    box = in_view(page, selector)
    assert box["top"] >= box["headerBottom"] - 1 and box["bottom"] <= box["height"], box
