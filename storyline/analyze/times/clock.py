"""Handler for clock times ("5 p.m. EST Friday", "noon Saturday")."""

from __future__ import annotations

import re
from datetime import timedelta

from storyline.analyze.times.anchoring import Context
from storyline.analyze.times.lexicon import WEEKDAYS
from storyline.analyze.times.normalize import MONTH_DAY, Resolved, _date, _g, handler
from storyline.analyze.times.values import Point
from storyline.analyze.times.dates import _DEICTIC, _weekday_point, month_day


def _day_word(text: str, ctx: Context) -> Point | None:
    t = re.sub(r"\s+", " ", text.strip().lower())
    if t in _DEICTIC:
        return Point(ctx.dct.day + timedelta(days=_DEICTIC[t])) if ctx.dct else None
    if t == "tonight":
        return ctx.dct
    if t in WEEKDAYS:
        return _weekday_point(WEEKDAYS[t], "", ctx)
    mm = MONTH_DAY.fullmatch(text.strip())
    if mm:
        r = month_day(mm, ctx)
        return r.point if r else None
    return None


@handler
def clock(m: re.Match[str], ctx: Context) -> Resolved | None:
    if m.group("named"):
        named = _g(m, "named")
        hour, minute = (24, 0) if named == "midnight" else (12, 0)  # TimeML writes midnight as T24:00
    else:
        hour = int(m.group("h") or m.group("h2"))
        minute = int(m.group("mi") or m.group("mi2") or 0)
        ampm = _g(m, "ampm").replace(" ", "").replace(".", "")
        if m.group("h2") is not None and not m.group("tz") and not m.group("pre") and not m.group("post"):
            if hour > 24 or not re.search(r"\d:\d\d", m.group(0)):
                return None
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 24 or (ampm in ("am", "pm") and int(m.group("h") or 0) > 12):
            return None
    code = f"{hour:02d}:{minute:02d}"
    day_text = m.group("pre") or m.group("post")
    if day_text:
        base = _day_word(day_text, ctx)
    else:
        base = ctx.reference("day", "partofday", "time")
    if base is None:
        return Resolved("TIME", f"XXXX-XX-XXT{code}")
    return _date(Point(base.day, "time", code), base)
