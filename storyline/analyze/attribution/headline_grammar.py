"""Attributions in headline grammar, on top of the taggers.

A headline drops articles and copulas and puts its source where body text
would not. On a *headline line* — a line of at most 40 words that either has no
closing period (feed titles) or is in Title Case — these
rules apply:

- ``trailing_sources``: "North Korean troops fighting for Russia in Ukraine:
  Seoul", "N. Korean Soldiers ‘Highly Likely' Killed in Ukraine – Seoul": a
  line ending in a colon or dash and a short name-like phrase attributes what
  comes before to that phrase (the separator is the cue, as PolNeAR marks
  "Graham: …");
- ``headline_contents``: "US says ‘evidence’ North Korea has sent troops to
  Russia": a saying cue whose source comes before it takes the rest of the line
  as its content (up to the next cue or a trailing source), since a headline
  says nothing else after it; "North Korea Sent 1,500 More Troops to Russia,
  South Korea’s Spy Agency Tells Lawmakers": a source that follows a comma, with
  a cue that takes no clause of its own, attributes what precedes the comma;
  a cue with no source takes its verb's named subject ("Putin Appears to Say
  That …").
- ``agentless_passives``: "Ukraine releases video said to show North Korean
  troops …": a headline reports in the present tense, so a bare past form of a
  cue verb with no auxiliary, followed by a ``to``-infinitive it governs, is a
  reduced passive ("[is] said to show"): no one is named as the sayer, and the
  source is none (PolNeAR marks "Some advisers are said to be urging …" with
  no source), whatever noun phrase the tagger took before it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from storyline.analyze.attribution import features as F
from storyline.analyze.attribution.cues import cue_class
from storyline.analyze.attribution.rules import LABELS

if TYPE_CHECKING:
    from storyline.analyze.attribution.extract import Found

TokenSpan = tuple[int, int]

_MAX_WORDS = 40
_SEPARATORS = {":", "–", "—", "-", "--"}
_CLOSING = {".", "!", "?"}
_QUOTES = {'"', "“", "”", "‘", "’", "'", "''", "``"}
# Nouns that name a source when they head a short phrase after a headline's colon or dash.
_SOURCE_NOUNS = {
    "source", "report", "poll", "survey", "study", "official", "analyst", "expert", "media", "agency", "ministry",
    "police", "spokesman", "spokeswoman", "spokesperson", "government", "witness", "lawmaker", "watchdog", "chair",
    "chief", "minister", "president", "diplomat", "monitor", "insider", "aide", "adviser", "advisor", "military",
    "army", "intelligence", "envoy", "senator", "governor", "mayor", "secretary", "leader", "commander", "group",
}
_NAME_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
_NAME_POS = {"PROPN", "NOUN", "ADJ", "DET", "PUNCT", "CCONJ", "ADP", "PART", "NUM", "SPACE"}
# Cue classes of saying, reporting and believing: their content is whatever the line says next.
_SAYING = {"assert", "report", "acknowledge", "believe", "deny", "warn", "predict"}
_CLAUSES = {"ccomp", "xcomp", "advcl", "conj"}


def _words(facts: F.TokenFacts, s: int, e: int) -> list[int]:
    return [i for i in range(s, e) if not facts.space[i]]


def headline_lines(doc: Doc, facts: F.TokenFacts) -> list[TokenSpan]:
    """The token ranges of the headline lines (see the module docstring)."""
    text = facts.text
    out = []
    at = 0
    for line in text.split("\n"):
        start, end = at, at + len(line)
        at = end + 1
        if not line.strip() or len(line) > 400:
            continue
        span = doc.char_span(start + len(line) - len(line.lstrip()), end - (len(line) - len(line.rstrip())))
        if span is None:
            continue
        words = _words(facts, span.start, span.end)
        if not words or len(words) > _MAX_WORDS:
            continue
        last = [i for i in words if doc[i].text not in _QUOTES]
        alphabetic = [i for i in words if doc[i].is_alpha and len(doc[i]) >= 4]
        title = len(alphabetic) >= 3 and sum(doc[i].text[0].isupper() for i in alphabetic) >= 0.5 * len(alphabetic)
        if title or (last and doc[last[-1]].text not in _CLOSING):
            out.append((words[0], words[-1] + 1))
    return out


def repair_separator_contents(doc: Doc, facts: F.TokenFacts, found: list[Found]) -> None:
    """A colon or dash cue whose content is not after it ("AP: Trump chair routed …" tagged
    with "AP" as both source and content) takes the rest of its line."""
    for f in found:
        if f.cue[1] - f.cue[0] != 1 or not _is_separator(doc, f.cue[0]) or f.source is None or f.source[1] > f.cue[0]:
            continue
        if f.content is not None and f.content[0] >= f.cue[1]:
            continue
        end = f.cue[1]
        while end < len(doc) and "\n" not in doc[end].text:
            end += 1
        rest = _trim(doc, facts, f.cue[1], end)
        if rest is not None:
            f.content, f.content_parts = rest, [rest]


def _trim(doc: Doc, facts: F.TokenFacts, s: int, e: int) -> TokenSpan | None:
    """Without whitespace and unquoted edge punctuation."""
    while s < e and (facts.space[s] or (doc[s].is_punct and doc[s].text not in _QUOTES)):
        s += 1
    while e > s and (facts.space[e - 1] or (doc[e - 1].is_punct and doc[e - 1].text not in _QUOTES)):
        e -= 1
    return (s, e) if e > s else None


def _source_like(doc: Doc, words: list[int]) -> bool:
    """A short name-like phrase: no verb, and a name, a source noun or only proper nouns in it."""
    if not 1 <= len(words) <= 6 or any(doc[i].pos_ not in _NAME_POS for i in words):
        return False
    if all(doc[i].is_punct or doc[i].pos_ in ("PROPN", "NOUN") and doc[i].text[:1].isupper() for i in words):
        return not any(doc[i].lower_ in LABELS for i in words)
    return any(doc[i].ent_type_ in _NAME_ENTS for i in words) or any(
        doc[i].lemma_.lower().rstrip("s") in _SOURCE_NOUNS or doc[i].lower_ in _SOURCE_NOUNS for i in words
    )


def trailing_sources(doc: Doc, facts: F.TokenFacts, lines: list[TokenSpan], found: list[Found]) -> list[tuple[TokenSpan, TokenSpan, TokenSpan]]:
    """(cue, source, content) of each headline line ending in a separator and a source; the
    contents of cues found before the separator are cut there."""
    taken = {i for f in found for i in range(*f.cue)}
    out = []
    for s, e in lines:
        words = _words(facts, s, e)
        seps = [k for k, i in enumerate(words) if _is_separator(doc, i) and k >= 3 and i not in taken]
        if not seps:
            continue
        k = seps[-1]
        sep = words[k]
        right = [i for i in words[k + 1 :] if not (doc[i].is_punct and doc[i].text in _CLOSING)]
        if not _source_like(doc, right) or any(doc[i].ent_type_ in {"DATE", "TIME"} for i in right):
            continue
        content = _trim(doc, facts, s, sep)
        if content is None or len(_words(facts, *content)) < 3:
            continue
        for f in found:
            if f.content is not None and s <= f.cue[0] < sep < f.content[1]:
                cut = _trim(doc, facts, f.content[0], sep)
                if cut is not None:
                    f.content, f.content_parts = cut, [cut]
        out.append(((sep, sep + 1), (right[0], right[-1] + 1), content))
    return out


def _after_comma(doc: Doc, facts: F.TokenFacts, start: int, line_start: int) -> tuple[int, int] | None:
    """(the comma right before token ``start``, the end of what precedes the source): the
    comma, or the closing quotation marks after it (PolNeAR keeps quoted punctuation)."""
    i = start - 1
    end = None
    while i > line_start and (facts.space[i] or doc[i].text in _QUOTES):
        if doc[i].text in _QUOTES and end is None:
            end = i + 1
        i -= 1
    return (i, end or i) if i > line_start and doc[i].text == "," else None


def _is_separator(doc: Doc, i: int) -> bool:
    """A colon, or a dash with space on both sides ("… – Seoul", not "pro-Israel")."""
    text = doc[i].text
    if text == ":":
        return True
    return text in _SEPARATORS and i > 0 and bool(doc[i - 1].whitespace_) and bool(doc[i].whitespace_)


def agentless_passives(doc: Doc, facts: F.TokenFacts, lines: list[TokenSpan], found: list[Found]) -> None:
    """Cues on headline lines in a reduced passive with a to-infinitive lose their source
    (module docstring)."""
    for s, e in lines:
        for f in found:
            if f.source is None or not s <= f.cue[0] < e:
                continue
            head = F.cue_head(facts, *f.cue)
            if doc[head].tag_ not in {"VBN", "VBD"} or any(facts.dep_names[c] in {"aux", "auxpass"} for c in F.children_of(facts, head)):
                continue
            words = [i for i in range(f.cue[1], e) if not facts.space[i]]
            if len(words) < 2 or doc[words[0]].tag_ != "TO" or doc[words[1]].pos_ not in {"VERB", "AUX"}:
                continue
            verb = words[1]
            if int(facts.head[verb]) == head and facts.dep_names[verb] in {"xcomp", "ccomp"}:
                f.source = None


def _subject(doc: Doc, facts: F.TokenFacts, verb: int) -> TokenSpan | None:
    """The verb's active subject, when it can be a speaker (a name or a noun)."""
    for child in F.children_of(facts, verb):
        if facts.dep_names[child] == "nsubj" and child < verb:
            token = doc[child]
            if token.pos_ == "PROPN" or token.ent_type_ in _NAME_ENTS or token.pos_ == "NOUN":
                return int(facts.left[child]), int(facts.right[child]) + 1
    return None


def _kind(doc: Doc, facts: F.TokenFacts, cue: TokenSpan) -> str:
    """The class of the cue's last word ("Appears to Say" → assert)."""
    words = [i for i in range(*cue) if not facts.space[i]]
    return cue_class([doc[words[-1]].lemma_.lower()], doc[words[-1]].lemma_.lower()) if words else "other"


def _stop(doc: Doc, facts: F.TokenFacts, head: int, start: int, limit: int) -> int:
    """Where a content running from ``start`` to the end of its line stops: at ``limit``, an
    unquoted comma, semicolon or sentence end, a spaced dash, or a subordinate clause of the cue's
    own."""
    own = {int(facts.left[c]) for c in F.children_of(facts, head) if facts.dep_names[c] == "advcl" and c >= start}
    for i in range(start, limit):
        if i in own or facts.quote[i] < 0 and (doc[i].text in {",", ";", ".", "?", "!"} or _is_separator(doc, i)):
            return i
    return limit


def headline_contents(doc: Doc, facts: F.TokenFacts, lines: list[TokenSpan], found: list[Found], trailing: list[tuple[TokenSpan, TokenSpan, TokenSpan]]) -> None:
    """Contents and sources of the cues on headline lines, by headline grammar (module docstring)."""
    for s, e in lines:
        here = sorted((f for f in found if s <= f.cue[0] < e), key=lambda f: f.cue)
        line_stop = min([sep[0] for sep, _, _ in trailing if s <= sep[0] < e], default=e)
        for n, f in enumerate(here):
            head = F.cue_head(facts, *f.cue)
            separator = f.cue[1] - f.cue[0] == 1 and _is_separator(doc, f.cue[0])
            kind = _kind(doc, facts, f.cue)
            if f.source is None and not separator and kind not in ("other", "believe") and doc[head].tag_ != "VBN":
                f.source = _subject(doc, facts, head)
            if f.source is None or f.source[1] > f.cue[0]:
                continue
            if separator:  # "Source: …" — the rest of the line (nested attributions included)
                if f.content is None or f.content[0] < f.cue[1]:
                    rest = _trim(doc, facts, f.cue[1], line_stop)
                    if rest is not None:
                        f.content, f.content_parts = rest, [rest]
                continue
            if kind not in _SAYING:
                continue
            comma = _after_comma(doc, facts, f.source[0], s)
            clause = any(facts.dep_names[c] in _CLAUSES and c >= f.cue[1] for c in F.children_of(facts, head))
            if comma is not None and not clause and kind != "believe":
                before = _trim(doc, facts, s, comma[0])
                if before is not None and len(_words(facts, *before)) >= 3 and doc[before[0]].pos_ not in ("SCONJ", "ADP", "ADV"):
                    before = (before[0], max(before[1], comma[1]))
                    f.content, f.content_parts = before, [before]
                continue
            if f.content is not None and f.content[0] <= f.cue[0] < f.content[1]:
                f.content = None  # a content holding its own cue: the rest of the line instead
            start = f.cue[1] if f.content is None else f.content[1]
            if f.content is not None and f.content[0] < f.cue[1]:
                continue
            limit = here[n + 1].cue[0] if n + 1 < len(here) else line_stop
            stop = _stop(doc, facts, head, start, limit)
            whole = _trim(doc, facts, f.cue[1] if f.content is None else f.content[0], stop)
            if whole is not None and (f.content is None or whole[1] > f.content[1]):
                f.content_parts = [p for p in f.content_parts if p[1] <= whole[0]] + [whole] if f.content else [whole]
                f.content = (f.content_parts[0][0], whole[1])
