"""Rules on top of the taggers, for patterns the parse states plainly.

- ``quote_cues``: a quotation closed by a comma (or ?/!) and followed in its
  sentence by a verb with a subject ("“…,” Austin spoke at …", "“…,” said
  Smith") makes that verb a cue, whatever the verb.
- ``inherit_sources``: a participle or coordinated cue without a source of its
  own ("Putin addressed …, stating …"; "Zakharova, who denied …, calling them
  …") takes the source of the verb it hangs on: that verb's statement's
  source if it is a cue, else its subject.
- ``cut_at_sibling_cues``: a content does not run over a participle cue that
  hangs on its own cue ("reiterated X, referring to them as …" ends at X).
- ``colon_attributions``: a sentence opened by a short name-like phrase and a
  colon ("Graham: Trump's rhetoric destroying GOP") attributes the rest of the
  sentence to that phrase, the colon being the cue.
- ``drop_source_contents``: a content piece that lies inside its own source is
  no content ("South Korea's intelligence agency released …" tagged with the
  agency as both source and content): a source does not say itself. The other
  pieces stay; with none left, the content is what the cue's verb governs after
  it ("released [detailed satellite images of …]", "reports: […]"), and with
  nothing there the cue has no content and is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from spacy.tokens import Doc

from storyline.analyze.attribution import features as F

if TYPE_CHECKING:
    from storyline.analyze.attribution.extract import Found

TokenSpan = tuple[int, int]

_CLOSING = {"”", '"', "''", "’"}
_OPENING_PUNCT = {",", "?", "!", "—", "--"}
_SUBJECTS = {"nsubj", "nsubjpass"}
_SIBLING = {"advcl", "conj", "npadvmod"}


def quote_cues(doc: Doc, facts: F.TokenFacts, cues: list[TokenSpan]) -> dict[TokenSpan, tuple[TokenSpan, TokenSpan]]:
    """Extra cues: verbs with a subject right after a quotation ending in ``,”``; each with
    (the quotation, the subject) as fallback content and source."""
    taken = {i for s, e in cues for i in range(s, e)}
    extra: dict[TokenSpan, tuple[TokenSpan, TokenSpan]] = {}
    for qs, qe in facts.quotes:
        last = qe - 1
        if last - 1 <= qs or doc[last].text not in _CLOSING or doc[last - 1].text not in _OPENING_PUNCT:
            continue
        sent_end = facts.sents[int(facts.sent[last])][1]
        for i in range(qe, min(sent_end, qe + 12)):
            token = doc[i]
            if token.is_punct or token.is_space:
                if token.text in _OPENING_PUNCT and i > qe:
                    break
                continue
            subjects = [c for c in token.children if c.dep_ in _SUBJECTS]
            if token.pos_ in {"VERB", "AUX"} and token.dep_ != "aux" and subjects and _speaker_like(subjects[0]):
                if i not in taken:
                    subject = subjects[0]
                    extra[(i, i + 1)] = ((qs, qe), (subject.left_edge.i, subject.right_edge.i + 1))
                break
    return extra


def _speaker_like(token: object) -> bool:
    """A subject that can be a speaker: a name, a personal pronoun or a named entity's head."""
    return token.pos_ in {"PROPN", "PRON"} or bool(token.ent_type_)  # type: ignore[attr-defined]


def _subject_span(doc: Doc, facts: F.TokenFacts, verb: int) -> TokenSpan | None:
    for child in F.children_of(facts, verb):
        if facts.dep_names[child] in _SUBJECTS:
            return int(facts.left[child]), int(facts.right[child]) + 1
    return None


def fill_quote_roles(found: list[Found], extra: dict[TokenSpan, tuple[TokenSpan, TokenSpan]]) -> None:
    """A rule-made cue the role tagger gave no content: the quotation and the subject."""
    for f in found:
        if f.cue in extra and f.content is None:
            quote, subject = extra[f.cue]
            f.content, f.content_parts = quote, [quote]
            f.source = f.source or subject


def inherit_sources(doc: Doc, facts: F.TokenFacts, found: list[Found], ranked: frozenset[int] = frozenset()) -> None:
    """Give source-less participle/coordinated cues the source of the verb they hang on.

    ``ranked``: indices of ``found`` whose source the source ranker chose where the tagger saw
    none; a governing cue's or the sentence's last speaker is surer than that choice
    ("Zakharova, who denied the reports, calling them …" is not "This contrasts … calling")."""
    by_head = {F.cue_head(facts, *f.cue): f for f in found}
    for k, f in enumerate(found):
        if f.source is not None and k not in ranked:
            continue
        c = F.cue_head(facts, *f.cue)
        if facts.dep_names[c] not in _SIBLING and facts.dep_names[c] != "xcomp":
            continue
        h = int(facts.head[c])
        if h == c:
            continue
        governor = by_head.get(h)
        earlier = [
            g for g in found
            if g.source is not None and g.cue[1] <= f.cue[0] and f.cue[0] - g.cue[1] <= 30
            and facts.sent[g.cue[0]] == facts.sent[c]
        ]
        if governor is not None and governor.source is not None:
            f.source = governor.source
        elif earlier:  # the parse may hang the participle on the wrong verb; the last speaker is surer
            f.source = max(earlier, key=lambda g: g.cue[1]).source
        elif f.source is None and (span := _subject_span(doc, facts, h)) is not None and not (span[0] <= c < span[1]):
            f.source = span


def cut_at_sibling_cues(doc: Doc, facts: F.TokenFacts, found: list[Found]) -> None:
    """End a content before a participle cue that hangs on the content's own cue."""
    heads = [F.cue_head(facts, *f.cue) for f in found]
    for f, c in zip(found, heads):
        if f.content is None:
            continue
        for g, gc in zip(found, heads):
            if g is f or int(facts.head[gc]) != c or facts.dep_names[gc] not in _SIBLING:
                continue
            start, end = f.content
            cut = g.cue[0]
            if start < cut < end and (g.source is None or g.source == f.source):
                while cut > start and (doc[cut - 1].is_punct or doc[cut - 1].is_space or doc[cut - 1].dep_ == "cc"):
                    cut -= 1
                if cut > start:
                    f.content_parts = [(s, min(e, cut)) for s, e in f.content_parts if s < cut]
                    f.content = (f.content_parts[0][0], f.content_parts[-1][1])


_LEADING = {"aux", "auxpass", "advmod", "neg"}


def drop_source_contents(doc: Doc, facts: F.TokenFacts, found: list[Found]) -> None:
    """Content pieces inside the attribution's own source give way (module docstring)."""
    for f in found:
        if f.source is None or f.content is None:
            continue
        s, e = f.source
        pieces = f.content_parts or [f.content]
        parts = [(a, b) for a, b in pieces if not (s <= a and b <= e)]
        if len(parts) == len(pieces):
            continue
        if not parts and (after := _after_cue(doc, facts, f.cue)) is not None:
            parts = [after]
        f.content_parts = parts
        f.content = (parts[0][0], parts[-1][1]) if parts else None


def _after_cue(doc: Doc, facts: F.TokenFacts, cue: TokenSpan) -> TokenSpan | None:
    """What the cue's verb governs after it ("released [detailed images of …]"), edge punctuation
    trimmed; None when it governs nothing there."""
    c = F.cue_head(facts, *cue)
    a, b = cue[1], int(facts.right[c]) + 1
    while a < b and (doc[a].is_punct and doc[a].text in _EDGE or doc[a].is_space):
        a += 1
    while b > a and (doc[b - 1].is_punct and doc[b - 1].text in _EDGE or doc[b - 1].is_space):
        b -= 1
    return (a, b) if b > a else None


def bare_cue(doc: Doc, facts: F.TokenFacts, cue: TokenSpan) -> TokenSpan:
    """The cue without leading auxiliaries and adverbs of its verb ("has also reiterated" →
    "reiterated"); PolNeAR and the reference annotation mostly mark the verb alone."""
    s, e = cue
    c = F.cue_head(facts, s, e)
    while s < c and int(facts.head[s]) == c and facts.dep_names[s] in _LEADING:
        s += 1
    return s, e


def according_to_content(doc: Doc, facts: F.TokenFacts, found: list[Found]) -> None:
    """"According to X, A" / "A, according to X": the content is the whole clause the phrase
    modifies, fronted adverbials included, in two pieces when the phrase sits inside it."""
    for f in found:
        s, e = f.cue
        if e - s != 2 or doc[s].lower_ != "according" or doc[s + 1].lower_ != "to":
            continue
        verb = int(facts.head[s])
        if verb == s or facts.pos[verb] == 0 or doc[verb].pos_ not in {"VERB", "AUX"}:
            continue
        lo, hi = int(facts.left[verb]), int(facts.right[verb]) + 1
        skip_lo, skip_hi = int(facts.left[s]), int(facts.right[s]) + 1
        if not (lo <= skip_lo and skip_hi <= hi):
            continue
        pieces = []
        for a, b in ((lo, skip_lo), (skip_hi, hi)):
            while a < b and (doc[a].is_punct and doc[a].text in _EDGE or doc[a].is_space):
                a += 1
            while b > a and (doc[b - 1].is_punct and doc[b - 1].text in _EDGE or doc[b - 1].is_space):
                b -= 1
            if b > a:
                pieces.append((a, b))
        if pieces:
            f.content_parts = pieces
            f.content = (pieces[0][0], pieces[-1][1])


_EDGE = {",", ".", ";", ":", "—", "--", "-"}


_SPEAKER_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
_REPORTS = {"poll", "survey", "report", "study", "camp", "campaign", "official", "officials", "source", "sources", "aide", "aides"}
LABELS = {"note", "update", "question", "answer", "name", "age", "city", "job", "pay", "q", "a", "watch", "listen", "related", "read", "photo", "video", "editor", "exclusive"}
_LABEL_POS = {"PROPN", "NOUN", "ADJ", "DET", "PART", "PUNCT", "NUM", "CCONJ", "ADP"}


def colon_attributions(doc: Doc, facts: F.TokenFacts, found: list[Found]) -> list[tuple[TokenSpan, TokenSpan, TokenSpan]]:
    """"Poll: Trump ties Clinton", "Sen. Graham: Trump's rhetoric destroying GOP": a sentence
    opened by a short name-like phrase and a colon attributes the rest of the sentence to that
    phrase, with the colon as the cue (PolNeAR's convention for headline attributions).
    Returns (cue, source, content) of each such sentence whose colon no cue holds yet."""
    taken = {i for f in found for i in range(*f.cue)}
    out: list[tuple[TokenSpan, TokenSpan, TokenSpan]] = []
    seen: set[int] = set()
    # Only the sentences with a colon are read: the first colon of each.
    for colon in np.flatnonzero(facts.lower == F.string_id(":")).tolist():
        k = int(facts.sent[colon])
        if k in seen:
            continue
        seen.add(k)
        ss, se = facts.sents[k]
        words = [i for i in range(ss, se) if not facts.space[i]]
        if colon not in words[:9] or colon in taken:
            continue
        left = [i for i in words if i < colon]
        right = [i for i in words if i > colon]
        if not 1 <= len(left) <= 7 or len(right) < 3 or any(facts.quote[i] >= 0 for i in left):
            continue
        if any(doc[i].pos_ not in _LABEL_POS for i in left) or doc[left[-1]].lower_ in LABELS:
            continue
        if not any(doc[i].ent_type_ in _SPEAKER_ENTS or doc[i].lemma_.lower() in _REPORTS for i in left):
            continue
        if not any(doc[i].pos_ in {"VERB", "AUX"} for i in right) and not any(facts.quote[i] >= 0 for i in right):
            continue
        end = right[-1] + 1
        if doc[end - 1].text in {".", ";"} and facts.quote[end - 1] < 0:
            end -= 1
        if end > right[0]:
            out.append(((colon, colon + 1), (left[0], left[-1] + 1), (right[0], end)))
    return out
