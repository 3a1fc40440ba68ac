"""Handlers for calendar dates: absolute dates, months, weekdays, deictic words, units relative to
the publication or narrative date, seasons and offsets ("two days later")."""

from __future__ import annotations


import re
from datetime import date, timedelta

from storyline.analyze.times.anchoring import Context, closest, nearest
from storyline.analyze.times.grammar import DAY, MONTH, WEEKDAY
from storyline.analyze.times.lexicon import MONTHS, PARTS_OF_DAY, SEASONS, WEEKDAYS, spoken_year, unit_of
from storyline.analyze.times.normalize import (
    MONTH_DAY, Resolved, _count, _date, _day, _g, _in_year, _safe_date, _VAGUE_WORDS, _year, handler, HANDLERS,
)
from storyline.analyze.times.values import Point, duration


@handler
def month_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    month, day = MONTHS[_g(m, "month").rstrip(".") if _g(m, "month").rstrip(".") in MONTHS else _g(m, "month")], _day(_g(m, "day"))
    if day is None or not 1 <= day <= 31:
        return None
    if m.group("year"):
        year = _year(m.group("year"), ctx.dct)
        d = _safe_date(year, month, day) if year else None
        return _date(Point(d)) if d else None
    if _safe_date(2000, month, day) is None:
        return None
    wd = WEEKDAYS.get(_g(m, "wd")) if m.group("wd") else None
    if wd and ctx.dct is not None:
        y = ctx.dct.day.year
        for year_ in (y, y + 1, y - 1):
            d = _safe_date(year_, month, day)
            if d and d.isoweekday() == wd:
                return _date(Point(d), ctx.dct)
    return _in_year(ctx, lambda y: (Point(d) if (d := _safe_date(y, month, day)) else None), f"XXXX-{month:02d}-{day:02d}")


HANDLERS["day_month"] = month_day  # same groups, other order: "3 October 1997"


@handler
def month_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    key = _g(m, "month")
    month = MONTHS.get(key) or MONTHS.get(key.rstrip("."))
    year = _year(m.group("year"), ctx.dct)
    if not month or not year:
        return None
    return _date(Point(date(year, month, 1), "month"))


@handler
def numeric_date(m: re.Match[str], ctx: Context) -> Resolved | None:
    year = _year(m.group("y"), ctx.dct) if len(m.group("y")) == 2 else int(m.group("y"))
    d = _safe_date(year, int(m.group("m")), int(m.group("d"))) if year else None
    return _date(Point(d)) if d else None


@handler
def iso_date(m: re.Match[str], ctx: Context) -> Resolved | None:
    d = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if d is None:
        return None
    if m.group("hh"):
        return _date(Point(d, "time", f"{m.group('hh')}:{m.group('mm')}"))
    return _date(Point(d))


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}


@handler
def decade(m: re.Match[str], ctx: Context) -> Resolved | None:
    if m.group("year"):
        year = int(m.group("year"))
    else:
        tens = int(m.group("yy")) // 10 if m.group("yy") else _DECADE_WORDS[_g(m, "word")]
        if not m.group("yy") and not m.group("the"):
            return None  # "in his forties" is an age
        century = 1900 if ctx.dct is None or tens * 10 > ctx.dct.day.year % 100 + 5 else ctx.dct.day.year // 100 * 100
        year = century + tens * 10
    return _date(Point(date(year, 1, 1), "decade"))


@handler
def century(m: re.Match[str], ctx: Context) -> Resolved | None:
    n = _day(_g(m, "n"))
    if not n or n > 21:
        return None
    return _date(Point(date((n - 1) * 100 + 1, 1, 1), "century"))


@handler
def year(m: re.Match[str], ctx: Context) -> Resolved | None:
    y = int(m.group("year"))
    pre = _g(m, "pre")
    if y < 1800 and not pre:
        return None
    return _date(Point(date(y, 1, 1), "year"))


@handler
def fiscal_short(m: re.Match[str], ctx: Context) -> Resolved | None:
    y = _year(m.group("yy").lstrip("'"), ctx.dct)
    return _date(Point(date(y, 1, 1), "year")) if y else None


@handler
def spoken_year_(m: re.Match[str], ctx: Context) -> Resolved | None:
    y = spoken_year(m.group("spoken"))
    if y is None or y % 100 < 10 and y < 2000:
        return None
    return _date(Point(date(y, 1, 1), "year"))


HANDLERS["spoken_year"] = spoken_year_


def _relative_month(rel: str, month: int, ctx: Context) -> Resolved:
    if ctx.dct is None:
        return Resolved("DATE", f"XXXX-{month:02d}")
    dct = ctx.dct
    cands = [Point(date(dct.day.year + k, month, 1), "month") for k in (-1, 0, 1)]
    if rel in ("last", "this past", "past", "the previous"):
        return _date(nearest(cands, dct, "past", inclusive=False), dct)
    if rel in ("next", "this coming", "coming", "the following"):
        return _date(nearest(cands, dct, "future", inclusive=False), dct)
    if rel == "this":
        return _date(cands[1], dct)
    direction = ctx.cue() or ctx.tense()
    return _date(closest(cands, dct, direction if direction != "present" else None), dct)


@handler
def month(m: re.Match[str], ctx: Context) -> Resolved | None:
    key = _g(m, "month")
    mo = MONTHS.get(key) or MONTHS.get(key.rstrip("."))
    if mo is None:
        return None
    yrel = _g(m, "yrel")
    if yrel:
        if ctx.dct is None:
            return Resolved("DATE", f"XXXX-{mo:02d}")
        y = ctx.dct.day.year + {"this": 0, "last": -1, "next": 1}[yrel]
        return _date(Point(date(y, mo, 1), "month"), ctx.dct)
    return _relative_month(_g(m, "rel"), mo, ctx)


def _weekday_point(wd: int, rel: str, ctx: Context) -> Point | None:
    if rel in ("the previous", "previous", "the following", "following", "the same", "that"):
        anchor = ctx.reference("day", "partofday", "time")
        if anchor is None:
            return None
        step = -1 if "previous" in rel else 1
        d = anchor.day + timedelta(days=step)
        while d.isoweekday() != wd:
            d += timedelta(days=step)
        if rel in ("the same", "that"):
            d = anchor.day - timedelta(days=(anchor.day.isoweekday() - wd) % 7)
        return Point(d)
    dct = ctx.dct
    if dct is None:
        return None
    monday = dct.day - timedelta(days=dct.day.isoweekday() - 1)
    cands = [Point(monday + timedelta(days=wd - 1 + 7 * k)) for k in (-2, -1, 0, 1, 2)]
    if rel in ("last", "this past", "past"):
        return nearest(cands, dct, "past", inclusive=False)
    if rel in ("next", "this coming", "coming"):
        return nearest(cands, dct, "future", inclusive=False)
    direction = ctx.cue() or ctx.tense()
    # News tells what happened: a weekday is past unless the clause looks ahead ("will meet Monday").
    return nearest(cands, dct, "future" if direction == "future" else "past")


@handler
def weekday(m: re.Match[str], ctx: Context) -> Resolved | None:
    wd = WEEKDAYS[_g(m, "wd")]
    pod = _g(m, "pod").rstrip("s")
    rel = _g(m, "rel")
    if m.group("plural") or (_g(m, "pod").endswith("s") and pod != "night"):
        return Resolved("SET", f"XXXX-WXX-{wd}" + (f"T{PARTS_OF_DAY[pod]}" if pod else ""))
    if _g(m, "wk") and ctx.dct is not None:
        base = ctx.dct.day + timedelta(weeks={"this": 0, "last": -1, "next": 1}[_g(m, "wk")])
        p: Point | None = Point(base - timedelta(days=base.isoweekday() - wd))
    else:
        p = _weekday_point(wd, rel if rel not in ("early", "late", "earlier", "later") else "", ctx)
    if p is None:
        return Resolved("TIME" if pod else "DATE", f"XXXX-WXX-{wd}" + (f"T{PARTS_OF_DAY[pod]}" if pod else ""))
    if pod:
        p = Point(p.day, "partofday", PARTS_OF_DAY[pod])
    return _date(p, ctx.dct)


_DEICTIC = {"yesterday": -1, "today": 0, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}


@handler
def deictic(m: re.Match[str], ctx: Context) -> Resolved | None:
    offset = _DEICTIC[_g(m, "word")]
    pod = _g(m, "pod")
    if ctx.dct is None:
        return Resolved("TIME" if pod else "DATE", "XXXX-XX-XX" + (f"T{PARTS_OF_DAY[pod]}" if pod else ""))
    p = Point(ctx.dct.day + timedelta(days=offset))
    if pod:
        p = Point(p.day, "partofday", PARTS_OF_DAY[pod])
    return _date(p, ctx.dct)


@handler
def part_of_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = _g(m, "word")
    if word:
        pod, base, offset = "NI", ctx.dct, (-1 if word == "overnight" else 0)
    elif m.group("pod3"):
        pod = PARTS_OF_DAY[_g(m, "pod3")]
        day3 = _g(m, "day3")
        if day3 in WEEKDAYS:
            wp = _weekday_point(WEEKDAYS[day3], "", ctx)
            base, offset = wp, 0
        else:
            base, offset = ctx.dct, _DEICTIC.get(day3, 0)
    else:
        rel = _g(m, "rel")
        pod = PARTS_OF_DAY[_g(m, "pod")]
        if rel in ("the", "that", "the same", "the next", "the following", "the previous"):
            base = ctx.reference("day", "partofday", "time")
            offset = {"the next": 1, "the following": 1, "the previous": -1}.get(rel, 0)
            if rel == "the" and base is ctx.dct:
                return None  # "in the morning" with nothing to anchor it: generic
        else:
            base = ctx.dct
            offset = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(rel, 0)
    if base is None:
        return Resolved("TIME", f"XXXX-XX-XXT{pod}")
    return _date(Point(base.day + timedelta(days=offset), "partofday", pod), base)


_UNIT_GRAN = {"year": "year", "quarter": "quarter", "month": "month", "week": "week", "weekend": "weekend",
              "decade": "decade", "century": "century", "day": "day", "fiscal year": "year", "financial year": "year",
              "calendar year": "year", "school year": "year"}


_BACK = ("last", "the past", "the last", "the previous", "the prior", "the preceding", "this past")
_AHEAD = ("next", "the next", "the coming", "the following", "this coming", "the upcoming", "the very next")
_ANAPHORIC = ("the previous", "the following", "the same", "that", "the prior", "the preceding", "the very same",
              "the very next", "the")


@handler
def unit_relative(m: re.Match[str], ctx: Context) -> Resolved | None:
    rel = _g(m, "rel")
    unit = _g(m, "unit")
    season = SEASONS.get(unit)
    gran = "season" if season else _UNIT_GRAN[unit]
    if (m.group("ended") or m.group("todate")) and gran == "year":
        return Resolved("DURATION", "P1Y", remember=False)  # "the year ended Sept. 30": a twelve-month period
    if m.group("end") and gran == "quarter" and rel in ("the", "the fiscal"):
        ended = _period_end(m, ctx)
        if ended is not None:
            # The calendar quarter that overlaps most the three months ending then (fiscal quarters
            # are named after it: "the quarter ended July 31" is the second).
            return _date(Point(ended.day - timedelta(days=45)).at("quarter"), ctx.dct)
    anaphoric = rel in _ANAPHORIC or (gran == "day" and rel == "the next")
    if gran == "day" and not anaphoric:
        return None  # "this day", "the past day": vague
    if rel == "the" and gran in ("decade", "century"):
        return None
    if gran == "season":
        return _season(season, rel, ctx)
    if gran == "weekend" and rel in ("the", "this"):
        if ctx.dct is None:
            return Resolved("DATE", "XXXX-WXX-WE")
        sat = ctx.dct.day + timedelta(days=6 - ctx.dct.day.isoweekday())
        cands = [Point(sat + timedelta(weeks=k), "weekend") for k in (-1, 0)]
        return _date(nearest(cands, ctx.dct, "future" if ctx.tense() == "future" else "past"), ctx.dct)
    anchor = ctx.reference_within(gran) if anaphoric else ctx.dct
    if anchor is None:
        return Resolved("DATE", {"year": "XXXX", "quarter": "XXXX-QX", "month": "XXXX-XX", "week": "XXXX-WXX",
                                 "weekend": "XXXX-WXX-WE", "day": "XXXX-XX-XX"}.get(gran, "XXXX"))
    if rel == "the" and gran == "quarter" and anchor is ctx.dct:
        # "the quarter" in a results story with no quarter named yet: the last one completed.
        return _date(anchor.at("quarter").shift("quarter", -1), anchor)
    step = -1 if rel in _BACK else 1 if rel in _AHEAD else 0
    appositive = re.search(r"\d,\s*$", m.string[max(0, m.start() - 4) : m.start()])  # "Oct. 12, the day before …"
    if rel == "the" and m.group("ba") and not appositive:
        step = -1 if _g(m, "ba") == "before" else 1  # "the day after his death": a day after the date in view
        named = _named_day_after(m, ctx) if gran == "day" else None
        if named is not None:
            anchor = named  # "the day after Monday's debate": a day after that Monday
    if gran == "week":
        p = Point(anchor.day + timedelta(weeks=step), "week")
    elif gran == "day":
        p = Point(anchor.day + timedelta(days=step))
    else:
        p = anchor.at(gran).shift(gran, step)
    # "the previous day" looks back from the narrative's date without moving it.
    return _date(p, anchor, remember=not (anaphoric and step < 0))


_NAMED_DAY = re.compile(rf"\s+(?:before|after)\s+(?:(?P<wd>{WEEKDAY})|(?P<month>{MONTH})\.?\s+(?P<day>{DAY}))(?!\w)", re.I)


def _named_day_after(m: re.Match[str], ctx: Context) -> Point | None:
    """The weekday or date right after "the day before / after", if one is named there."""
    found = _NAMED_DAY.match(m.string, m.end())
    if found is None or not m.string[found.start("wd") if found.group("wd") else found.start("month")].isupper():
        return None  # a proper name only ("the day before may …" is no date)
    if found.group("wd"):
        return _weekday_point(WEEKDAYS[_g(found, "wd")], "", ctx)
    month, day = MONTHS.get(_g(found, "month").rstrip(".")) or MONTHS.get(_g(found, "month")), _day(_g(found, "day"))
    if month is None or day is None or ctx.dct is None:
        return None
    resolved = _in_year(ctx, lambda y: (Point(d) if (d := _safe_date(y, month, day)) else None), "")
    return resolved.point


def _period_end(m: re.Match[str], ctx: Context) -> Point | None:
    """The date after "ended" / "ending": the last such day before publication for "ended"
    (a period reported on is over), the nearest one for "ending"."""
    found = MONTH_DAY.fullmatch(m.group("end").strip())
    if found is None:
        return None
    month, day = MONTHS.get(_g(found, "month").rstrip(".")) or MONTHS.get(_g(found, "month")), _day(_g(found, "day"))
    if month is None or day is None:
        return None
    if found.group("year"):
        d = _safe_date(int(found.group("year")), month, day)
        return Point(d) if d else None
    if ctx.dct is None:
        return None
    cands = [Point(d) for y in range(ctx.dct.day.year - 1, ctx.dct.day.year + 2) if (d := _safe_date(y, month, day))]
    return nearest(cands, ctx.dct, "past" if _g(m, "ended") == "ended" else None) if cands else None


def _season(code: str, rel: str, ctx: Context) -> Resolved:
    anchor = ctx.reference_within("season") if rel in _ANAPHORIC else ctx.dct
    if anchor is None:
        return Resolved("DATE", f"XXXX-{code}")
    cands = [Point(date(anchor.day.year + k, 1, 1)).at("season", code) for k in (-1, 0, 1)]
    if rel in _BACK:
        p = nearest(cands, anchor, "past", inclusive=False)
    elif rel in _AHEAD:
        p = nearest(cands, anchor, "future", inclusive=False)
    else:
        p = nearest(cands, anchor, ctx.tense())
    return _date(p, anchor)


@handler
def year_end(m: re.Match[str], ctx: Context) -> Resolved | None:
    w = _g(m, "w")
    if ctx.dct is None:
        return Resolved("DATE", "XXXX" if "year" in w else "XXXX-XX")
    if w.startswith("month"):
        return _date(ctx.dct.at("month"), ctx.dct)
    if w.startswith("week"):
        return _date(Point(ctx.dct.day, "week"), ctx.dct)
    return _date(ctx.dct.at("year"), ctx.dct)


@handler
def season(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = _g(m, "season")
    code = SEASONS[word]
    if m.group("year"):
        y = _year(m.group("year"), ctx.dct)
        return _date(Point(date(y, 1, 1)).at("season", code)) if y else None
    if not m.group("the") and word in ("fall", "spring"):
        return None  # "prices fall", "a spring"
    if ctx.dct is None:
        return Resolved("DATE", f"XXXX-{code}")
    cands = [Point(date(ctx.dct.day.year + k, 1, 1)).at("season", code) for k in (-1, 0, 1)]
    return _date(nearest(cands, ctx.dct, ctx.tense()), ctx.dct)


@handler
def relative_offset(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = unit_of(_g(m, "unit"))
    if unit is None or unit in ("second", "minute", "hour"):
        return None
    num_text = _g(m, "num")
    plural = _g(m, "unit").endswith("s") or _g(m, "unit") == "centuries"
    if not num_text and not plural:
        return None  # "day after" is not an offset
    vague = not num_text or bool(_VAGUE_WORDS.search(num_text))
    n = None if vague else _count(num_text)
    direction = _g(m, "dir") or _g(m, "signal")
    back = direction in ("ago", "earlier", "before", "back", "previously", "prior")
    # "[three days] later": TimeML types the measured stretch, a DURATION; its end still moves the narrative.
    measured = bool(m.group("signal"))
    if vague or n is None:
        if measured:
            return Resolved("DURATION", duration(None, unit), remember=False)
        return Resolved("DATE", "PAST_REF" if back else "FUTURE_REF", remember=False)
    gran = {"night": "day", "fortnight": "week"}.get(unit, unit)
    if unit == "fortnight":
        n *= 2
    steps = int(round(n)) * (-1 if back else 1)
    deictic = direction in ("ago", "from now", "hence", "back")
    last = ctx.last
    if deictic:
        # "two years ago": from publication, at the unit's granularity; but "a year ago" right after a
        # quarter is named compares that quarter with the same one a year before.
        anchor = ctx.dct
        if anchor is None:
            return Resolved("DATE", "XXXX")
        if gran == "year" and last is not None and last.granularity in ("quarter", "half") and last.day.year == anchor.day.year:
            return _date(last.shift("year", steps), last, remember=False)
        base = Point(anchor.day, "week") if gran == "week" else anchor.at(gran)
        return _date(base.shift(gran, steps), anchor, remember=False)
    anchor = ctx.reference_within(gran)
    if anchor is None:
        return Resolved("DURATION", duration(n, unit), remember=False) if measured else Resolved("DATE", "XXXX")
    base = anchor
    if anchor.granularity in ("partofday", "time"):
        base = Point(anchor.day)
    p = base.shift(gran, steps)
    if measured:
        return Resolved("DURATION", duration(n, unit), p, anchor, remember=not back)
    return _date(p, anchor, remember=not back)
