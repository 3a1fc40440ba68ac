"""Features of tokens for the two taggers: cue spans, then each cue's source and content.

Both work from the parse and tags of the spaCy model. Features are hashed: a
template (say "lemma of the previous token + lemma") combines the model's own
string ids of the columns it reads into one of ``2**BITS`` buckets, for a whole
document or window at once with numpy. Training hands the bucket numbers to
crfsuite as feature names, inference sums the learnt rows of the buckets, so
the same code defines the features for both and tagging costs a few array
operations per document instead of string building per token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, LOWER, ORTH, POS, SENT_START, TAG
from spacy.tokens import Doc

from storyline.analyze.attribution.quotes import quote_spans
from storyline.analyze.extensions import text_of

BITS = 18
BUCKETS = 1 << BITS
ABSENT = BUCKETS  # the bucket of a template that does not apply to a token (an all-zero row)

_QUOTE_MARKS = {'"', "“", "”", "''", "``", "‘", "’", "«", "»", "'"}
_DEPS = (
    "ROOT acl acomp advcl advmod agent amod appos attr aux auxpass case cc ccomp compound conj csubj csubjpass "
    "dative dep det dobj expl intj mark meta neg nmod npadvmod nsubj nsubjpass nummod oprd parataxis pcomp pobj "
    "poss preconj predet prep prt punct quantmod relcl xcomp"
).split()
_CHILD_SKIP = {"punct", "det", "amod", "compound", "cc"}
_BIT = {name: k for k, name in enumerate(_DEPS)}
_U = np.uint64


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads combined ids over the buckets."""
    h = h ^ (h >> _U(30))
    h = h * _U(0xBF58476D1CE4E5B9)
    h = h ^ (h >> _U(27))
    h = h * _U(0x94D049BB133111EB)
    return h ^ (h >> _U(31))


def bucket(template: int, *columns: np.ndarray | int) -> np.ndarray:
    """The bucket of ``template`` applied to the given id columns (same length, or scalars)."""
    with np.errstate(over="ignore"):
        h = np.full(np.shape(np.broadcast(*columns)) if columns else (), _U(template + 1) * _U(0x9E3779B97F4A7C15), dtype=np.uint64)
        for col in columns:
            h = _mix(h ^ np.asarray(col, dtype=np.uint64))
    return (h & _U(BUCKETS - 1)).astype(np.int64)


_M64 = (1 << 64) - 1


def int_bucket(template: int, *values: int) -> int:
    """:func:`bucket` of scalar ids, in plain integers: a few per cue, where numpy's
    per-call cost is most of the time. The same uint64 arithmetic, wrapped by hand."""
    h = ((template + 1) * 0x9E3779B97F4A7C15) & _M64
    for v in values:
        h ^= v & _M64
        h ^= h >> 30
        h = (h * 0xBF58476D1CE4E5B9) & _M64
        h ^= h >> 27
        h = (h * 0x94D049BB133111EB) & _M64
        h ^= h >> 31
    return h & (BUCKETS - 1)


def _mix_in_place(h: np.ndarray, tmp: np.ndarray) -> None:
    """:func:`_mix` without a new array per step (``tmp``: scratch of ``h``'s shape)."""
    np.right_shift(h, _U(30), out=tmp)
    h ^= tmp
    h *= _U(0xBF58476D1CE4E5B9)
    np.right_shift(h, _U(27), out=tmp)
    h ^= tmp
    h *= _U(0x94D049BB133111EB)
    np.right_shift(h, _U(31), out=tmp)
    h ^= tmp


Spec = tuple  # (template, *columns): a bucket() call's arguments


def buckets(n: int, specs: list[Spec | np.ndarray]) -> np.ndarray:
    """Bucket ids [n × len(specs)]: column k is ``bucket(*specs[k])`` broadcast to n rows, or
    ``specs[k]`` itself when it is an array of ids already.

    The templates with as many columns are hashed together as the rows of one matrix, so a
    table costs a few numpy operations per column count instead of a dozen per template;
    each element goes through the same uint64 steps as in :func:`bucket`."""
    out = np.empty((len(specs), n), dtype=np.int64)
    by_arity: dict[int, list[int]] = {}
    for k, spec in enumerate(specs):
        if isinstance(spec, np.ndarray):
            out[k] = spec
        else:
            by_arity.setdefault(len(spec) - 1, []).append(k)
    with np.errstate(over="ignore"):
        for arity, rows in by_arity.items():
            h = np.empty((len(rows), n), dtype=np.uint64)
            for r, k in enumerate(rows):
                h[r] = _U(specs[k][0] + 1) * _U(0x9E3779B97F4A7C15)
            col = np.empty_like(h)
            tmp = np.empty_like(h)
            for j in range(1, arity + 1):
                for r, k in enumerate(rows):
                    col[r] = np.asarray(specs[k][j], dtype=np.uint64)
                h ^= col
                _mix_in_place(h, tmp)
            h &= _U(BUCKETS - 1)
            out[rows] = h
    return np.ascontiguousarray(out.T)


@lru_cache(maxsize=65536)
def string_id(text: str) -> int:
    """A stable id for a constant string (spaCy's own ids are hashes of the same kind)."""
    from spacy.strings import hash_string

    return int(hash_string(text))


_BOS, _EOS, _NONE = string_id("<s>"), string_id("</s>"), string_id("")


@dataclass
class TokenFacts:
    """Per-token columns of one document (index = token.i), as numpy arrays of ids."""

    lower: np.ndarray
    lemma: np.ndarray
    pos: np.ndarray
    tag: np.ndarray
    dep: np.ndarray
    ent: np.ndarray
    head: np.ndarray  # absolute index of the head (a root is its own head)
    children: np.ndarray  # bit mask of the children's dependency labels (but punct, det, …)
    depth: np.ndarray  # steps to the root
    left: np.ndarray  # first token of the subtree
    right: np.ndarray  # last token of the subtree
    sent: np.ndarray  # sentence number
    sents: list[tuple[int, int]]  # token range of each sentence
    quote: np.ndarray  # -1 outside quotations, else the quotation's number
    quotes: list[tuple[int, int]]  # token range of each quotation (marks included)
    mark: np.ndarray  # 1 for a quotation mark
    dep_names: list[str]  # dependency label of each token, as text
    subj: np.ndarray  # what the token's subject is: its entity type, else its fine tag (0: none)
    obj: np.ndarray  # the same for its direct object
    space: np.ndarray  # 1 for a whitespace token
    punct: np.ndarray  # 1 for a punctuation token
    cut: np.ndarray  # True where a unit may be cut: , ; ( and dashes, coordinating and/but/or
    text: str  # the doc's text (Doc.text joins the tokens on every access)
    start_char: np.ndarray  # character offset of each token
    end_char: np.ndarray  # character offset just after each token

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of the tokens start:end."""
        return int(self.start_char[start]), int(self.end_char[end - 1])
    sent_start: np.ndarray  # first token of each token's sentence
    memo: dict = field(default_factory=dict, repr=False)  # per-document views other modules derive once

    def __len__(self) -> int:
        return len(self.lower)


_ATTRS = [LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, HEAD, ORTH, IS_SPACE, SENT_START, IDX, LENGTH, IS_PUNCT]


CUT_PUNCT = (",", "—", "–", "--", ";", "(")


def token_facts(doc: Doc) -> TokenFacts:
    """One pass over the doc, through ``Doc.to_array``."""
    n = len(doc)
    array = doc.to_array(_ATTRS).reshape(n, len(_ATTRS))
    strings = doc.vocab.strings
    head = np.arange(n, dtype=np.int64) + array[:, 6].astype(np.int64)
    # Dependency labels: the few distinct ones are looked up once each.
    labels, which = np.unique(array[:, 4], return_inverse=True)
    label_names = [strings[int(x)] if x else "" for x in labels.tolist()]
    dep_names = [label_names[k] for k in which.tolist()]
    bits = np.asarray([_U(1) << _U(_BIT.get(name, 63)) for name in label_names], dtype=np.uint64)[which]
    skip = np.asarray([name in _CHILD_SKIP for name in label_names], dtype=bool)[which]
    is_subj = np.asarray([name in ("nsubj", "nsubjpass") for name in label_names], dtype=bool)[which]
    is_obj = np.asarray([name == "dobj" for name in label_names], dtype=bool)[which]
    dependent = head != np.arange(n)
    children = np.zeros(n, dtype=np.uint64)
    m = dependent & ~skip
    np.bitwise_or.at(children, head[m], bits[m])
    kind_of = np.where(array[:, 5] != 0, array[:, 5], array[:, 3]).astype(np.uint64)
    subj = np.zeros(n, dtype=np.uint64)
    obj = np.zeros(n, dtype=np.uint64)
    m = dependent & is_subj
    subj[head[m]] = kind_of[m]
    m = dependent & is_obj
    obj[head[m]] = kind_of[m]
    # Depth by pointer jumping, then subtree edges level by level, deepest first (numpy, no per-token loop).
    depth = np.zeros(n, dtype=np.int64)
    cur = np.arange(n, dtype=np.int64)
    for _ in range(60):
        up = head[cur]
        moving = up != cur
        if not moving.any():
            break
        depth += moving
        cur = up
    left = np.arange(n, dtype=np.int64)
    right = np.arange(n, dtype=np.int64)
    for d in range(int(depth.max()) if n else 0, 0, -1):
        level = np.flatnonzero(depth == d)
        np.minimum.at(left, head[level], left[level])
        np.maximum.at(right, head[level], right[level])
    starts = [0] + [i for i in np.flatnonzero(array[:, 9].astype(np.int64) == 1).tolist() if i > 0] if n else []
    sents = list(zip(starts, starts[1:] + [n]))
    sent = np.zeros(n, dtype=np.int64)
    sent_start = np.zeros(n, dtype=np.int64)
    for k, (s, e) in enumerate(sents):
        sent[s:e] = k
        sent_start[s:e] = s
    quote = np.full(n, -1, dtype=np.int64)
    quotes: list[tuple[int, int]] = []
    text = text_of(doc)
    for start, end in quote_spans(text):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        quote[span.start : span.end] = len(quotes)
        quotes.append((span.start, span.end))
    mark_ids = {string_id(m) for m in _QUOTE_MARKS}
    mark = np.isin(array[:, 7], np.asarray(sorted(mark_ids), dtype=np.uint64)).astype(np.uint64)
    cut = np.isin(array[:, 7], [string_id(w) for w in CUT_PUNCT]) | (
        np.isin(array[:, 0], [string_id(w) for w in ("and", "but", "or")]) & np.asarray([name == "cc" for name in label_names], dtype=bool)[which]
    )
    return TokenFacts(
        lower=array[:, 0], lemma=array[:, 1], pos=array[:, 2], tag=array[:, 3], dep=array[:, 4],
        ent=array[:, 5], head=head, children=children, depth=depth, left=left, right=right, sent=sent,
        sents=sents, quote=quote, quotes=quotes, mark=mark, dep_names=dep_names, sent_start=sent_start,
        subj=subj, obj=obj, space=array[:, 8].astype(bool), punct=array[:, 12].astype(bool), cut=cut, text=text,
        start_char=array[:, 10].astype(np.int64), end_char=(array[:, 10] + array[:, 11]).astype(np.int64),
    )


def shallowest(facts: TokenFacts, start: int, end: int) -> int:
    """The token of [start, end) nearest the root (ties: the first): a unit's head word."""
    return start + int(np.argmin(facts.depth[start:end]))


def _shallowest_table(facts: TokenFacts) -> tuple[np.ndarray, np.ndarray]:
    """A sparse table for :func:`shallowest_each`: row j holds, for each i, the shallowest
    token of [i, i + 2**j) (ties: the first), and the floor of log2 of each length 0…n."""
    found = facts.memo.get("shallowest")
    if found is None:
        n = len(facts)
        depth = facts.depth
        rows = [np.arange(n, dtype=np.int64)]
        width = 1
        while 2 * width <= n:
            prev = rows[-1]
            a, b = prev[: n - 2 * width + 1], prev[width : n - width + 1]
            rows.append(np.where(depth[b] < depth[a], b, a))
            width *= 2
        table = np.zeros((len(rows), n), dtype=np.int64)
        for j, row in enumerate(rows):
            table[j, : len(row)] = row
        log2 = np.zeros(n + 1, dtype=np.int64)
        for j in range(1, len(rows)):
            log2[1 << j :] = j
        found = facts.memo["shallowest"] = (table, log2)
    return found


def shallowest_each(facts: TokenFacts, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """:func:`shallowest` of each [start, end) (none empty), for many ranges at once: the
    shallower of the two table windows that cover a range (ties: the left one, whose first
    shallowest token comes first)."""
    if len(start) == 0:
        return np.zeros(0, dtype=np.int64)
    if not (end > start).all():
        raise ValueError("shallowest_each: an empty range")
    table, log2 = _shallowest_table(facts)
    j = log2[end - start]
    a = table[j, start]
    b = table[j, end - (1 << j)]
    return np.where(facts.depth[b] < facts.depth[a], b, a)


def _shift(col: np.ndarray, by: int, starts: np.ndarray, ends: np.ndarray, pad: int) -> np.ndarray:
    """``col`` shifted by ``by`` within segments [starts, ends); ``pad`` outside them."""
    n = len(col)
    idx = np.arange(n) + by
    seg_start = starts
    seg_end = ends
    out = col[np.clip(idx, 0, max(n - 1, 0))].copy()
    out[(idx < seg_start) | (idx >= seg_end)] = pad
    return out


def _segments(f: TokenFacts) -> tuple[np.ndarray, np.ndarray]:
    """Each token's sentence start and end (from the per-sentence ends, not a loop over tokens)."""
    ends = np.asarray([e for _, e in f.sents], dtype=np.int64)[f.sent]
    return f.sent_start.astype(np.int64), ends


CUE_TEMPLATES = 32


def _quote_context(f: TokenFacts, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per token: whether its subtree holds a quotation mark (other than itself), and how far
    (bucketed, within its sentence) the nearest quoted token lies before and after it."""
    n = len(f)
    idx = np.arange(n)
    marks = np.concatenate([[0], np.cumsum(f.mark.astype(np.int64))])
    in_sub = (marks[f.right + 1] - marks[f.left] - f.mark.astype(np.int64)) > 0
    quoted = np.flatnonzero(f.quote >= 0)
    if len(quoted) == 0:
        none = np.full(n, 4, dtype=np.uint64)
        return in_sub.astype(np.uint64), none, none
    k = np.searchsorted(quoted, idx)  # first quoted token at or after each token
    nxt = quoted[np.minimum(k, len(quoted) - 1)]
    prv = quoted[np.maximum(k - 1, 0)]
    d_next = np.where((k < len(quoted)) & (nxt < ends), nxt - idx, 99)
    d_prev = np.where((k > 0) & (prv >= starts), idx - prv, 99)

    def bucket_of(d: np.ndarray) -> np.ndarray:
        return np.select([d == 0, d <= 1, d <= 3, d <= 8], [0, 1, 2, 3], 4).astype(np.uint64)

    return in_sub.astype(np.uint64), bucket_of(d_prev), bucket_of(d_next)


def cue_features(f: TokenFacts) -> np.ndarray:
    """Bucket ids [tokens × CUE_TEMPLATES] for cue tagging (each token seen within its sentence)."""
    n = len(f)
    if n == 0:
        return np.zeros((0, CUE_TEMPLATES), dtype=np.int64)
    starts, ends = _segments(f)
    lem, pos, tag, dep = f.lemma, f.pos, f.tag, f.dep
    hl, hd, hp = lem[f.head], dep[f.head], pos[f.head]
    hdir = np.where(f.head < np.arange(n), 1, np.where(f.head > np.arange(n), 2, 0))
    l_1, l1 = _shift(lem, -1, starts, ends, _BOS), _shift(lem, 1, starts, ends, _EOS)
    l_2, l2 = _shift(lem, -2, starts, ends, _BOS), _shift(lem, 2, starts, ends, _EOS)
    p_1, p1 = _shift(pos, -1, starts, ends, _BOS), _shift(pos, 1, starts, ends, _EOS)
    inq = (f.quote >= 0).astype(np.uint64)
    cols = [
        (0,),
        (1, f.lower),
        (2, lem),
        (3, pos),
        (4, tag),
        (5, dep),
        (6, lem, dep),
        (7, lem, tag),
        (8, hl),
        (9, hd, dep),
        (10, lem, hl),
        (11, f.children),
        (12, lem, f.children),
        (13, l_1),
        (14, l1),
        (15, l_1, lem),
        (16, lem, l1),
        (17, p_1),
        (18, p1),
        (19, p_1, pos, p1),
        (20, inq, f.mark),
        (21, l2),
        (22, l_2),
        (23, hp, hdir),
        (24, lem, f.subj),
        (25, f.subj, f.children),
        (26, lem, f.obj),
        (27, lem, inq),
    ]
    # The token's quotation context ("…,” said X", "X told …: “…”").
    q_sub, q_prev, q_next = _quote_context(f, starts, ends)
    cols += [
        (28, lem, q_sub),
        (29, pos, dep, q_sub),
        (30, pos, q_prev, q_next),
        (31, lem, q_prev, q_next),
    ]
    return buckets(n, cols)


def cue_head(f: TokenFacts, start: int, end: int) -> int:
    """The token of the cue span whose head lies outside the span (the cue's syntactic head)."""
    for i in range(start, end):
        h = int(f.head[i])
        if not (start <= h < end) or h == i:
            return i
    return start


# Relations of a token to the cue, coded as small ints combined with a dependency id.
_REL_CUE, _REL_SUB, _REL_ANC, _REL_LCA, _REL_LCA1, _REL_NONE = range(6)


def _relations(f: TokenFacts, c: int, start: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For tokens start:end: relation kind to the cue head ``c``, the dependency id of the branch
    they hang under, and a path-length bucket."""
    m = end - start
    kind = np.full(m, _REL_NONE, dtype=np.uint64)
    branch = np.zeros(m, dtype=np.uint64)
    steps = np.zeros(m, dtype=np.uint64)
    heads = f.head
    # Ancestors of the cue, nearest first.
    ancestors = []
    j = c
    while int(heads[j]) != j and len(ancestors) < 40:
        j = int(heads[j])
        ancestors.append(j)
    # Walk from the farthest ancestor down: nearer assignments overwrite the wider ones.
    chain = [c, *ancestors]
    for level in range(len(chain) - 1, 0, -1):
        a = chain[level]
        below = chain[level - 1]
        lo, hi = max(int(f.left[a]), start), min(int(f.right[a]) + 1, end)
        if lo < hi:
            kind[lo - start : hi - start] = _REL_LCA1 if level == 1 else _REL_LCA
            # branch = the child of a whose subtree holds the token: approximated by the
            # token's own subtree position: take children ranges
        # children of a other than the one leading to the cue
        for ch in _children(f, a):
            if ch == below:
                continue
            lo, hi = max(int(f.left[ch]), start), min(int(f.right[ch]) + 1, end)
            if lo < hi:
                branch[lo - start : hi - start] = f.dep[ch]
        if start <= a < end:
            kind[a - start] = _REL_ANC
            steps[a - start] = min(level, 3)
            branch[a - start] = 0
    # The cue's own subtree.
    for ch in _children(f, c):
        lo, hi = max(int(f.left[ch]), start), min(int(f.right[ch]) + 1, end)
        if lo < hi:
            kind[lo - start : hi - start] = _REL_SUB
            branch[lo - start : hi - start] = f.dep[ch]
            steps[lo - start : hi - start] = np.minimum(f.depth[lo:hi] - f.depth[c], 4).astype(np.uint64)
    if start <= c < end:
        kind[c - start] = _REL_CUE
    return kind, branch, steps


def children_of(f: TokenFacts, a: int) -> list[int]:
    """The dependents of token ``a`` (they lie within its subtree's edges), in order.

    Read thousands of times per document: the lists are made once, in one pass."""
    kids = f.memo.get("children")
    if kids is None:
        left, right = f.left.tolist(), f.right.tolist()
        kids = [[] for _ in range(len(f))]
        for k, h in enumerate(f.head.tolist()):
            if h != k and left[h] <= k <= right[h]:
                kids[h].append(k)
        f.memo["children"] = kids
    return kids[a]


_children = children_of


def _dist_bucket(d: np.ndarray) -> np.ndarray:
    a = np.abs(d)
    b = np.select([a == 0, a == 1, a == 2, a <= 5, a <= 10, a <= 20], [0, 1, 2, 3, 4, 5], 6)
    return (b + np.where(d < 0, 0, 8)).astype(np.uint64)


ROLE_TEMPLATES = 31


def role_features(f: TokenFacts, cues: list[tuple[tuple[int, int], tuple[int, int]]]) -> np.ndarray:
    """Bucket ids [Σ window tokens × ROLE_TEMPLATES] for each (cue, window) pair, windows one after
    the other: each token described relative to its cue."""
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("idx", "kind", "branch", "steps", "cs", "ce", "c", "clem", "ws", "we")}
    for (cs, ce), (start, end) in cues:
        c = cue_head(f, cs, ce)
        kind, branch, steps = _relations(f, c, start, end)
        m = end - start
        parts["idx"].append(np.arange(start, end))
        parts["kind"].append(kind)
        parts["branch"].append(branch)
        parts["steps"].append(steps)
        for key, value in (("cs", cs), ("ce", ce), ("c", c), ("ws", start), ("we", end)):
            parts[key].append(np.full(m, value, dtype=np.int64))
        parts["clem"].append(np.full(m, int_bucket(99, *f.lemma[cs:ce].tolist()), dtype=np.uint64))
    if not cues:
        return np.zeros((0, ROLE_TEMPLATES), dtype=np.int64)
    idx, kind, branch, steps, cs, ce, c, clem, ws, we = (np.concatenate(parts[k]) for k in parts)
    m = len(idx)
    rel = kind * _U(1000) + branch  # relation with its branch label, as one column
    side = np.where(idx < cs, 0, np.where(idx >= ce, 2, 1)).astype(np.uint64)
    cl, cdep = f.lemma[c], f.dep[c]
    sd = (np.clip(f.sent[idx] - f.sent[c], -2, 2) + 2).astype(np.uint64)
    q, cq = f.quote[idx], f.quote[c]
    qrel = np.where(q < 0, 0, np.where(q == cq, 1, 2)).astype(np.uint64)
    lower, pos = f.lower[idx], f.pos[idx]
    n = len(f)
    w_1 = np.where(idx == ws, _BOS, f.lower[np.maximum(idx - 1, 0)]).astype(np.uint64)
    p_1 = np.where(idx == ws, _BOS, f.pos[np.maximum(idx - 1, 0)]).astype(np.uint64)
    w1 = np.where(idx == we - 1, _EOS, f.lower[np.minimum(idx + 1, n - 1)]).astype(np.uint64)
    p1 = np.where(idx == we - 1, _EOS, f.pos[np.minimum(idx + 1, n - 1)]).astype(np.uint64)
    ends = np.asarray([f.sents[k][1] for k in range(len(f.sents))], dtype=np.int64)[f.sent[idx]]
    sent_edge = ((idx == f.sent_start[idx]).astype(np.uint64) | ((idx == ends - 1).astype(np.uint64) << _U(1)))
    after = np.where(idx == ce, bucket(27, lower), ABSENT)
    before = np.where(idx == cs - 1, bucket(28, lower), ABSENT)
    lca_dep = np.where(kind == _REL_LCA, cdep, 0).astype(np.uint64)
    cols = [
        (0, np.zeros(m, dtype=np.uint64)),
        (1, lower),
        (2, pos),
        (3, f.tag[idx]),
        (4, f.dep[idx]),
        (5, rel),
        (6, rel, steps, lca_dep),
        (7, rel, side),
        (8, rel, cl),
        (9, side, cl),
        (10, side, clem),
        (11, cdep, rel),
        (12, _dist_bucket(idx - c)),
        (13, sd),
        (14, qrel),
        (15, qrel, side, sd),
        (16, f.mark[idx]),
        (17, f.ent[idx]),
        (18, pos, rel),
        (19, lower, side),
        (20, w_1),
        (21, p_1),
        (22, w1),
        (23, p1),
        (24, sent_edge),
        (25, kind, side, qrel),
        (26, pos, p1, rel),
        after,
        before,
        (29, lower, rel),
        (30, p_1, pos, rel),
    ]
    return buckets(m, cols)


def role_window(f: TokenFacts, cue: tuple[int, int], max_sents: int = 6) -> tuple[int, int]:
    """Tokens a cue's source and content are looked for in: its sentence, widened to whole
    quotations that touch it (at most ``max_sents`` sentences either side)."""
    k = int(f.sent[cue[0]])
    start, end = f.sents[k]
    lo = f.sents[max(0, k - max_sents)][0]
    hi = f.sents[min(len(f.sents) - 1, k + max_sents)][1]
    while True:
        s2, e2 = start, end
        for qs, qe in f.quotes:
            if qs < e2 and s2 < qe:
                s2, e2 = max(lo, min(s2, qs)), min(hi, max(e2, qe))
        s2, e2 = f.sents[int(f.sent[s2])][0], f.sents[int(f.sent[e2 - 1])][1]  # whole sentences
        if (s2, e2) == (start, end):
            return start, end
        start, end = s2, e2
