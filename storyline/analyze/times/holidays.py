"""Handler for named days: Christmas, Easter, Thanksgiving, Independence Day, ….

National holidays come from the ``holidays`` package for the outlet's country
("Independence Day" is 4 July in an American paper, 15 August in an Indian
one; a Russian outlet's "Christmas" is 7 January); without a known outlet
country, the United States' calendar (the English-language news the time
grammar was developed on is mostly American). Days that are feasts rather
than public holidays (Christmas Eve, Halloween, Valentine's Day, Easter, …),
and the US Election Day, which is not a federal holiday, are computed here.
A national holiday the country does not have is left unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

import holidays as calendars
from dateutil.easter import easter

from storyline.analyze.times.anchoring import Context, nearest
from storyline.analyze.times.normalize import Resolved, _date, _g, handler
from storyline.analyze.times.values import Point

DEFAULT_COUNTRY = "US"


def _nth_weekday(year: int, month: int, wd: int, n: int) -> date:
    if n > 0:
        d = date(year, month, 1)
        d += timedelta(days=(wd - d.isoweekday()) % 7)
        return d + timedelta(weeks=n - 1)
    d = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return d - timedelta(days=(d.isoweekday() - wd) % 7)


# Feasts and customs that are the same day everywhere they are kept (the fallback when
# the country's public holidays do not name them).
_FEASTS: dict[str, Callable[[int], date]] = {
    "christmas": lambda y: date(y, 12, 25), "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24), "new year's eve": lambda y: date(y, 12, 31),
    "new year's day": lambda y: date(y, 1, 1), "new year's": lambda y: date(y, 1, 1), "new year": lambda y: date(y, 1, 1),
    "halloween": lambda y: date(y, 10, 31), "valentine's day": lambda y: date(y, 2, 14),
    "boxing day": lambda y: date(y, 12, 26), "may day": lambda y: date(y, 5, 1),
    "easter": easter, "easter sunday": easter, "good friday": lambda y: easter(y) - timedelta(days=2),
}
# Days of one country's own that its public-holiday calendar does not list.
_OWN: dict[tuple[str, str], Callable[[int], date]] = {
    ("US", "election day"): lambda y: _nth_weekday(y, 11, 1, 1) + timedelta(days=1),  # Tuesday after the first Monday
}


@lru_cache(maxsize=256)
def _calendar(country: str, year: int) -> dict[str, date]:
    """The country's public holidays of a year, by lower-case English name."""
    try:
        days = calendars.country_holidays(country, years=year, language="en_US")
    except (NotImplementedError, KeyError):
        return {}
    named: dict[str, date] = {}
    for day, names in sorted(days.items()):
        for name in names.split("; "):
            named.setdefault(name.lower(), day)
    return named


def holiday_date(name: str, year: int, country: str | None) -> date | None:
    """The date of the holiday ``name`` (lower case, as the grammar matched it) in ``country``'s ``year``."""
    country = country or DEFAULT_COUNTRY
    calendar = _calendar(country, year)
    for form in (name, f"{name} day"):
        if form in calendar:
            return calendar[form]
    if (country, name) in _OWN:
        return _OWN[(country, name)](year)
    if name in _FEASTS:
        return _FEASTS[name](year)
    return None


@handler
def holiday(m: re.Match[str], ctx: Context) -> Resolved | None:
    name = _g(m, "name")
    if name == "new year" and _g(m, "rel") not in ("this", "last", "next"):
        return None
    if m.group("year"):
        day = holiday_date(name, int(m.group("year")), ctx.country)
        return _date(Point(day)) if day else None
    if ctx.dct is None:
        return Resolved("DATE", "XXXX-XX-XX")
    rel = _g(m, "rel")
    days = [holiday_date(name, ctx.dct.day.year + k, ctx.country) for k in (-1, 0, 1)]
    cands = [Point(d) for d in days if d is not None]
    if not cands:
        return None
    tense = {"last": "past", "next": "future"}.get(rel) or ctx.tense()
    return _date(nearest(cands, ctx.dct, tense, inclusive=rel not in ("last", "next")), ctx.dct)
