"""From a matched expression to its TIMEX3 type and value.

One handler per grammar rule (same name). A handler reads the rule's named
groups and the :class:`~storyline.analyze.times.anchoring.Context` and returns
a :class:`Resolved`, or None when the match is not a time expression after all.
Without a publication date, relative expressions keep X placeholders
("XXXX-08", "XXXX-WXX-5").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


from storyline.analyze.times.anchoring import Context, closest
from storyline.analyze.times.grammar import RULES
from storyline.analyze.times.lexicon import ORDINALS, number, spoken_year
from storyline.analyze.times.values import Point


MONTH_DAY = next(rule.pattern for rule in RULES if rule.name == "month_day")


@dataclass
class Resolved:
    type: str
    value: str
    point: Point | None = None  # the calendar point it names, when it names one
    anchor: Point | None = None  # the point it was resolved against, for relative expressions
    remember: bool = True  # whether it becomes the narrative reference


Handler = Callable[[re.Match[str], Context], "Resolved | None"]
HANDLERS: dict[str, Handler] = {}


def handler(fn: Handler) -> Handler:
    HANDLERS[fn.__name__] = fn
    return fn


def _g(m: re.Match[str], name: str) -> str:
    """A group's text, lower-cased and with single spaces ('' when absent)."""
    try:
        v = m.group(name)
    except IndexError:
        return ""
    return re.sub(r"\s+", " ", v.strip().lower()) if v else ""


def _date(point: Point, anchor: Point | None = None, remember: bool = True) -> Resolved:
    type_ = "TIME" if point.granularity in ("partofday", "time") else "DATE"
    return Resolved(type_, point.value, point, anchor, remember)


def _day(text: str) -> int | None:
    t = text.lower()
    if t in ORDINALS:
        return ORDINALS[t] if ORDINALS[t] > 0 else None
    m = re.match(r"\d+", t)
    return int(m.group(0)) if m else None


def _year(text: str, dct: Point | None = None) -> int | None:
    t = text.strip().lower()
    if re.fullmatch(r"\d{4}", t):
        return int(t)
    m = re.fullmatch(r"['’]?(\d\d)", t)
    if m:
        yy = int(m.group(1))
        century = (dct.day.year // 100 * 100) if dct else 1900
        year = century + yy
        if dct and year > dct.day.year + 10:
            year -= 100
        return year
    return spoken_year(t)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _in_year(ctx: Context, make: Callable[[int], Point | None], placeholder: str) -> Resolved:
    """A point given without its year ("Aug. 6", "August"): the one nearest the publication date in
    the direction the clause points to (a deadline "until Nov. 9" lies ahead whatever the tense)."""
    if ctx.dct is None:
        return Resolved("DATE", placeholder)
    y = ctx.dct.day.year
    candidates = [p for p in (make(y - 1), make(y), make(y + 1)) if p is not None]
    if not candidates:
        return Resolved("DATE", placeholder)
    direction = ctx.cue() or ctx.tense()
    return _date(closest(candidates, ctx.dct, direction if direction != "present" else None), ctx.dct)


def _count(text: str) -> float | None:
    """A quantity; None for vague ones ("several", "a few")."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    if t in ("several", "a few", "few", "some", "many", "numerous", "a number of", "countless", "the few"):
        return None
    if t in ("a dozen",):
        return 12.0
    if t in ("dozens of",):
        return None
    return number(t)


_VAGUE_WORDS = re.compile(r"several|few|some|many|numerous|number of|countless|dozens")


# The handler modules register themselves in HANDLERS when imported.
from storyline.analyze.times import clock, dates, durations, holidays, periods, vague  # noqa: E402,F401
