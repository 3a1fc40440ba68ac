"""The domain records storyline produces.

Every record that comes from text carries ``start``/``end``: character offsets
(Unicode code points, end exclusive) into ``Document.text``, so
``document.text[r.start:r.end] == r.text`` holds for every record and can be
checked against the original file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

StatementKind = Literal["direct", "indirect", "mixed"]
DateSource = Literal["explicit", "narrative", "publication"]
# A speaker's stance toward what the statement says, read from polarity and
# modality: "denies X" and "says X is not so" deny; "does not deny X", "refused
# to confirm or deny", "cannot be ruled out", "appears to say" hedge.
Stance = Literal["affirm", "deny", "hedge"]
# How a figure is bounded: "up to 12,000", "at least", "about", "more than", or as given.
Qualifier = Literal["exact", "about", "up to", "at least", "more than", "less than"]


def document_id(text: str) -> str:
    """Stable document id: the first 16 hex digits of the text's SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def item_id(doc_id: str, kind: str, *offsets: int) -> str:
    """Stable id of a record found in a document: its kind and offsets, hashed.

    Re-analysing the same text gives the same ids; a record's position in a
    list never enters it.
    """
    key = "|".join([doc_id, kind, *map(str, offsets)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Document:
    """One source text and its metadata, as ingested."""

    text: str
    id: str = ""
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    # Ranges of ``text`` that are the article body (not navigation, dateline,
    # headline or byline). Analysis reads the headline and the body.
    body: list[tuple[int, int]] = field(default_factory=list)
    headline: tuple[int, int] | None = None
    source: str | None = None  # path or feed the document came from
    meta: dict[str, object] = field(default_factory=dict)
    # Provenance, set by the store: what analysed it ("storyline 0.1.0; model") and when it was stored.
    analyzer: str | None = None
    ingested_at: str | None = None  # ISO 8601, UTC

    def __post_init__(self) -> None:
        if not self.id:
            self.id = document_id(self.text)
        if not self.body:
            self.body = [(0, len(self.text))]

    def analysed_ranges(self) -> list[tuple[int, int]]:
        """The ranges analysis reads: the headline (if in the text) and the body."""
        ranges = list(self.body)
        if self.headline is not None:
            ranges.append(self.headline)
        return sorted(ranges)


@dataclass
class TextSpan:
    """A piece of a document's text."""

    start: int
    end: int
    text: str


@dataclass
class Entity:
    """One person, organisation or place, canonical within a document."""

    id: str  # document-local: "e1", "e2", …
    canonical: str
    type: str  # PERSON, ORG, GPE, LOC, NORP, FAC
    mentions: list[TextSpan] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    # Places only (gazetteer resolution).
    country: str | None = None  # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    admin_level: int | None = None  # 0 country, 1 first-level region, 2 …
    geonameid: int | None = None
    # Stable id of the place: "geonames:<id>" or, for regions GeoNames ids are not
    # installed for, "iso3166-2:<code>" (see analyze.places.gazetteer.stable_key).
    place_key: str | None = None

    @property
    def first(self) -> TextSpan:
        return self.mentions[0]


@dataclass
class Speaker(TextSpan):
    """The source of a statement as the text names it, with its canonical entity."""

    name: str = ""  # canonical name (entity canonical when resolved, else span text)
    entity_id: str | None = None


def punctuation_cue(cue: str) -> bool:
    """A cue of punctuation alone: a headline's colon or dash standing for "says" ("…: Seoul", "… – Bloomberg")."""
    return not any(c.isalnum() for c in cue)


def cue_label(cue: TextSpan | Mapping[str, Any] | None) -> str:
    """A statement's cue (a span, or its record as the API gives it) as a reader should see it:
    a headline's punctuation ("…: Seoul", "… – Bloomberg") is named as such, not printed bare as "Seoul — :"."""
    if cue is None:
        return "(continues)"  # the next sentence of a quotation, under the same cue
    text = str(cue["text"]) if isinstance(cue, Mapping) else cue.text
    return f"(headline “{text}”)" if punctuation_cue(text) else text


def stance_label(stance: str | None, reason: str | None) -> str:
    """A statement's stance as shown: affirm, deny or hedge; "topic" for a statement whose content
    is what it speaks about, not a proposition ("responded to a journalist's question": no stance,
    the word that makes it a topic as its reason); "" for a record stored before stances."""
    return stance or ("topic" if reason else "")


def date_note(source: str | None) -> str:
    """How an item's date was found, when the text does not state it outright ("" when it does)."""
    return {"narrative": "from an earlier date in the text", "publication": "publication date"}.get(source or "", "")


@dataclass
class Statement:
    """An attribution: someone (speaker) says/denies/believes (cue) something (content)."""

    start: int
    end: int
    text: str
    speaker: Speaker | None
    cue: TextSpan | None
    content: TextSpan
    kind: StatementKind
    cue_class: str  # assert, deny, acknowledge, warn, accuse, report, believe, intend, …
    date: str | None = None  # ISO date the statement was made, when the text says it
    date_source: DateSource | None = None
    stance: Stance | None = None  # the speaker's stance toward ``content``
    stance_reason: str | None = None  # the words that set it: "does not deny", "highly likely"

    def id(self, doc_id: str) -> str:
        cue = self.cue.start if self.cue is not None else -1  # one span can hold two cues: "reported, citing"
        return item_id(doc_id, "statement", self.start, self.end, cue, self.content.start, self.content.end)

    def summary(self) -> str:
        """"Speaker cue: content", as a timeline shows it. A headline's punctuation cue is left out
        rather than printed as "Seoul ::"."""
        who = self.speaker.name if self.speaker else "(unattributed)"
        cue = self.cue.text if self.cue else "says"
        return f"{who}: {self.content.text}" if punctuation_cue(cue) else f"{who} {cue}: {self.content.text}"


@dataclass
class TimeExpression(TextSpan):
    """A time expression normalised to a TIMEX3 value ("2024-10-24", "2024-08", "P1W", "PRESENT_REF")."""

    value: str = ""
    type: str = "DATE"  # DATE, TIME, DURATION, SET
    granularity: str | None = None  # day, month, year, week, quarter, time, …
    anchor: str | None = None  # the value it was resolved against, for relative expressions

    def id(self, doc_id: str) -> str:
        return item_id(doc_id, "time", self.start, self.end)


@dataclass
class Figure(TextSpan):
    """A number with what it counts: "approximately 12,000 troops"."""

    value: float = 0.0
    unit: str | None = None
    approximate: bool = False
    about: str | None = None  # what is counted, in full: "North Korean troops"
    qualifier: Qualifier = "exact"

    def id(self, doc_id: str) -> str:
        return item_id(doc_id, "figure", self.start, self.end)


@dataclass
class Event:
    """Something that happened: who did what to what, where and when."""

    start: int
    end: int
    text: str  # the trigger
    type: str
    actor: str | None = None
    actor_entity_id: str | None = None
    object: str | None = None
    place: str | None = None
    place_entity_id: str | None = None
    date: str | None = None
    date_source: DateSource | None = None

    def id(self, doc_id: str) -> str:
        return item_id(doc_id, "event", self.start, self.end)

    def summary(self) -> str:
        """"Actor type object in place", as a timeline shows it; "(no actor named)" when the text names none."""
        text = " ".join(x for x in (self.actor, self.type.replace("_", " "), self.object) if x)
        if self.place:
            text += f" in {self.place}"
        return text if self.actor else f"{text} (no actor named)"


@dataclass
class Analysis:
    """Everything storyline extracted from one document."""

    doc_id: str
    entities: list[Entity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def entity(self, entity_id: str | None) -> Entity | None:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        return None
