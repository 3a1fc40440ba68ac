"""Handlers for financial periods: quarters, halves and year-on-year comparisons."""

from __future__ import annotations

import re
from datetime import date

from storyline.analyze.times.anchoring import Context
from storyline.analyze.times.lexicon import number
from storyline.analyze.times.normalize import Resolved, _date, _g, _year, handler
from storyline.analyze.times.values import Point, duration


_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "last": 4}


@handler
def quarter(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = _g(m, "unit")
    half = unit.startswith("hal")
    n = 2 if half and _g(m, "ord") == "last" else _ORD[_g(m, "ord")]
    if half and n > 2:
        return None
    if unit in ("quarters", "halves"):
        return Resolved("SET", f"XXXX-{'H' if half else 'Q'}{n}") if not _g(m, "det") else None
    det, adj = _g(m, "det"), _g(m, "adj").strip(" -")
    year_text = m.group("y1") or m.group("y2") or m.group("y3") or m.group("y4") or m.group("yown")
    month0 = (n - 1) * (6 if half else 3) + 1
    gran = "half" if half else "quarter"
    if year_text:
        return _date(Point(date(int(year_text), month0, 1), gran))
    if ctx.dct is None:
        return Resolved("DATE", f"XXXX-{'H' if half else 'Q'}{n}")
    offset = {"last year's": -1, "next year's": 1}.get(det, 0)
    yrel = _g(m, "yrel")
    if yrel:
        offset = {"last": -1, "next": 1}.get(yrel.split()[0], 0) if yrel.split()[0] in ("last", "next") else (
            -1 if "previous" in yrel else 0)
    if adj in ("year-ago", "year-earlier"):
        offset = -1
    if offset or det == "this year's" or yrel:
        return _date(Point(date(ctx.dct.day.year + offset, month0, 1), gran), ctx.dct)
    # Quarters are reported after they end: one named without a year is this year's, unless it has
    # not begun yet and the clause is in the past tense.
    p = Point(date(ctx.dct.day.year, month0, 1), gran)
    if p.day > ctx.dct.day and ctx.tense() != "future":
        p = p.shift("year", -1)
    return _date(p, ctx.dct)


@handler
def quarter_code(m: re.Match[str], ctx: Context) -> Resolved | None:
    half, n = m.group("code") == "H", int(m.group("n"))
    if half and n > 2:
        return None
    gran, month0 = ("half", (n - 1) * 6 + 1) if half else ("quarter", (n - 1) * 3 + 1)
    year_text = m.group("year") or m.group("fy") or m.group("yy")
    if year_text:
        y = _year(year_text, ctx.dct)
        return _date(Point(date(y, month0, 1), gran)) if y else None
    if ctx.dct is None:
        return Resolved("DATE", f"XXXX-{m.group('code')}{n}")
    p = Point(date(ctx.dct.day.year, month0, 1), gran)
    if p.day > ctx.dct.day and ctx.tense() != "future":
        p = p.shift("year", -1)
    return _date(p, ctx.dct)


@handler
def period_ref(m: re.Match[str], ctx: Context) -> Resolved | None:
    adj, unit, tail = _g(m, "adj"), _g(m, "unit"), _g(m, "tail")
    if not adj and not tail:
        return None
    if unit in ("nine months", "six months", "three months"):
        if adj in ("year-ago", "year-earlier", "comparable", "corresponding", "same", "latest", "year ago", "year-before", "prior-year") or tail:
            return Resolved("DURATION", duration(number(unit.split()[0]), "month"), remember=False)
        return None
    if unit in ("year", "fiscal year") and not m.group("year") and adj not in ("year-ago", "year-earlier", "prior-year", "year-before", "year ago"):
        return None
    back = bool(tail) or adj in ("year-ago", "year-earlier", "year ago", "comparable year-ago",
                                 "comparable year-earlier", "year-before", "prior-year", "year-previous")
    if adj in ("comparable", "corresponding", "same") and not tail:
        back = True
    anchor = current_period(ctx) if back else ctx.reference("quarter", "half", "month", "year")
    if anchor is None:
        return Resolved("DATE", "XXXX")
    if m.group("year"):
        y = int(m.group("year"))
        quarter_ref = ctx.references.get("quarter")
        if unit == "quarter" and (anchor.granularity == "quarter" or quarter_ref is not None):
            q = anchor if anchor.granularity == "quarter" else quarter_ref
            return _date(Point(date(y, q.day.month, 1), "quarter"), q, remember=False)
        if unit == "period" and anchor.granularity in ("quarter", "half"):
            return _date(Point(date(y, anchor.day.month, 1), anchor.granularity), anchor, remember=False)
        return _date(Point(date(y, 1, 1), "year"), anchor, remember=False)
    if unit in ("quarter", "period") and anchor is ctx.dct:
        base = anchor.at("quarter").shift("quarter", -1)  # the last completed quarter
    elif unit in ("first half", "second half", "half"):
        base = anchor.at("half")
    elif unit == "quarter" and anchor.granularity != "quarter":
        base = ctx.dct.at("quarter").shift("quarter", -1) if ctx.dct else anchor.at("quarter")
    else:
        base = anchor
    if adj in ("current",) and ctx.dct is not None:
        base = ctx.dct.at("quarter") if unit == "quarter" else base
    if adj in ("latest", "most recent", "recent") and unit == "quarter" and ctx.dct is not None:
        completed = ctx.dct.at("quarter").shift("quarter", -1)
        if base.day > completed.day:  # "the latest quarter" has been reported on, so it is over
            base = completed
    return _date(base.shift("year", -1) if back else base, anchor, remember=not back)


def current_period(ctx: Context) -> Point | None:
    """The period under discussion for a year-on-year comparison ("year-ago", "a year earlier"):
    the last quarter, half, month or year mentioned in the publication year, else that year."""
    if ctx.dct is None:
        return ctx.reference("quarter", "half", "month", "year")
    for p in ctx.recent(("quarter", "half", "month", "year")):
        if p.day.year == ctx.dct.day.year:
            return p
    return ctx.dct.at("year")


@handler
def year_ago_adj(m: re.Match[str], ctx: Context) -> Resolved | None:
    anchor = current_period(ctx)
    if anchor is None:
        return Resolved("DATE", "XXXX")
    return _date(anchor.shift("year", -1), anchor, remember=False)
