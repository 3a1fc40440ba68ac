"""Date filters over values as precise as the text allows: a day, a month, a year, a week.

The rule, the same for ``statements`` and ``timeline``: a value is in a range
``[since, until]`` (either end optional) when any of its days is, so
``2024-09`` is in 1–30 September and also in 15 September – 15 October, and
``2024`` is in any range that touches 2024.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2}))?(?:$|T)")


def days(value: str | None) -> tuple[date, date] | None:
    """The first and last day of a TIMEX3 date value (``2024``, ``2024-09``, ``2024-09-05``,
    ``2024-W36``; a time after the day is ignored), or None for anything else."""
    if not value:
        return None
    match = _VALUE.match(value)
    if match is None:
        return None
    year, month, day, week = match.groups()
    try:
        if week:
            return date.fromisocalendar(int(year), int(week), 1), date.fromisocalendar(int(year), int(week), 7)
        if day:
            one = date(int(year), int(month), int(day))
            return one, one
        if month:
            last = calendar.monthrange(int(year), int(month))[1]
            return date(int(year), int(month), 1), date(int(year), int(month), last)
        return date(int(year), 1, 1), date(int(year), 12, 31)
    except ValueError:  # month 13, day 31 of a 30-day month, week 54
        return None


def reach(since: date) -> str:
    """The last day on which a value that starts before ``since`` may end (no value spans more
    than a year, 366 days): the bound that lets an index find the long values meeting a range."""
    try:
        return (since + timedelta(days=366)).isoformat()
    except OverflowError:
        return "9999-12-31"


def overlaps(value: str | None, since: str | None, until: str | None) -> bool:
    """Whether the days of ``value`` meet the range ``since``–``until`` (ISO days, inclusive, each optional).
    Without bounds everything is in; with any bound, a value that is not a date is out."""
    if since is None and until is None:
        return True
    span = days(value)
    if span is None:
        return False
    first, last = span
    return (since is None or last.isoformat() >= since) and (until is None or first.isoformat() <= until)
