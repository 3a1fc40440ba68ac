"""``storyline_headlines``: Title Case headlines parsed as the sentences they are.

A line of its own written in Title Case or ALL CAPS ("Kremlin Rejects ‘Fake’
Report North Koreans Fighting in Ukraine") is parsed again in sentence case
("Kremlin rejects ‘fake’ report …", :mod:`casing`), as one sentence, by the
model's own components that ran before this one; its tags, lemmas, dependency
tree, entities and token vectors replace the first parse's. The text, the tokens
and every offset stay as they were: only the analysis changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from storyline.analyze.extensions import text_of
from storyline.casing import Caser, body_usage, looked_up

_NAMES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
_MAX_LINE = 300  # characters: longer lines are paragraphs, not headlines
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_SENTENCE_END = {".", "?", "!"}


def _looks_titled(line: str) -> bool:
    """A cheap first look: most words of four letters or more start with a capital (Title Case
    or ALL CAPS). :meth:`Caser.sentence_case` decides."""
    words = _LONG_WORD.findall(line)
    return len(words) >= 2 and sum(w[0].isupper() for w in words) * 2 >= len(words)


class HeadlineParser:
    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self._caser: Caser | None = None

    @property
    def caser(self) -> Caser:
        if self._caser is None:
            self._caser = Caser.for_model(self.nlp)
        return self._caser

    def __call__(self, doc: Doc) -> Doc:
        self._reparse([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            self._reparse(batch)
            yield from batch

    def lines(self, doc: Doc) -> list[tuple[int, int, str]]:
        """(first token, end token, sentence-cased text) of each Title Case line of ``doc``."""
        text = text_of(doc)
        out: list[tuple[int, int, str]] = []
        found: list[tuple[int, int, Span]] = []
        at = 0
        for line in text.split("\n"):
            start, end = at, at + len(line)
            at = end + 1
            stripped = line.strip()
            if not stripped or len(stripped) > _MAX_LINE or not _looks_titled(stripped):
                continue
            start += len(line) - len(line.lstrip())
            end -= len(line) - len(line.rstrip())
            span = doc.char_span(start, end)
            if span is not None:
                found.append((start, end, span))
        if not found:
            return out
        # The body's usage (outside the first such line) of the words these lines hold: the
        # only ones sentence_case looks up.
        body = body_usage(text, found[0][:2], only=looked_up(text[start:end] for start, end, _ in found))
        ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in _NAMES]
        for start, end, span in found:
            names = [(a, b) for a, b in ents if start <= a and b <= end]
            cased = self.caser.sentence_case(
                text[start:end], body, lambda s, e: any(a <= start + s and start + e <= b for a, b in names)
            )
            if cased is not None:
                out.append((span.start, span.end, cased))
        return out

    def _reparse(self, docs: list[Doc]) -> None:
        jobs: list[tuple[Doc, int, int]] = []
        subdocs: list[Doc] = []
        for doc in docs:
            for s, e, cased in self.lines(doc):
                offset = doc[s].idx
                words = [cased[t.idx - offset : t.idx - offset + len(t)] for t in doc[s:e]]
                spaces = [bool(t.whitespace_) for t in doc[s:e]]
                spaces[-1] = False
                # One sentence, unless the line itself ends one inside ("Why …? Here's …").
                starts = [True] + [None if doc[i - 1].text in _SENTENCE_END else False for i in range(s + 1, e)]
                subdocs.append(Doc(doc.vocab, words=words, spaces=spaces, sent_starts=starts))
                jobs.append((doc, s, e))
        if not subdocs:
            return
        for name, proc in self.nlp.pipeline:
            if name == self.name:
                break
            subdocs = list(proc.pipe(subdocs)) if hasattr(proc, "pipe") else [proc(d) for d in subdocs]
        for (doc, s, e), sub in zip(jobs, subdocs):
            _patch(doc, s, e, sub)


def _patch(doc: Doc, s: int, e: int, sub: Doc) -> None:
    """Put ``sub``'s analysis in place of tokens s:e of ``doc``."""
    array = doc.to_array(_ATTRS)
    array[s:e] = sub.to_array(_ATTRS)
    doc.from_array(_ATTRS, array)
    if doc.tensor is not None and sub.tensor is not None and doc.tensor.shape[0] == len(doc) and sub.tensor.shape == (e - s, doc.tensor.shape[1]):
        doc.tensor[s:e] = sub.tensor
    kept = [ent for ent in doc.ents if ent.end <= s or ent.start >= e]
    doc.ents = sorted(kept + [Span(doc, s + ent.start, s + ent.end, label=ent.label_) for ent in sub.ents], key=lambda x: x.start)


@Language.factory(
    "storyline_headlines",
    assigns=["token.tag", "token.pos", "token.lemma", "token.dep", "token.head", "doc.ents"],
    requires=["token.dep", "doc.ents"],
)
def make_headline_parser(nlp: Language, name: str) -> HeadlineParser:
    return HeadlineParser(nlp, name)
