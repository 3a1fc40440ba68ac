"""Handler for named days: Christmas, Easter, Thanksgiving, Election Day, …."""

from __future__ import annotations

from collections.abc import Callable

from dateutil.easter import easter

import re
from datetime import date, timedelta

from storyline.analyze.times.anchoring import Context, nearest
from storyline.analyze.times.normalize import Resolved, _date, _g, handler
from storyline.analyze.times.values import Point


def _nth_weekday(year: int, month: int, wd: int, n: int) -> date:
    if n > 0:
        d = date(year, month, 1)
        d += timedelta(days=(wd - d.isoweekday()) % 7)
        return d + timedelta(weeks=n - 1)
    d = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return d - timedelta(days=(d.isoweekday() - wd) % 7)


_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas": lambda y: date(y, 12, 25), "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24), "new year's eve": lambda y: date(y, 12, 31),
    "new year's day": lambda y: date(y, 1, 1), "new year's": lambda y: date(y, 1, 1), "new year": lambda y: date(y, 1, 1),
    "independence day": lambda y: date(y, 7, 4), "halloween": lambda y: date(y, 10, 31),
    "valentine's day": lambda y: date(y, 2, 14), "boxing day": lambda y: date(y, 12, 26),
    "may day": lambda y: date(y, 5, 1), "veterans day": lambda y: date(y, 11, 11),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 4, 4), "thanksgiving day": lambda y: _nth_weekday(y, 11, 4, 4),
    "memorial day": lambda y: _nth_weekday(y, 5, 1, -1), "labor day": lambda y: _nth_weekday(y, 9, 1, 1),
    "election day": lambda y: _nth_weekday(y, 11, 1, 1) + timedelta(days=1),  # US: the Tuesday after the first Monday
    "easter": easter, "easter sunday": easter, "good friday": lambda y: easter(y) - timedelta(days=2),
}


@handler
def holiday(m: re.Match[str], ctx: Context) -> Resolved | None:
    name = _g(m, "name")
    if name == "new year" and _g(m, "rel") not in ("this", "last", "next"):
        return None
    make = _HOLIDAYS[name]
    if m.group("year"):
        return _date(Point(make(int(m.group("year")))))
    if ctx.dct is None:
        return Resolved("DATE", "XXXX-XX-XX")
    rel = _g(m, "rel")
    cands = [Point(make(ctx.dct.day.year + k)) for k in (-1, 0, 1)]
    tense = {"last": "past", "next": "future"}.get(rel) or ctx.tense()
    return _date(nearest(cands, ctx.dct, tense, inclusive=rel not in ("last", "next")), ctx.dct)
