"""Month arithmetic for review intervals."""

from __future__ import annotations

import datetime as dt

import pytest

from handbook.core.dates import add_months, months_between


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (dt.date(2026, 11, 27), 12, dt.date(2027, 11, 27)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
    ],
)
def test_add_months(day, months, expected):
    """Same day of month; clamped to the month's last day when that day does not exist."""
    assert add_months(day, months) == expected


def test_months_between_counts_whole_months():
    """A month is only complete on the same day of the month."""
    assert months_between(dt.date(2025, 11, 27), dt.date(2026, 11, 26)) == 11
    assert months_between(dt.date(2025, 11, 27), dt.date(2026, 11, 27)) == 12
