"""``storyline_dating``: when each statement was made.

In order of preference:

1. explicit — a date in the clause of the cue ("stating …" after "on Thursday";
   "statements made the previous day by X, who denied …"), never one inside
   the content (that date is what the statement is about);
2. publication — a present-tense cue with no date ("officials say") speaks at
   publication time;
3. narrative — the date the narrative last set before the statement (news
   reports tell a day's events after naming the day once).

``date_source`` records which, so a reader can tell a stated date from an
inferred one.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Token

from storyline.model import DateSource, TimeExpression

_CALENDAR = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PRESENT_TAGS = {"VBZ", "VBP"}


class DateResolver:
    """Dates for positions in one document, from its time expressions."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        times: list[TimeExpression] = [t for t in (doc._.times or []) if t.type == "DATE" and _CALENDAR.match(t.value)]
        self.times = sorted(times, key=lambda t: t.start)
        self._starts = [t.start for t in self.times]
        # Dates inside what someone said date what they spoke of, not the
        # narrative ("… were first seen on Tuesday," officials said).
        contents = [(s.content.start, s.content.end) for s in doc._.statements or []]
        self._reported = {t.start for t in self.times if any(a <= t.start < b for a, b in contents)}
        published = doc._.published
        self.published = published[:10] if published else None

    def _in(self, start: int, end: int, exclude: tuple[int, int] | None) -> list[TimeExpression]:
        found = []
        for t in self.times:
            if t.start >= start and t.end <= end and not (exclude and exclude[0] <= t.start < exclude[1]):
                found.append(t)
        return found

    def narrative(self, position: int) -> str | None:
        """The last full calendar date mentioned before ``position``."""
        i = bisect_right(self._starts, position)
        for t in reversed(self.times[:i]):
            if _DAY.match(t.value) and t.start not in self._reported:
                return t.value
        return None

    def within(self, head: Token) -> str | None:
        """A date written inside the phrase headed by ``head`` ("the incursion in August")."""
        lo, hi = min(t.idx for t in head.subtree), max(t.idx + len(t) for t in head.subtree)
        found = self._in(lo, hi, None)
        return min(found, key=lambda t: abs(t.start - head.idx)).value if found else None

    def date(
        self, head: Token, exclude: tuple[int, int] | None = None, *, at_least_published: bool = True
    ) -> tuple[str | None, DateSource | None]:
        """The date of the clause headed by ``head`` (a cue or an event trigger).

        With ``at_least_published`` a clause the text does not date gets the
        publication date (right for statements, which were made by then; not
        for events, which the report may tell long after).
        """
        clause = [t.idx for t in head.subtree]
        lo, hi = min(clause), max(t.idx + len(t) for t in head.subtree)
        explicit = self._in(lo, hi, exclude)
        if not explicit:
            sent = head.sent
            explicit = self._in(sent.start_char, sent.end_char, exclude)
        if explicit:
            # The one nearest the head word.
            best = min(explicit, key=lambda t: abs(t.start - head.idx))
            return best.value, "explicit"
        if head.tag_ in _PRESENT_TAGS and self.published:
            return self.published, "publication"
        value = self.narrative(head.idx)
        if value:
            return value, "narrative"
        return (self.published, "publication") if self.published and at_least_published else (None, None)


def _head_at(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


@Language.factory(
    "storyline_dating",
    assigns=["doc._.statements"],
    requires=["doc._.statements", "doc._.times"],
)
def make_dating(nlp: Language, name: str) -> "StatementDating":
    return StatementDating()


class StatementDating:
    def __call__(self, doc: Doc) -> Doc:
        statements = doc._.statements or []
        if not statements:
            return doc
        resolver = DateResolver(doc)
        previous = None
        for statement in sorted(statements, key=lambda s: s.start):
            if statement.date is not None:
                previous = statement
                continue
            content = (statement.content.start, statement.content.end)
            head = _head_at(doc, statement.cue.start, statement.cue.end) if statement.cue else None
            if head is None and previous is not None and statement.cue is None:
                # A continuation quote was made when the quote it continues was.
                statement.date, statement.date_source = previous.date, previous.date_source
            elif head is not None:
                statement.date, statement.date_source = resolver.date(head, exclude=content)
            else:
                value = resolver.narrative(statement.start)
                statement.date, statement.date_source = (value, "narrative") if value else (None, None)
            previous = statement
        return doc
