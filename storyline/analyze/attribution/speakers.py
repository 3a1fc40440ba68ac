"""Who the speaker is: the span's canonical entity, and pronouns resolved to a named antecedent.

- A speaker span maps to the entity of ``doc._.entities`` that has a mention
  overlapping the span's head; while that component is absent, to the named
  entity (``doc.ents``) at the head, with a one-word person name widened to
  the fullest earlier mention ending in the same word ("Putin" → "Vladimir
  Putin").
- A pronoun speaker (he, she, it, they, …) resolves to the nearest compatible
  antecedent before it: earlier statements' speakers and named entities in the
  preceding sentences, subjects first. "it" takes a singular organisation,
  place or earlier non-person speaker ("The government released video that it
  claimed …"), never a person or a plural. Gender comes from the text: titles
  (Mr., Ms.), gendered role nouns (spokeswoman, congressman) near the name,
  the pronouns that earlier statements by the same name were resolved to, and
  else the first name (gender-guesser's dictionary, when installed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from storyline.model import Entity, Speaker

_PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f", "it": "n", "they": "p", "them": "p"}
_FIRST_PERSON = {"i", "we", "me", "us"}
_MALE = {
    "mr.", "mr", "sir", "king", "spokesman", "congressman", "chairman", "husband", "father", "son", "brother",
    "boyfriend", "businessman", "man", "uncle", "grandfather", "prince", "lord", "councilman", "assemblyman",
}
_FEMALE = {
    "mrs.", "mrs", "ms.", "ms", "miss", "madam", "queen", "spokeswoman", "congresswoman", "chairwoman", "wife",
    "mother", "daughter", "sister", "girlfriend", "businesswoman", "woman", "aunt", "grandmother", "princess",
    "lady", "councilwoman", "assemblywoman",
}
_GROUP_ENTS = {"ORG", "NORP", "GPE"}


@dataclass
class Candidate:
    """A possible antecedent: a named span before the pronoun."""

    span: Span
    kind: str  # PERSON, ORG, NORP, GPE, or "SPEAKER" for an earlier statement's speaker
    gender: str | None  # "m", "f" or None (unknown)
    subject: bool
    speaker: bool = False  # an earlier statement's speaker


def entity_for(entities: list[Entity] | None, head: Token) -> Entity | None:
    """The canonical entity with a mention covering the head token."""
    if not entities:
        return None
    start = head.idx  # read once: each Token attribute is a call into spaCy
    end = start + len(head.text)
    for entity in entities:
        for m in entity.mentions:
            if m.start < end and start < m.end:
                return entity
    return None


class Ents:
    """The named entities of a doc, read once (``doc.ents`` builds new spans on every access)."""

    def __init__(self, doc: Doc) -> None:
        self.ents: list[Span] = list(doc.ents)
        self.at: list[int] = [-1] * len(doc)
        # persons: (start, name without "'s", its last word), for widening one-word names
        self.persons: list[tuple[int, str, str]] = []
        for k, ent in enumerate(self.ents):
            self.at[ent.start : ent.end] = [k] * (ent.end - ent.start)
            if ent.label_ == "PERSON":
                name = ent.text.removesuffix("’s").removesuffix("'s").strip()
                if name:
                    self.persons.append((ent.start, name, name.split()[-1]))

    def __iter__(self):
        return iter(self.ents)

    def covering(self, i: int) -> Span | None:
        k = self.at[i]
        return self.ents[k] if k >= 0 else None


def _ents(doc: Doc, ents: Ents | None) -> Ents:
    return ents if ents is not None else Ents(doc)


def _ent_at(doc: Doc, head: Token, ents: Ents | None = None) -> Span | None:
    return _ents(doc, ents).covering(head.i)


def fallback_name(doc: Doc, span: Span, ents: Ents | None = None) -> str:
    """A name for a speaker span without the entities component: the named entity at the head
    (a person's fullest earlier mention sharing the last word), else the span text."""
    ents = _ents(doc, ents)
    ent = _ent_at(doc, span.root, ents)
    if ent is None:
        inside = [e for e in ents if span.start <= e.start and e.end <= span.end]
        ent = next((e for e in inside if e.label_ in {"PERSON", "ORG"}), None)
        if ent is not None and ent.label_ == "ORG" and any(e.label_ == "GPE" and e.end <= ent.start for e in inside):
            return span.text  # "Russia's UN envoy" speaks for Russia, not for the UN
    if ent is None:
        return span.text
    text = ent.text.removesuffix("’s").removesuffix("'s").strip()
    if ent.label_ == "PERSON":
        last = text.split()[-1] if text.split() else text
        fuller = [name for start, name, word in ents.persons if start < ent.end and word == last]
        if fuller:
            text = max(fuller, key=len)
    return text


def _gender_of(doc: Doc, span: Span) -> str | None:
    """Gender evidence next to a name: a title before it, a gendered role noun in the
    few words before it or in an apposition after it."""
    window = [t.lower_ for t in doc[max(0, span.start - 4) : span.start]]
    window += [t.lower_ for t in doc[span.end : min(len(doc), span.end + 6)] if t.dep_ == "appos" or t.head.i in range(span.start, span.end)]
    male = sum(w in _MALE for w in window)
    female = sum(w in _FEMALE for w in window)
    if male > female:
        return "m"
    if female > male:
        return "f"
    return None


@lru_cache(maxsize=1)
def _first_names() -> object | None:
    """gender-guesser's first-name dictionary (optional; loaded once per process)."""
    try:
        import gender_guesser.detector as detector
    except ImportError:  # pragma: no cover - optional dependency
        return None
    return detector.Detector(case_sensitive=False)


def _name_gender(full_name: str) -> str | None:
    """m/f from a first name the dictionary is sure of (not "mostly_…", not "andy")."""
    words = [w for w in full_name.replace("’s", "").replace("'s", "").split() if w[:1].isupper() and not w.endswith(".")]
    if len(words) < 2:
        return None
    names = _first_names()
    if names is None:
        return None
    for word in words[:-1]:  # titles ("President") are unknown to the dictionary: try on
        guess = names.get_gender(word)  # type: ignore[attr-defined]
        if guess in {"male", "female"}:
            return "m" if guess == "male" else "f"
    return None


class PronounResolver:
    """Resolves pronoun speakers of one document (keeps what it learnt about genders)."""

    def __init__(self, doc: Doc, ents: Ents | None = None, sents: list[tuple[int, int]] | None = None) -> None:
        self.doc = doc
        self.ents = _ents(doc, ents)
        self.genders: dict[str, str] = {}  # last name word → gender, from the text
        fullest: dict[str, str] = {}
        for ent in self.ents:
            if ent.label_ == "PERSON":
                key = self._key(ent)
                if (g := _gender_of(doc, ent)) is not None:
                    self.genders.setdefault(key, g)
                if len(ent.text) > len(fullest.get(key, "")):
                    fullest[key] = ent.text
        # Where the text gives no evidence, the first name of the fullest mention.
        for key, name in fullest.items():
            if key not in self.genders and (g := _name_gender(name)) is not None:
                self.genders[key] = g
        self.speakers: list[Span] = []
        self.sents = sents if sents is not None else [(sent.start, sent.end) for sent in doc.sents]

    @staticmethod
    def _key(span: Span) -> str:
        words = span.text.replace("’s", "").replace("'s", "").split()
        return words[-1].lower() if words else ""

    def note_speaker(self, span: Span, pronoun: str | None = None) -> None:
        """Remember a resolved speaker; a pronoun it was resolved from tells its gender."""
        self.speakers.append(span)
        if pronoun in {"he", "she"}:
            self.genders.setdefault(self._key(span), _PRONOUN_GENDER[pronoun])

    def _candidates(self, before: int, sentences: int) -> list[Candidate]:
        """Named spans in the ``sentences`` sentences up to the pronoun at token ``before``."""
        doc = self.doc
        k = next((n for n, (s, e) in enumerate(self.sents) if s <= before < e), 0)
        lo = self.sents[max(0, k - sentences)][0]
        out = []
        for ent in self.ents:
            if lo <= ent.start and ent.end <= before and ent.label_ in {"PERSON", *_GROUP_ENTS}:
                subj = ent.root.dep_ in {"nsubj", "nsubjpass"} or ent.root.head.dep_ in {"nsubj", "nsubjpass"}
                out.append(Candidate(ent, ent.label_, self.genders.get(self._key(ent)) if ent.label_ == "PERSON" else None, subj))
        for sp in self.speakers:
            if lo <= sp.start and sp.end <= before and sp.root.pos_ != "PRON":
                ent = _ent_at(doc, sp.root, self.ents)
                kind = ent.label_ if ent is not None else ("GROUP" if sp.root.tag_ in {"NNS", "NNPS"} else "SPEAKER")
                named = ent if ent is not None else sp
                out.append(Candidate(named, kind, self.genders.get(self._key(named)) if kind == "PERSON" else None, True, True))
        return out

    def resolve(self, pronoun: Token) -> Span | None:
        """The antecedent of ``pronoun``, or None when the text gives none.

        Compatible candidates (persons for he/she, of a gender that does not
        contradict; groups, organisations and places for they) are scored by
        nearness, being a subject or an earlier speaker, a matching known
        gender, and how often the article has named them so far; the last five
        sentences first, then the whole text before the pronoun.
        """
        word = pronoun.lower_
        if word in _FIRST_PERSON or word not in _PRONOUN_GENDER:
            return None
        gender = _PRONOUN_GENDER[word]
        for sentences in (5, len(self.sents)):
            best: tuple[float, Span] | None = None
            candidates = self._candidates(pronoun.i, sentences)
            mentions: dict[str, int] = {}
            for c in candidates:
                mentions[self._key(c.span)] = mentions.get(self._key(c.span), 0) + 1
            for c in candidates:
                if gender in {"m", "f"}:
                    if c.kind != "PERSON" or (c.gender is not None and c.gender != gender):
                        continue
                elif c.kind == "PERSON":
                    continue
                elif gender == "n" and (c.kind in {"NORP", "GROUP"} or c.span.root.tag_ in {"NNS", "NNPS"}):
                    continue  # "it" is one organisation or place, not "Ukrainians" or "officials"
                distance = pronoun.i - c.span.end
                score = -distance * DISTANCE_WEIGHT + (15 if c.subject else 0) + (25 if c.speaker else 0)
                score += 10 if c.gender == gender else 0
                score += 4 * min(mentions[self._key(c.span)], 5)
                if best is None or score > best[0]:
                    best = (score, c.span)
            if best is not None:
                return best[1]
        return None


def make_speaker(
    doc: Doc, span: Span, resolved: Span | None, entities: list[Entity] | None, ents: Ents | None = None
) -> Speaker:
    """The Speaker record of ``span``; ``resolved`` is its antecedent when ``span`` is a pronoun."""
    named = resolved if resolved is not None else span
    entity = entity_for(entities, named.root)
    name = entity.canonical if entity is not None else fallback_name(doc, named, ents)
    return Speaker(start=span.start_char, end=span.end_char, text=span.text, name=name, entity_id=entity.id if entity else None)


DISTANCE_WEIGHT = 0.25  # per token of distance; chosen on held-out train

_RELATIVE = {"who", "which", "that", "whom"}


def relative_antecedent(span: Span, ents: Ents | None = None) -> Span | None:
    """For a relative pronoun ("Zakharova, who denied …"), the noun phrase the clause modifies."""
    root = span.root
    if root.lower_ not in _RELATIVE or len(span) > 1:
        return None
    verb = root.head
    if verb.dep_ != "relcl" or verb.head.i == verb.i:
        return None
    noun = verb.head
    doc = span.doc
    ent = _ent_at(doc, noun, ents)
    if ent is not None:
        return ent
    # the noun with its left modifiers (compounds, determiners, titles), not the relative clause
    start = min([noun.i] + [t.i for t in noun.lefts])
    return doc[start : noun.i + 1]
