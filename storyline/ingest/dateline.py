"""Wire-style datelines at the start of an article: "SEOUL, Oct. 23 (Reuters) -",
"MOSCOW —", "BUFFALO, N.Y. (AP) —", "NEW DELHI:", "(Reuters) —".

A dateline is metadata, not something anyone says: left in the body, the
attribution step reads "SEOUL" as a speaker. :func:`without_dateline` moves the
start of the document's first body range past it (the text itself, and so every
offset, stays as it was) and keeps the place and the agency in ``meta``.

The grammar is the news agencies' convention (AP and Reuters style): a place in
capitals (or a capitalised place with its state or country), an optional date,
an optional agency in parentheses, then a dash or colon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from storyline.model import Document

_CAPS_WORD = r"[A-Z][A-Z'’.\-]+"
_CAP_WORD = r"[A-Z][\w'’.\-]*"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_REGION = rf"(?:,\s*{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}}){{1,2}}"
_DATE = rf"(?:,?\s+(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))"
_AGENCY = r"(?:\s*\((?P<agency>[A-Z][\w&.'’ -]{1,40})\))"
# " - " needs its spaces (a hyphen alone joins words); an em/en dash or colon need not.
# What follows starts a sentence: "NATO - the alliance" is no dateline.
_SEPARATOR = r"(?:\s+-{1,2}|\s*[–—:])\s+(?=\S)(?![a-z])"

_DATELINE = re.compile(
    "|".join(
        (
            # SEOUL, Oct. 23 (Reuters) -   BUFFALO, N.Y. —   NEW DELHI:
            rf"^(?P<place>{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,3}}(?:{_REGION})?){_DATE}?{_AGENCY}?{_SEPARATOR}",
            # Dekalb, Ill. —   New York, NY –   Washington, DC, United States:
            rf"^(?P<place2>{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}}{_REGION}){_DATE.replace('date', 'date2')}?"
            rf"{_AGENCY.replace('agency', 'agency2')}?{_SEPARATOR}",
            # (Reuters) —
            rf"^\((?P<agency3>[A-Z][\w&.'’ -]{{1,40}})\){_SEPARATOR}",
        )
    )
)


@dataclass(frozen=True)
class Dateline:
    end: int  # offset after the separator, relative to the text searched
    place: str | None
    date: str | None
    agency: str | None


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the very start of ``text``, if there is one."""
    match = _DATELINE.match(text[:200])
    if match is None:
        return None
    group = match.groupdict()
    place = group["place"] or group["place2"]
    # A whole sentence in capitals is a heading, not a place.
    if place and len(place.split()) > 6:
        return None
    return Dateline(
        end=match.end(),
        place=place.strip() if place else None,
        date=group["date"] or group["date2"],
        agency=(group["agency"] or group["agency2"] or group["agency3"] or "").strip() or None,
    )


def without_dateline(document: Document) -> Document:
    """The document with its first body range starting after a dateline, if it opens with one."""
    if not document.body:
        return document
    start, end = document.body[0]
    found = find_dateline(document.text[start:end])
    if found is None or start + found.end >= end:
        return document
    meta = dict(document.meta)
    meta["dateline"] = document.text[start : start + found.end].strip(" \t-–—:")
    if found.agency:
        meta["agency"] = found.agency
    body = [(start + found.end, end), *document.body[1:]]
    return replace(document, body=body, meta=meta)
