"""What relative expressions are resolved against.

Two anchors, as in news writing: the publication time (``yesterday``, ``last
week``, a bare ``Friday``) and the narrative reference, the date the text last
mentioned (``the previous day``, ``a year earlier``, ``that quarter``). The
tense of the clause picks the direction for bare weekdays, months and quarters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from storyline.analyze.times.tense import Tense
from storyline.analyze.times.values import Point, finer


@dataclass
class Context:
    """The anchors for one document, updated as expressions are resolved in text order."""

    dct: Point | None
    country: str | None = None  # ISO 3166-1 alpha-2 of the outlet: whose holidays "Independence Day" means
    # The last mentioned point of each granularity (with its position in the text), and the last of any.
    references: dict[str, Point] = field(default_factory=dict)
    last: Point | None = None
    tense: Callable[[], Tense] = lambda: None
    # The direction a preceding word gives ("until", "by", "since"), which overrides the tense.
    cue: Callable[[], Tense] = lambda: None
    _seen: dict[str, int] = field(default_factory=dict)
    _clock: int = 0

    def reference(self, *granularities: str) -> Point | None:
        """The most recently mentioned point at one of ``granularities`` (any if none given), else the DCT."""
        if not granularities:
            return self.last or self.dct
        known = [g for g in granularities if g in self.references]
        if not known:
            return self.dct
        return self.references[max(known, key=lambda g: self._seen[g])]

    def reference_within(self, granularity: str) -> Point | None:
        """The most recently mentioned point at ``granularity`` or finer ("the following year" after
        "May 22, 1995" is 1996), else the DCT."""
        known = [g for g in self.references if not finer(granularity, g)]
        if not known:
            return self.dct
        return self.references[max(known, key=lambda g: self._seen[g])]

    def recent(self, granularities: tuple[str, ...]) -> list[Point]:
        """The last mentioned points at these granularities, most recent first."""
        known = [g for g in granularities if g in self.references]
        return [self.references[g] for g in sorted(known, key=lambda g: -self._seen[g])]

    def mention(self, point: Point) -> None:
        """Record a resolved point as the narrative reference."""
        self.references[point.granularity] = point
        self._clock += 1
        self._seen[point.granularity] = self._clock
        if point.granularity in ("partofday", "time"):
            self.references["day"] = Point(point.day)
            self._seen["day"] = self._seen[point.granularity]
        self.last = point


# Days a candidate is counted further away for lying against the clause's tense: the tense decides
# unless its candidate is far off ("was extended to Nov. 20" written on Nov. 2 is this Nov. 20).
AGAINST_TENSE_DAYS = 270
# Without a tense, news more often looks back than ahead: a later candidate counts this much further.
UNKNOWN_TENSE_AHEAD_DAYS = 120


def closest(candidates: list[Point], anchor: Point, tense: Tense) -> Point:
    """The candidate nearest the anchor, counting one lying against the tense as ``AGAINST_TENSE_DAYS`` further."""

    def cost(p: Point) -> int:
        first, last = p.day, _last_day(p)
        a = anchor.day
        if first <= a <= last:
            return 0
        gap = (first - a).days if first > a else (a - last).days
        against = (tense == "past" and first > a) or (tense == "future" and last < a)
        if tense is None and first > a:
            return gap + UNKNOWN_TENSE_AHEAD_DAYS
        return gap + (AGAINST_TENSE_DAYS if against else 0)

    return min(candidates, key=cost)


def _last_day(p: Point) -> date:
    g = p.granularity
    if g in ("day", "partofday", "time"):
        return p.day
    nxt = p.shift({"season": "quarter"}.get(g, g), 1).day
    return nxt - timedelta(days=1) if nxt > p.day else p.day


def nearest(candidates: list[Point], anchor: Point, tense: Tense, *, inclusive: bool = True) -> Point:
    """Pick the candidate the tense points to: the latest not after the anchor for the past,
    the earliest not before it for the future, the closest otherwise (ties go to the past)."""

    def start(p: Point) -> date:
        return p.day

    def end(p: Point) -> date:
        g = p.granularity
        nxt = p.shift({"season": "quarter"}.get(g, g), 1).day if g not in ("day", "partofday", "time") else p.day
        return nxt - timedelta(days=1) if nxt > p.day else p.day

    a = anchor.day
    if tense == "past":
        before = [c for c in candidates if (start(c) <= a if inclusive else end(c) < a)]
        if before:
            return max(before, key=start)
    elif tense == "future":
        after = [c for c in candidates if (end(c) >= a if inclusive else start(c) > a)]
        if after:
            return min(after, key=start)

    def distance(p: Point) -> tuple[int, int]:
        if start(p) <= a <= end(p):
            return (0, 0)
        gap = (start(p) - a).days if start(p) > a else (a - end(p)).days
        return (gap, 1 if start(p) > a else 0)

    return min(candidates, key=distance)
