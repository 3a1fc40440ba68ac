"""Candidate content spans of a cue, read off the parse and the quotations.

PolNeAR's contents are nearly always syntactic units: the subtree of one of
the cue's dependents (or a run of neighbouring ones: "described [the
demonstrations] [as largely “very peaceful.”]"), a quotation with its marks,
a quotation interrupted by its attribution (two pieces), the clause a
parenthetical or "according to" cue hangs in (minus the cue's own phrase), the
rest of the sentence after a colon-like cue. (A quotation running on over
several sentences is one quotation span already; extending other candidates
over the next sentences was tried and made held-out train worse.) A candidate is a tuple of token ranges (pieces); the
ranker (:mod:`ranker`) chooses among them.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from storyline.analyze.attribution import features as F

TokenSpan = tuple[int, int]
Pieces = tuple[TokenSpan, ...]

_NOT_CONTENT = {"nsubj", "nsubjpass", "aux", "auxpass", "neg", "punct", "cc", "det", "expl", "case", "prt"}
_EDGE_PUNCT = {",", ".", ";", ":", "—", "–", "--", "-", "(", ")"}
_MARKS = {"that", "whether", "if"}


class _Lists:
    """Per-token flags as Python lists: candidate building reads single tokens thousands of
    times per document, where list indexing is several times cheaper than numpy's."""

    __slots__ = ("words", "space", "edge", "quoted_mark", "quoted", "sent", "cuts")

    def __init__(self, facts: F.TokenFacts) -> None:
        text = facts.text
        self.words = [text[a:b] for a, b in zip(facts.start_char.tolist(), facts.end_char.tolist())]
        self.space = facts.space.tolist()
        punct = facts.punct.tolist()
        self.edge = [sp or (pu and w in _EDGE_PUNCT) for w, sp, pu in zip(self.words, self.space, punct)]
        self.quoted = (facts.quote >= 0).tolist()
        self.quoted_mark = [q and bool(m) for q, m in zip(self.quoted, facts.mark.tolist())]
        self.sent = facts.sent.tolist()
        self.cuts = np.flatnonzero(facts.cut).tolist()  # the tokens where a unit may be cut, in order


def _lists(facts: F.TokenFacts) -> _Lists:
    found = facts.memo.get("candidates")
    if found is None:
        found = facts.memo["candidates"] = _Lists(facts)
    return found


def trim(facts: F.TokenFacts, span: TokenSpan, quoted_ok: bool = True) -> TokenSpan | None:
    """Without whitespace and sentence punctuation at the edges (a mark that closes or
    ends a quotation stays: PolNeAR keeps quoted punctuation)."""
    t = _lists(facts)
    s, e = span
    while s < e and (t.space[s] or (t.edge[s] and not (quoted_ok and t.quoted_mark[s]))):
        s += 1
    while e > s and (t.space[e - 1] or (t.edge[e - 1] and not (quoted_ok and t.quoted[e - 1]))):
        e -= 1
    return (s, e) if e > s else None


def strip_space(facts: F.TokenFacts, span: TokenSpan) -> TokenSpan | None:
    space = _lists(facts).space
    s, e = span
    while s < e and space[s]:
        s += 1
    while e > s and space[e - 1]:
        e -= 1
    return (s, e) if e > s else None


def normalise(facts: F.TokenFacts, pieces: list[TokenSpan] | Pieces) -> Pieces:
    """Pieces sorted, whitespace-stripped, and joined where only whitespace separates them."""
    out: list[TokenSpan] = []
    space = _lists(facts).space
    for p in sorted(pieces):
        q = strip_space(facts, p)
        if q is None:
            continue
        if out and (q[0] <= out[-1][1] or all(space[i] for i in range(out[-1][1], q[0]))):
            out[-1] = (out[-1][0], max(out[-1][1], q[1]))
        else:
            out.append(q)
    return tuple(out)


def _subtree(facts: F.TokenFacts, i: int) -> TokenSpan:
    return int(facts.left[i]), int(facts.right[i]) + 1


def _minus(span: TokenSpan, holes: list[TokenSpan]) -> list[TokenSpan]:
    """``span`` with the ``holes`` cut out, as pieces."""
    pieces = [span]
    for hs, he in holes:
        nxt = []
        for s, e in pieces:
            if he <= s or e <= hs:
                nxt.append((s, e))
                continue
            if s < hs:
                nxt.append((s, hs))
            if he < e:
                nxt.append((he, e))
        pieces = nxt
    return pieces


class Candidate:
    """One candidate content: its pieces and how it was made (feature material)."""

    __slots__ = ("pieces", "origins")

    def __init__(self, pieces: Pieces, origin: str) -> None:
        self.pieces = pieces
        self.origins = {origin}

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _overlaps(pieces: Pieces, start: int, end: int) -> bool:
    """Whether a piece overlaps [start, end) (a plain loop: it runs for every form of every
    candidate, where any() over a generator costs more than the test)."""
    for s, e in pieces:
        if s < end and start < e:
            return True
    return False


def content_candidates(facts: F.TokenFacts, cue: TokenSpan, source: TokenSpan | None = None) -> list[Candidate]:
    """The candidate contents of ``cue`` (``source``: the tagged source, kept out of them)."""
    cs, ce = cue
    c = F.cue_head(facts, cs, ce)
    k = int(facts.sent[c])
    ss, se = facts.sents[k]
    holes = [cue] + ([source] if source else [])
    out: dict[Pieces, Candidate] = {}
    words = _lists(facts).words

    def add(pieces: list[TokenSpan], origin: str, variants: bool = True) -> None:
        pieces = [p for p in pieces if p[1] > p[0]]
        if not pieces:
            return
        forms = [normalise(facts, pieces)]
        if variants:
            trimmed = [t for p in pieces if (t := trim(facts, p)) is not None]
            if trimmed:
                forms.append(normalise(facts, trimmed))
            # without a leading complementiser ("that …")
            first = forms[-1][0] if forms[-1] else None
            if first and words[first[0]].lower() in _MARKS and first[1] - first[0] > 1:
                forms.append(normalise(facts, [(first[0] + 1, first[1])] + list(forms[-1][1:])))
        for form in forms:
            if not form or _overlaps(form, cs, ce):
                continue
            if form in out:
                out[form].origins.add(origin)
            else:
                out[form] = Candidate(form, origin)

    # 1. Dependents of the cue's words: single subtrees and runs of neighbouring ones on each side.
    deps: list[tuple[TokenSpan, str]] = []
    for i in range(cs, ce):
        for ch in F.children_of(facts, i):
            if cs <= ch < ce or facts.dep_names[ch] in _NOT_CONTENT:
                continue
            span = _subtree(facts, ch)
            if span[0] < ce and cs < span[1]:
                continue
            if source and span[0] < source[1] and source[0] < span[1]:
                continue
            deps.append((span, facts.dep_names[ch]))
    deps.sort()
    # The subject is the content of a passive cue ("the statement was signed") and of cues
    # whose source lies elsewhere; with a right-hand unit it makes a two-piece content.
    subjects = []
    for ch in F.children_of(facts, c):
        if facts.dep_names[ch] in {"nsubj", "nsubjpass", "csubj", "csubjpass"}:
            span = _subtree(facts, ch)
            if not (source and span[0] < source[1] and source[0] < span[1]) and not (span[0] < ce and cs < span[1]):
                subjects.append(span)
                add([span], f"subj:{facts.dep_names[ch]}")
    for side in (0, 1):
        runs = [(sp, d) for sp, d in deps if (sp[0] >= ce) == bool(side)]
        for a in range(len(runs)):
            for b in range(a, min(len(runs), a + 4)):
                label = runs[a][1] if a == b else f"{runs[a][1]}+{runs[b][1]}"
                add([(runs[a][0][0], runs[b][0][1])], f"dep:{label}")
                if side and subjects:
                    add([subjects[0], (runs[a][0][0], runs[b][0][1])], "subj+dep")
    # 2. The clause the cue hangs in, minus the cue's phrase (parentheticals, "according to").
    h = int(facts.head[c])
    if h != c:
        hole = _subtree(facts, c) if facts.dep_names[c] != "ROOT" else cue
        add(_minus(_subtree(facts, h), [hole] + ([source] if source else [])), f"head:{facts.dep_names[c]}")
        hh = int(facts.head[h])
        if hh != h and facts.dep_names[h] in {"prep", "agent", "pcomp"}:
            add(_minus(_subtree(facts, hh), [_subtree(facts, h)] + ([source] if source else [])), "head2")
    # 3. The rest of the sentence on either side.
    add([(ce, se)], "rest:right")
    add([(ss, cs)], "rest:left")
    if source:
        add(_minus((ss, se), holes), "sentence-minus")
    # 4. Quotations near the cue: alone, and pairs around the cue (an interrupted quote).
    sent = _lists(facts).sent
    near = [(qs, qe) for qs, qe in facts.quotes if k - 2 <= sent[qs] <= k + 2]
    for qs, qe in near:
        add([(qs, qe)], "quote", variants=False)
    for (a, b), (x, y) in zip(near, near[1:]):
        if b <= cs and ce <= x:
            add([(a, b), (x, y)], "quote-pair", variants=False)
    # 5. The units above cut short at a comma, dash or conjunction inside them, their head
    # word kept: after the cue, the part before it ("that his knife was stopped …[, something
    # that …]"); before the cue, the part after it.
    if CUTS:
        units = [cand.pieces[0] for cand in out.values() if len(cand.pieces) == 1 and "quote" not in cand.origins]
        # A cut keeps the unit's head word: "that some of the 12,000 troops[, including …,
        # were first seen]" cut before its verb is no longer a statement.
        starts = np.fromiter((a for a, _ in units), dtype=np.int64, count=len(units))
        ends = np.fromiter((b for _, b in units), dtype=np.int64, count=len(units))
        roots = F.shallowest_each(facts, starts, ends).tolist()
        cuts = _lists(facts).cuts
        for (a, b), root in zip(units, roots):
            points = cuts[bisect_left(cuts, a + 1) : bisect_left(cuts, b - 1)]  # a < i < b - 1
            if a >= ce:
                for i in [i for i in points if i > root][:MAX_CUTS]:
                    add([(a, i)], "cut:end")
            elif b <= cs:
                for i in [i for i in points if i < root][-MAX_CUTS:]:
                    add([(i + 1, b)], "cut:start")
    return list(out.values())


CUTS = True
MAX_CUTS = 2


_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_SOURCE_UP = {"xcomp", "advcl", "conj", "acl", "relcl", "pcomp", "ccomp", "prep", "pobj", "dobj", "parataxis", "npadvmod", "attr", "oprd", "amod", "appos"}
_NAMES = {"PERSON", "ORG", "NORP", "GPE"}


def _np_variants(facts: F.TokenFacts, i: int) -> list[TokenSpan]:
    """The noun phrase headed by ``i``: its whole subtree, cut before a comma/dash or a
    relative clause, and the head with its left modifiers only; without a possessive 's."""
    edge = _lists(facts).edge
    s, e = _subtree(facts, i)
    out = [(s, e), (s, i + 1)]
    for j in range(i + 1, e):
        if facts.cut[j] or facts.dep_names[j] in {"relcl", "acl"} and int(facts.head[j]) == i:
            out.append((s, j))
            break
    more = []
    for a, b in out:
        while b > a and (facts.dep_names[b - 1] == "case" or edge[b - 1]):
            b -= 1
        if b > a:
            more.append((a, b))
    return out + more


def source_candidates(facts: F.TokenFacts, cue: TokenSpan, ents: list[tuple[int, int, str]] | None = None) -> dict[TokenSpan, set[str]]:
    """Candidate sources of ``cue`` (token spans → how they were found): subjects of the cue and
    of the verbs it hangs on, agents, possessors, the object of "according to"/"by", a span
    before a colon-like cue, and the named entities of its sentence."""
    cs, ce = cue
    c = F.cue_head(facts, cs, ce)
    out: dict[TokenSpan, set[str]] = {}

    def add(span: TokenSpan | None, origin: str) -> None:
        if span is None:
            return
        span = strip_space(facts, span)
        if span is None or (span[0] < ce and cs < span[1]):
            return
        out.setdefault(span, set()).add(origin)

    def from_token(i: int, origin: str) -> None:
        for span in _np_variants(facts, i):
            add(span, origin)

    # The cue's words' own subjects, agents, possessors, prepositional objects.
    for i in range(cs, ce):
        for ch in F.children_of(facts, i):
            if cs <= ch < ce:
                continue
            d = facts.dep_names[ch]
            if d in _SUBJECTS:
                from_token(ch, "subj")
            elif d == "poss":
                from_token(ch, "poss")
            elif d in {"agent", "prep"}:
                for gc in F.children_of(facts, ch):
                    if facts.dep_names[gc] == "pobj":
                        from_token(gc, f"pobj:{facts.text[facts.start_char[ch] : facts.end_char[ch]].lower()}" if d == "prep" else "agent")
            elif d == "pobj":
                from_token(ch, "pobj")
            elif d in {"dobj", "dative", "compound", "npadvmod"}:
                from_token(ch, d)
    # Up the tree: the subject (or the noun) of the words the cue hangs on.
    j, steps = c, 0
    while steps < 3 and int(facts.head[j]) != j and facts.dep_names[j] in _SOURCE_UP:
        h = int(facts.head[j])
        steps += 1
        if facts.dep_names[j] in {"relcl", "acl", "appos", "amod"}:
            from_token(h, f"up{steps}:noun")
        for ch in F.children_of(facts, h):
            if facts.dep_names[ch] in _SUBJECTS and not (cs <= ch < ce):
                from_token(ch, f"up{steps}:subj")
        j = h
    # A head word (e.g. "Sen. X: …", "X — …"): the words before the cue in the sentence.
    ss, _ = facts.sents[int(facts.sent[c])]
    if cs > ss:
        add(trim(facts, (ss, cs)), "before")
    # Named entities of the sentence.
    sent = _lists(facts).sent
    for a, b, label in ents or []:
        if sent[a] == sent[c]:
            add((a, b), f"ent:{label}")
    return out
