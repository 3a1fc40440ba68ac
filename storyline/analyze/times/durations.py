"""Handlers for durations ("three weeks", "10-year") and sets ("every Thursday", "twice a year")."""

from __future__ import annotations

import re

from storyline.analyze.times.anchoring import Context
from storyline.analyze.times.lexicon import MONTHS, PARTS_OF_DAY, SEASONS, WEEKDAYS, unit_of
from storyline.analyze.times.normalize import Resolved, _count, _g, handler, HANDLERS
from storyline.analyze.times.values import duration


@handler
def duration_(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = unit_of(_g(m, "unit"))
    if unit is None:
        return None
    num_text = _g(m, "num")
    n = _count(num_text)
    unit_text = _g(m, "unit")
    plural = unit_text.endswith("s") or unit_text in ("centuries", "millennia")
    if num_text in ("a", "an", "one", "a single") and plural:
        return None
    if unit == "quarter" and (num_text in ("a", "an") or re.search(r"\w-quarters\b", m.group(0), re.I)):
        return None  # "a quarter of the vote", "three-quarters of its food"
    if unit == "second" and num_text in ("a", "the"):
        return None
    if n is not None and unit == "year" and n >= 1000 and not plural:
        return None
    if m.group("old"):
        if "old" in _g(m, "old"):
            return None  # an age: "52 years old", "a 136-year-old institution"
    if m.group("andhalf") and n is not None:
        n += 0.5
    if m.group("num3") and m.group("unit3"):
        unit3 = unit_of(_g(m, "unit3"))
        n3 = _count(_g(m, "num3"))
        if unit3 and n is not None and n3 is not None:
            return Resolved("DURATION", _compound(n, unit, n3, unit3), remember=False)
    return Resolved("DURATION", duration(n, unit), remember=False)


HANDLERS["duration"] = duration_


def _compound(n: float, unit: str, n2: float, unit2: str) -> str:
    first, second = duration(n, unit), duration(n2, unit2)
    if first.startswith("PT") or not second.startswith("PT"):
        return first + second[2 if second.startswith("PT") and first.startswith("PT") else 1:]
    return first + second[1:]


@handler
def unit_long(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = unit_of(_g(m, "unit"))
    return Resolved("DURATION", duration(1, unit), remember=False) if unit else None


@handler
def half_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = unit_of(_g(m, "unit"))
    return Resolved("DURATION", duration(0.5, unit), remember=False) if unit else None


@handler
def bare_units(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = unit_of(_g(m, "unit"))
    return Resolved("DURATION", duration(None, unit), remember=False) if unit else None


_FREQ = {"daily": "P1D", "annually": "P1Y", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y",
         "annual": "P1Y", "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W", "fortnightly": "P2W",
         "bimonthly": "P2M", "semiannually": "P6M", "semi-annually": "P6M", "biannually": "P6M"}


@handler
def set_(m: re.Match[str], ctx: Context) -> Resolved | None:
    if m.group("freq"):
        freq = _g(m, "freq")
        return Resolved("SET", _FREQ[freq], remember=False)
    what = _g(m, "what") or _g(m, "tunit") or _g(m, "aunit")
    if what in WEEKDAYS:
        return Resolved("SET", f"XXXX-WXX-{WEEKDAYS[what]}", remember=False)
    if what in MONTHS:
        return Resolved("SET", f"XXXX-{MONTHS[what]:02d}", remember=False)
    if what in SEASONS:
        return Resolved("SET", f"XXXX-{SEASONS[what]}", remember=False)
    if what in PARTS_OF_DAY:
        return Resolved("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[what]}", remember=False)
    if what == "weekday":
        return Resolved("SET", "XXXX-WXX-WD", remember=False)
    if what == "weekend":
        return Resolved("SET", "XXXX-WXX-WE", remember=False)
    unit = unit_of(what)
    if unit is None:
        return None
    n = _count(_g(m, "num")) if m.group("num") else 1.0
    return Resolved("SET", duration(n or 1.0, unit), remember=False)


HANDLERS["set"] = set_
