"""Event slots: what a report says about *which* event it tells, compared as slots, not as words.

Two reports of two earthquakes, two emergency patches or two coaches fired read alike word for
word; the month their lead dates the event in and the numbers they give (125 seats, a 9-14
record) tell them apart. Each slot agrees when a document and a story's members fill it with a
shared value and conflicts when they fill it with different values; a slot either side leaves
empty says nothing (docs/stories.md, "Fourth round: event slots").

A document's slots are counted features, summed into its story's centroid like its words:

- ``m`` (the document dates its lead) and ``m:MM`` for each month its lead names, with or without
  a year ("Dec. 9" → ``m:12``): a report names the month of its event first;
- ``f:NOUN`` (the document counts this noun) and ``f:NOUN|VALUE`` for each exact figure other
  than 0, 1 and year-like numbers ("125 seats" → ``f:seat|125``).

Against a story both are means over the members that fill the slot (+1 each that agrees, −1 each
that conflicts), read from the summed counts.
"""

from __future__ import annotations

import re

from storyline.model import Analysis, Document
from storyline.story.text import fold, stem

LEAD_CHARS = 600  # of the body: a news report's lead, where it says when its event happened
_MONTH = re.compile(r"^(?:\d{4}|XXXX)-(\d{2})(?:-\d{2})?$")  # a normalised date with a month, its year known or not
_WORD = re.compile(r"[a-z]+")


def _noun(about: str) -> str:
    """The counted noun of a figure's 'about': 'their Mississippi oil fields' → 'field'."""
    words = _WORD.findall(fold(about))
    return stem(words[-1]) if words else ""


def slots(document: Document, analysis: Analysis) -> dict[str, float]:
    """A document's slot features (each 1.0: a story's sum counts its members)."""
    lead_end = (document.body[0][0] if document.body else 0) + LEAD_CHARS
    out: dict[str, float] = {}
    for time in analysis.times:
        month = _MONTH.match(time.value or "") if time.type == "DATE" and time.start < lead_end else None
        if month:
            out["m"] = out[f"m:{month.group(1)}"] = 1.0
    for figure in analysis.figures:
        value = figure.value
        if not figure.about or figure.qualifier != "exact" or value in (0.0, 1.0) or 1900 <= value <= 2030:
            continue
        noun = _noun(figure.about)
        if noun:
            out[f"f:{noun}"] = out[f"f:{noun}|{value:g}"] = 1.0
    return out


def _score(agree: float, filled: float) -> float:
    """Mean over the members that fill a slot: +1 each that agrees, −1 each that conflicts."""
    return (2 * min(agree, filled) - filled) / filled if filled else 0.0


def month_evidence(mine: dict[str, float], story: dict[str, float]) -> float:
    """How the months of a document's lead agree with those of a story's members (−1 … 1)."""
    if "m" not in mine:
        return 0.0
    return _score(sum(story.get(k, 0.0) for k in mine if k.startswith("m:")), story.get("m", 0.0))


def figure_evidence(mine: dict[str, float], story: dict[str, float]) -> float:
    """How the values of the nouns a document counts agree with the story members' (−1 … 1): the
    best of its nouns the story counts too, as one shared value says more than the noun a later
    report counts anew (a death toll that rose)."""
    values: dict[str, list[str]] = {}
    for key in mine:
        noun, bar, _ = key.partition("|")
        if bar:
            values.setdefault(noun, []).append(key)
    scores = [_score(sum(story.get(k, 0.0) for k in keys), story[noun])
              for noun, keys in values.items() if story.get(noun)]
    return max(scores, default=0.0)
