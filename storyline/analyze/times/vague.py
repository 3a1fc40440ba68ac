"""Handler for vague references: PRESENT_REF, PAST_REF, FUTURE_REF."""

from __future__ import annotations

import re

from storyline.analyze.times.anchoring import Context
from storyline.analyze.times.lexicon import unit_of
from storyline.analyze.times.normalize import Resolved, _g, handler
from storyline.analyze.times.values import duration


@handler
def vague(m: re.Match[str], ctx: Context) -> Resolved | None:
    if m.group("recent"):
        unit = unit_of(_g(m, "runit"))
        if unit in ("year", "decade"):
            return Resolved("DATE", "PAST_REF", remember=False)
        return Resolved("DURATION", duration(None, unit), remember=False) if unit else None
    if m.group("present"):
        return Resolved("DATE", "PRESENT_REF", remember=False)
    if m.group("past"):
        return Resolved("DATE", "PAST_REF", remember=False)
    return Resolved("DATE", "FUTURE_REF", remember=False)
