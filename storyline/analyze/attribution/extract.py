"""From a parsed Doc to attributions as token spans: tag cues, then each cue's source and content."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from spacy.tokens import Doc

from storyline.analyze.attribution import features as F
from storyline.analyze.attribution import headline_grammar, rules
from storyline.analyze.attribution.candidates import normalise, strip_space
from storyline.analyze.attribution.ranker import choose_contents, choose_sources, load_ranker
from storyline.analyze.attribution.tagger import WEIGHTS, CrfTagger, load_tagger

TokenSpan = tuple[int, int]


@dataclass
class Found:
    """One attribution found in a doc, as token ranges."""

    cue: TokenSpan
    source: TokenSpan | None
    content: TokenSpan | None  # from the first to the last piece
    content_parts: list[TokenSpan] = field(default_factory=list)  # a quote interrupted by "he said" has two


def _segments(labels: list[str], tag: str, offset: int) -> list[TokenSpan]:
    """Token ranges labelled B-tag I-tag… (an I without a B starts one too)."""
    out: list[TokenSpan] = []
    start = None
    for k, label in enumerate(labels + ["O"]):
        inside = label[2:] == tag
        if start is not None and (not inside or label.startswith("B-")):
            out.append((offset + start, offset + k))
            start = None
        if inside and start is None:
            start = k
    return out


def find_cues(facts: F.TokenFacts, tagger: CrfTagger, tensor: np.ndarray | None = None) -> list[TokenSpan]:
    """Cue spans: B/I/O tagging of every sentence."""
    return cue_spans(tagger.tag(F.cue_features(facts), facts.sents, tensor), facts.sents)


def cue_spans(labels: list[str], sents: list[TokenSpan]) -> list[TokenSpan]:
    """The cue spans of B/I/O ``labels`` (an I without a B starts one), within each sentence."""
    cues: list[TokenSpan] = []
    for s, e in sents:
        start = None
        for i in range(s, e + 1):
            label = labels[i] if i < e else "O"
            if start is not None and label != "I":
                cues.append((start, i))
                start = None
            if label == "B" or (label == "I" and start is None):
                start = i
    return cues


def _nearest(spans: list[TokenSpan], cue: TokenSpan) -> TokenSpan | None:
    if not spans:
        return None
    return min(spans, key=lambda sp: min(abs(sp[0] - cue[1]), abs(cue[0] - sp[1])))


def _content_parts(segments: list[TokenSpan], cue: TokenSpan, source: TokenSpan | None) -> list[TokenSpan]:
    """The content pieces: the longest tagged segment, joined with neighbours across the
    attribution clause (cue or source) that interrupts it."""
    if not segments:
        return []
    best = max(range(len(segments)), key=lambda k: segments[k][1] - segments[k][0])
    lo = hi = best
    clause = [cue] + ([source] if source else [])

    def interrupted(a: TokenSpan, b: TokenSpan) -> bool:
        return any(a[1] <= c[0] and c[1] <= b[0] for c in clause)

    while lo > 0 and interrupted(segments[lo - 1], segments[lo]):
        lo -= 1
    while hi + 1 < len(segments) and interrupted(segments[hi], segments[hi + 1]):
        hi += 1
    return segments[lo : hi + 1]


_EDGE_PUNCT = {F.string_id(p) for p in (",", ".", ";", ":")}


def _tidy(parts: list[TokenSpan], facts: F.TokenFacts) -> list[TokenSpan]:
    """PolNeAR leaves sentence punctuation outside the content unless it is quoted: drop a
    final or leading comma/period that lies outside every quotation."""
    if not parts:
        return parts
    s, e = parts[-1]
    if e - s > 1 and int(facts.lower[e - 1]) in _EDGE_PUNCT and facts.quote[e - 1] < 0:
        parts = parts[:-1] + [(s, e - 1)]
    s, e = parts[0]
    if e - s > 1 and int(facts.lower[s]) in _EDGE_PUNCT and facts.quote[s] < 0:
        parts = [(s + 1, e)] + parts[1:]
    return parts


def find_roles(facts: F.TokenFacts, cues: list[TokenSpan], tagger: CrfTagger, tensor: np.ndarray | None = None) -> list[Found]:
    """Each cue's source and content, tagged in its window (all cues of the doc in one batch)."""
    windows = [F.role_window(facts, cue) for cue in cues]
    ids = F.role_features(facts, list(zip(cues, windows)))
    bounds = []
    at = 0
    for ws, we in windows:
        bounds.append((at, at + we - ws))
        at += we - ws
    dense = None
    if tensor is not None and len(tagger.dense):
        dense = np.concatenate([tensor[ws:we] for ws, we in windows]) if windows else None
    labels = tagger.tag(ids, bounds, dense)
    out = []
    space = facts.space
    for cue, (ws, we), (a, b) in zip(cues, windows, bounds):
        seq = labels[a:b]
        sources = [t for sp in _segments(seq, "S", ws) if (t := strip_space(facts, sp))]
        source = _nearest(sources, cue)
        # Joined where only whitespace separates them (a B inside a span), trimmed of it.
        contents = [t for t in normalise(facts, _segments(seq, "T", ws)) if not (facts.punct[t[0] : t[1]] | space[t[0] : t[1]]).all()]
        parts = _tidy(_content_parts(contents, cue, source), facts)
        content = (parts[0][0], parts[-1][1]) if parts else None
        out.append(Found(cue, source, content, parts))
    return out


def extract(doc: Doc, facts: F.TokenFacts | None = None, weights: str | None = None) -> list[Found]:
    """All attributions of ``doc`` (those without content included; callers drop them)."""
    facts = facts or F.token_facts(doc)
    if len(facts) == 0:
        return []
    directory = str(WEIGHTS) if weights is None else weights
    cue_tagger = load_tagger("cue", directory)
    role_tagger = load_tagger("role", directory)
    content_ranker = load_ranker("content", directory) if RULES.get("ranker", True) else None
    source_ranker = load_ranker("source", directory) if RULES.get("source_ranker", True) else None
    tensor = doc.tensor if doc.tensor is not None and len(doc.tensor) == len(doc) else None
    cues = [t for c in find_cues(facts, cue_tagger, tensor) if (t := strip_space(facts, c))]
    extra = rules.quote_cues(doc, facts, cues) if RULES.get("quote_cues", True) else {}
    cues = sorted(cues + list(extra))
    if RULES.get("role", True):
        found = find_roles(facts, cues, role_tagger, tensor) if cues else []
    else:
        found = [Found(cue, None, None, []) for cue in cues]
    rules.fill_quote_roles(found, extra)
    ranked: frozenset[int] = frozenset()
    if source_ranker is not None and found:
        ranked = frozenset(k for k, f in enumerate(found) if f.source is None)
        ents = [(e.start, e.end, e.label_) for e in doc.ents]
        for f, source in zip(found, choose_sources(facts, [f.cue for f in found], [f.source for f in found], ents, source_ranker)):
            f.source = source
    if content_ranker is not None and found:
        chosen = choose_contents(facts, [f.cue for f in found], [f.source for f in found], [f.content_parts for f in found], content_ranker)
        for f, pieces in zip(found, chosen):
            if pieces and (f.content is not None or not RULES.get("drop_contentless", False)):
                f.content_parts = list(pieces)
                f.content = (pieces[0][0], pieces[-1][1])
    if RULES.get("inherit", True):
        rules.inherit_sources(doc, facts, found, ranked)
    if RULES.get("cut", True):
        rules.cut_at_sibling_cues(doc, facts, found)
    if RULES.get("according", True):
        rules.according_to_content(doc, facts, found)
    if RULES.get("headlines", True):
        headline_grammar.repair_separator_contents(doc, facts, found)
    if RULES.get("headlines", True) and (lines := headline_grammar.headline_lines(doc, facts)):
        trailing = headline_grammar.trailing_sources(doc, facts, lines, found)
        headline_grammar.headline_contents(doc, facts, lines, found, trailing)
        headline_grammar.agentless_passives(doc, facts, lines, found)
        found = sorted(found + [Found(cue, source, content, [content]) for cue, source, content in trailing], key=lambda f: f.cue)
    if RULES.get("colon", True):
        extra_found = [Found(cue, source, content, [content]) for cue, source, content in rules.colon_attributions(doc, facts, found)]
        found = sorted(found + extra_found, key=lambda f: f.cue)
    if RULES.get("source_contents", True):
        rules.drop_source_contents(doc, facts, found)
    return found


RULES: dict[str, bool] = {}  # switches for measuring each rule (all on by default)
