"""Words of time: months, weekdays, units, numbers, seasons, parts of the day.

Each table maps a lower-cased word to what it means; :func:`alternation` turns
a table into a regular-expression alternative (longest words first, so "sept."
is tried before "sep").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    "january february march april may june july august september october november december".split(), 1
):
    MONTHS[_name] = _i
    MONTHS[_name[:3] + "."] = _i
for _abbr, _i in {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                  "sept.": 9, "oct": 10, "nov": 11, "dec": 12}.items():
    MONTHS[_abbr] = _i
MONTHS.pop("may.", None)

WEEKDAYS: dict[str, int] = {}  # ISO: Monday = 1
for _i, _name in enumerate("monday tuesday wednesday thursday friday saturday sunday".split(), 1):
    WEEKDAYS[_name] = _i
    WEEKDAYS[_name[:3] + "."] = _i
WEEKDAYS.update({"tues.": 2, "thur.": 4, "thurs.": 4})
# Full weekday names only: "Sun." or "Wed" alone are too often something else.
WEEKDAY_NAMES = {k: v for k, v in WEEKDAYS.items() if not k.endswith(".")}
_FULL_MONTHS = "january february march april may june july august september october november december".split()
MONTH_NAMES = {k: v for k, v in MONTHS.items() if k in _FULL_MONTHS or k.endswith(".") or k == "sept"}

# TIMEX3 codes for periods inside a year and a day.
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
    "overnight": "NI", "midday": "MI", "mid-day": "MI", "dawn": "MO", "daybreak": "MO", "dusk": "EV",
}

# Calendar units: the code in a TIMEX3 duration and whether it is a time (PT…) unit.
UNITS: dict[str, str] = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W", "weekend": "WE",
    "fortnight": "W2", "month": "M", "quarter": "Q", "year": "Y", "decade": "E", "century": "C",
    "millennium": "L", "semester": "M6", "half": "H1",
}
TIME_UNITS = {"second", "minute", "hour"}
PLURALS = {"centuries": "century", "millennia": "millennium", "millenniums": "millennium"}


def unit_of(word: str) -> str | None:
    """The singular unit a word names ("Years" → "year"), or None."""
    w = word.lower().replace("-", "")
    if w in UNITS:
        return w
    if w in PLURALS:
        return PLURALS[w]
    if w.endswith("s") and w[:-1] in UNITS:
        return w[:-1]
    return None


ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "last": -1, "final": -1,
}
for _t, _v in TENS.items():
    for _o, _ov in list(ORDINALS.items())[:9]:
        ORDINALS[f"{_t}-{_o}"] = _v + _ov
        ORDINALS[f"{_t} {_o}"] = _v + _ov
# Quantities that are not a number: a TIMEX3 value uses X for them.
VAGUE = {"several", "a few", "few", "some", "many", "a couple of", "couple of", "numerous", "a number of"}


def alternation(words: Iterable[str]) -> str:
    """A regex alternative matching any of ``words`` (escaped, longest first)."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


NUMBER_WORD = (
    r"(?:(?:" + alternation(TENS) + r")(?:[-\s](?:" + alternation(k for k in ONES if ONES[k] < 10 and k != "zero")
    + r"))?|" + alternation(ONES) + r")"
)


def number(text: str) -> float | None:
    """The value of a written number: "12", "1,200", "twenty-four", "two and a half", "a", "1/2"."""
    t = text.lower().strip().replace(",", "")
    if t in ("a", "an", "one", "a single", "single"):
        return 1.0
    if t in ("a couple of", "couple of", "a couple", "a pair of"):
        return 2.0
    if t.startswith(("a ", "an ")) and t.split(None, 1)[1] in ("hundred", "thousand"):
        return 100.0 if t.endswith("hundred") else 1000.0
    if t in ("half a", "half an", "a half", "half"):
        return 0.5
    m = re.fullmatch(r"(\d+)\s+(\d)/(\d)", t)
    if m:
        return int(m.group(1)) + int(m.group(2)) / int(m.group(3))
    m = re.fullmatch(r"(.+?)\s+and\s+an?\s+half", t)
    if m:
        base = number(m.group(1))
        return None if base is None else base + 0.5
    try:
        return float(t)
    except ValueError:
        pass
    total = 0
    parts = re.split(r"[-\s]+", t)
    if not parts:
        return None
    for part in parts:
        if part in ONES:
            total += ONES[part]
        elif part in TENS:
            total += TENS[part]
        elif part == "hundred":
            total = max(total, 1) * 100
        elif part == "thousand":
            total = max(total, 1) * 1000
        elif part == "and":
            continue
        else:
            return None
    return float(total)


def spoken_year(text: str) -> int | None:
    """A year said in words: "nineteen ninety-six" → 1996, "two thousand" → 2000, "two thousand and one"."""
    t = re.sub(r"[-\s]+", " ", text.lower().strip())
    m = re.fullmatch(r"(nineteen|eighteen|twenty) (?:hundred(?: and)? )?(.+)", t)
    if m and not m.group(2).startswith("thousand"):
        high = ONES.get(m.group(1)) or TENS.get(m.group(1))
        low = number(m.group(2))
        if high and low is not None and 10 <= low < 100:  # "twenty four" is a number, not 2004
            return int(high * 100 + low)
    m = re.fullmatch(r"two thousand(?: and)?(?: (.+))?", t)
    if m:
        low = number(m.group(1)) if m.group(1) else 0
        if low is not None and low < 100:
            return int(2000 + low)
    return None
