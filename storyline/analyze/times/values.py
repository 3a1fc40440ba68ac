"""Calendar points and TIMEX3 value strings.

A :class:`Point` is a date at a granularity ("1989-Q3" is the point 1989-07-01
at quarter granularity); shifting keeps the granularity, so a year before the
third quarter of 1989 is the third quarter of 1988, as TimeML values it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

# Coarse to fine; "partofday" and "time" carry a date and a time of day.
GRANULARITIES = (
    "millennium", "century", "decade", "year", "half", "season", "quarter", "month",
    "week", "weekend", "day", "partofday", "time",
)
_RANK = {g: i for i, g in enumerate(GRANULARITIES)}


def finer(a: str, b: str) -> bool:
    """Whether granularity ``a`` is finer than ``b``."""
    return _RANK[a] > _RANK[b]


_SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}


@dataclass(frozen=True)
class Point:
    """A calendar point: a date, the granularity it is known at, and a code for seasons/parts of day."""

    day: date
    granularity: str = "day"
    code: str | None = None  # season ("SU"), part of day ("MO") or time ("15:00")

    @property
    def value(self) -> str:
        d, g = self.day, self.granularity
        if g == "millennium":
            return f"{d.year // 1000}"
        if g == "century":
            return f"{d.year // 100:02d}"
        if g == "decade":
            return f"{d.year // 10:03d}"
        if g == "year":
            return f"{d.year:04d}"
        if g == "half":
            return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
        if g == "season":
            return f"{d.year:04d}-{self.code}"
        if g == "quarter":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if g == "month":
            return f"{d.year:04d}-{d.month:02d}"
        if g in ("week", "weekend"):
            year, week, _ = d.isocalendar()
            return f"{year:04d}-W{week:02d}" + ("-WE" if g == "weekend" else "")
        if g == "day":
            return d.isoformat()
        return f"{d.isoformat()}T{self.code}"  # partofday or time

    def shift(self, unit: str, n: int) -> Point:
        """Move ``n`` units (a unit name from the lexicon) keeping the granularity."""
        step = {
            "day": relativedelta(days=n), "week": relativedelta(weeks=n), "weekend": relativedelta(weeks=n),
            "month": relativedelta(months=n), "quarter": relativedelta(months=3 * n),
            "half": relativedelta(months=6 * n), "year": relativedelta(years=n),
            "season": relativedelta(years=n), "decade": relativedelta(years=10 * n),
            "century": relativedelta(years=100 * n), "millennium": relativedelta(years=1000 * n),
        }.get(unit)
        if step is None:  # hours, minutes: a whole day at most matters for a date value
            return self
        return replace(self, day=self.day + step)

    def at(self, granularity: str, code: str | None = None) -> Point:
        """The same point at another granularity (quarters and the like start at their first day)."""
        d = self.day
        if granularity == "quarter":
            d = d.replace(month=(d.month - 1) // 3 * 3 + 1, day=1)
        elif granularity == "half":
            d = d.replace(month=1 if d.month <= 6 else 7, day=1)
        elif granularity == "season" and code:
            d = d.replace(month=_SEASON_MONTH[code], day=1)
        elif granularity == "month":
            d = d.replace(day=1)
        return Point(d, granularity, code)


def parse_anchor(iso: str | None) -> Point | None:
    """The publication time (ISO 8601 date or date-time) as a day point; None if unparseable."""
    if not iso:
        return None
    text = iso.strip()
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)", text)
    if m:
        try:
            return Point(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            return None
    try:
        return Point(datetime.fromisoformat(text).date())
    except ValueError:
        return None


def duration(n: float | None, unit: str) -> str:
    """A TIMEX3 duration value: (2, "year") → "P2Y", (None, "month") → "PXM", (1.5, "hour") → "PT1H30M"."""
    code = {"second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W", "weekend": "WE",
            "fortnight": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "E", "century": "C",
            "millennium": "L", "half": "Y"}[unit]
    time = unit in ("second", "minute", "hour")
    prefix = "PT" if time else "P"
    if n is None:
        return f"{prefix}X{code}"
    if unit == "fortnight":
        n *= 2
    if unit == "half":
        n /= 2
    if n != int(n):
        whole, frac = int(n), n - int(n)
        smaller = {"year": ("M", 12), "month": ("D", 30), "day": ("H", 24), "hour": ("M", 60), "minute": ("S", 60),
                   "week": ("D", 7), "decade": ("Y", 10), "century": ("Y", 100)}.get(unit)
        if smaller:
            sub, per = smaller
            rest = f"{round(frac * per)}{sub}"
            if unit == "day":
                return f"P{whole}DT{rest}" if whole else f"PT{rest}"
            return f"{prefix}{whole}{code}{rest}" if whole else f"{prefix}{rest}"
    return f"{prefix}{int(n)}{code}"


def granularity_of(value: str, type_: str) -> str | None:
    """The granularity a TIMEX3 value is stated at ("2024-W43" → "week"), None for vague values."""
    if type_ in ("DURATION", "SET") and value.startswith("P"):
        unit = value[-1]
        return {"S": "second", "M": "minute" if "T" in value else "month", "H": "hour", "D": "day", "W": "week",
                "Q": "quarter", "Y": "year", "E": "decade", "C": "century", "L": "millennium"}.get(unit)
    if value.endswith("_REF"):
        return None
    if "T" in value:
        return "time" if re.search(r"T\d", value) else "partofday"
    for pattern, gran in (
        (r"\d{4}-\d\d-\d\d|XXXX-XX-XX|XXXX-\d\d-\d\d", "day"), (r".+-W\w\w-WE", "weekend"),
        (r".+-W\w\w(-\w)?", "week"), (r".+-Q\w", "quarter"), (r".+-H\w", "half"),
        (r".+-(SP|SU|FA|WI)", "season"), (r".+-\w\w", "month"), (r"\w{4}", "year"),
        (r"\w{3}", "decade"), (r"\w{2}", "century"), (r"\w", "millennium"),
    ):
        if re.fullmatch(pattern, value):
            return gran
    return None
