"""Calendar arithmetic in whole months, for review intervals. Pure."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month, months later; the month's last day when that day does not exist.
    Past the calendar's ends (year 1 and 9999) the answer stays at the end instead of failing."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from earlier to later."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)
