"""Choosing each cue's content among its candidates (:mod:`candidates`) with a linear model.

Every candidate is described by hashed feature templates computed with numpy
over all candidates of a document at once (how it was made, its edges' words
and tags, its length, side and distance, quotation marks, sentences spanned,
whether it agrees with the role tagger's own span …); the model is one weight
per bucket, trained as a conditional logit (softmax over a cue's candidates,
:mod:`training`). Exact-match scoring rewards choosing whole units, which is
what the candidates are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from storyline.analyze.attribution import features as F
from storyline.analyze.attribution.candidates import Candidate, Pieces, content_candidates, normalise, source_candidates

TokenSpan = tuple[int, int]
WEIGHTS = Path(__file__).resolve().parent / "weights"


@dataclass
class Table:
    """The candidates of a document's cues as columns (one row per candidate)."""

    group: np.ndarray  # the cue's index
    start: np.ndarray
    end: np.ndarray
    n_pieces: np.ndarray
    origin: np.ndarray  # id of the first origin
    origins: np.ndarray  # id of the set of origins
    tagger: np.ndarray  # agreement with the role tagger's span: 4 same, else 1 same start | 2 same end
    pieces: list[Pieces]

    def __len__(self) -> int:
        return len(self.group)


def _agreement(c: Pieces, tagged: Pieces | None) -> int:
    if not tagged:
        return 8
    if c == tagged:
        return 4
    return (1 if c[0][0] == tagged[0][0] else 0) | (2 if c[-1][1] == tagged[-1][1] else 0)


def build_table(
    facts: F.TokenFacts,
    cues: list[TokenSpan],
    sources: list[TokenSpan | None],
    tagged: list[Pieces | None],
) -> Table:
    """All candidates of ``cues`` (with their sources and the role tagger's contents)."""
    rows: list[tuple[int, Candidate, int]] = []
    for k, (cue, source, t) in enumerate(zip(cues, sources, tagged)):
        cands = content_candidates(facts, cue, source)
        if t:
            known = {c.pieces: c for c in cands}
            if t in known:
                known[t].origins.add("tagger")
            else:
                cands.append(Candidate(t, "tagger"))
        for c in cands:
            rows.append((k, c, _agreement(c.pieces, t)))
    n = len(rows)
    origin_ids = [F.string_id(min(c.origins)) for _, c, _ in rows]
    set_ids = [F.string_id("|".join(sorted(o.split(":")[0] for o in c.origins))) for _, c, _ in rows]
    return Table(
        group=np.fromiter((k for k, _, _ in rows), dtype=np.int64, count=n),
        start=np.fromiter((c.start for _, c, _ in rows), dtype=np.int64, count=n),
        end=np.fromiter((c.end for _, c, _ in rows), dtype=np.int64, count=n),
        n_pieces=np.fromiter((len(c.pieces) for _, c, _ in rows), dtype=np.int64, count=n),
        origin=np.asarray(origin_ids, dtype=np.uint64).reshape(n),
        origins=np.asarray(set_ids, dtype=np.uint64).reshape(n),
        tagger=np.fromiter((a for _, _, a in rows), dtype=np.int64, count=n),
        pieces=[c.pieces for _, c, _ in rows],
    )


def _bucket_len(x: np.ndarray) -> np.ndarray:
    return np.select([x <= 1, x <= 2, x <= 4, x <= 8, x <= 16, x <= 32, x <= 64], [0, 1, 2, 3, 4, 5, 6], 7).astype(np.uint64)


def _cue_columns(facts: F.TokenFacts, cues: list[TokenSpan], group: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each cue's head token, and each candidate's cue start and end."""
    heads = np.asarray([F.cue_head(facts, s, e) for s, e in cues], dtype=np.int64)
    cue_s = np.asarray([s for s, _ in cues], dtype=np.int64)[group]
    cue_e = np.asarray([e for _, e in cues], dtype=np.int64)[group]
    return heads, cue_s, cue_e


CONTENT_TEMPLATES = 40


def content_features(facts: F.TokenFacts, cues: list[TokenSpan], table: Table) -> np.ndarray:
    """Bucket ids [candidates × CONTENT_TEMPLATES]."""
    n = len(table)
    if n == 0:
        return np.zeros((0, CONTENT_TEMPLATES), dtype=np.int64)
    m = len(facts)
    heads, cue_s, cue_e = _cue_columns(facts, cues, table.group)
    clem_each = np.asarray([F.int_bucket(99, *facts.lemma[s:e].tolist()) for s, e in cues], dtype=np.uint64)
    c = heads[table.group]
    cl, cdep, clem = facts.lemma[c].astype(np.uint64), facts.dep[c].astype(np.uint64), clem_each[table.group]
    s, e = table.start, table.end
    last = e - 1
    before = np.where(s > 0, facts.lower[np.maximum(s - 1, 0)], F.string_id("<s>")).astype(np.uint64)
    after = np.where(e < m, facts.lower[np.minimum(e, m - 1)], F.string_id("</s>")).astype(np.uint64)
    # prefix sums for counts inside [s, e)
    is_verb = _verbs(facts)
    quoted = (facts.quote >= 0) & ~facts.space
    words = ~facts.space
    is_cue = np.zeros(m, dtype=bool)
    for a, b in cues:
        is_cue[a:b] = True

    def count(mask: np.ndarray) -> np.ndarray:
        cs = np.concatenate([[0], np.cumsum(mask)])
        return cs[e] - cs[s]

    n_words = count(words)
    q_share = np.where(n_words > 0, (4 * count(quoted)) // np.maximum(n_words, 1), 0).astype(np.uint64)
    verbs = np.minimum(count(is_verb), 3).astype(np.uint64)
    # other cues inside the candidate (its own cue is never inside it)
    other_cue = np.minimum(count(is_cue), 2).astype(np.uint64)
    sent_s, sent_e = facts.sent[s], facts.sent[last]
    spanned = np.minimum(sent_e - sent_s, 4).astype(np.uint64)
    beyond = np.clip(sent_e - facts.sent[c], -2, 4).astype(np.uint64) + np.uint64(2)
    sent_bounds = np.asarray(facts.sents, dtype=np.int64).reshape(-1, 2)
    sent_end = sent_bounds[sent_e, 1]
    sent_start = sent_bounds[sent_s, 0]
    cs_w = np.concatenate([[0], np.cumsum(words)])
    # words between the candidate's end and its sentence's end (0: it runs to the end)
    to_end = np.minimum(cs_w[sent_end] - cs_w[e], 3).astype(np.uint64)
    from_start = np.minimum(s - sent_start, 3).astype(np.uint64)
    side = np.where(s >= cue_e, 1, np.where(e <= cue_s, 0, 2)).astype(np.uint64)
    gap = np.where(side == 1, s - cue_e, np.where(side == 0, cue_s - e, 0))
    dist = np.select([gap <= 0, gap == 1, gap <= 3, gap <= 8], [0, 1, 2, 3], 4).astype(np.uint64)
    length = _bucket_len(n_words)
    mark_s, mark_e = facts.mark[s].astype(np.uint64), facts.mark[last].astype(np.uint64)
    inq_s, inq_e = (facts.quote[s] >= 0).astype(np.uint64), (facts.quote[last] >= 0).astype(np.uint64)
    whole_quote = np.zeros(n, dtype=np.uint64)
    qid = facts.quote[s]
    ok = (qid >= 0) & (qid == facts.quote[last])
    quote_bounds = np.asarray(facts.quotes, dtype=np.int64).reshape(-1, 2)
    qs, qe = quote_bounds[:, 0], quote_bounds[:, 1]
    if facts.quotes:
        whole_quote = (ok & (qs[np.maximum(qid, 0)] == s) & (qe[np.maximum(qid, 0)] == e)).astype(np.uint64)
    punct_e = facts.punct[last].astype(np.uint64)
    cut = _cut_quotes(facts, qs, qe, s, e)
    # what the candidate leaves out after it, and the sentence after it (does a quotation go on?)
    dep_after = np.where(e < m, facts.dep[np.minimum(e, m - 1)], 0).astype(np.uint64)
    ent_e = facts.ent[last].astype(np.uint64)
    next_sent = np.minimum(sent_e + 1, len(facts.sents) - 1)
    ns, ne = sent_bounds[next_sent, 0], sent_bounds[next_sent, 1]
    has_next = sent_e + 1 < len(facts.sents)
    cs_q = np.concatenate([[0], np.cumsum(quoted)])
    cs_c = np.concatenate([[0], np.cumsum(is_cue)])
    nw = cs_w[ne] - cs_w[ns]
    next_q = np.where(~has_next, 3, np.where(nw == 0, 0, (2 * (cs_q[ne] - cs_q[ns])) // np.maximum(nw, 1))).astype(np.uint64)
    next_cue = np.where(has_next, np.minimum(cs_c[ne] - cs_c[ns], 1), 2).astype(np.uint64)
    end_q = ((facts.quote[last] >= 0) & (facts.quote[last] == facts.quote[np.minimum(e, m - 1)])).astype(np.uint64)
    origin, origins, agree = table.origin, table.origins, table.tagger.astype(np.uint64)
    pieces = np.minimum(table.n_pieces, 3).astype(np.uint64)
    low_s, low_e, pos_s, pos_e = facts.lower[s], facts.lower[last], facts.pos[s], facts.pos[last]
    dep_s = facts.dep[s]
    # the dependency label of the candidate's highest token (its root, for a subtree)
    root_dep = _root_dep(facts, s, e)
    cols = [
        (0,),
        (1, origin),
        (2, origins),
        (3, origin, cl),
        (4, origin, cdep),
        (5, origins, clem),
        (6, low_s),
        (7, pos_s, origin),
        (8, before),
        (9, low_e),
        (10, pos_e, origin),
        (11, after),
        (12, side, dist),
        (13, length, origin),
        (14, spanned, q_share),
        (15, pieces, origin),
        (16, mark_s, mark_e, inq_s, inq_e),
        (17, to_end, punct_e, inq_e),
        (18, from_start, side),
        (19, verbs, origin),
        (20, q_share, origin),
        (21, other_cue, side),
        (22, agree),
        (23, agree, origin),
        (24, low_s, cl),
        (25, after, inq_e, punct_e),
        (26, beyond, q_share),
        (27, dep_s, origin),
        (28, whole_quote, side),
        (29, low_e, after),
        (30, root_dep, cl),
        (31, root_dep, origin),
        (32, before, low_s),
        (33, agree, length),
        (34, cut, side),
        (35, cut, origin),
        (36, dep_after, ent_e),
        (37, dep_after, origin),
        (38, next_q, next_cue, beyond),
        (39, next_q, end_q),
    ]
    return F.buckets(n, cols)


@lru_cache(maxsize=1)
def _verb_ids() -> tuple[int, int]:
    return F.string_id("VERB"), F.string_id("AUX")


def _verbs(facts: F.TokenFacts) -> np.ndarray:
    v, a = _verb_ids()
    return (facts.pos == v) | (facts.pos == a)


def _cut_quotes(facts: F.TokenFacts, qs: np.ndarray, qe: np.ndarray, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """How many quotations (first tokens ``qs``, ends ``qe``) each [s, e) cuts (overlaps
    without covering), 0–2."""
    if not len(qs):
        return np.zeros(len(s), dtype=np.uint64)
    q_start = facts.quote[s]
    q_end = facts.quote[e - 1]
    # a quotation the candidate starts inside (after its opening) or ends inside (before its close)
    starts_in = (q_start >= 0) & (qs[np.maximum(q_start, 0)] < s)
    ends_in = (q_end >= 0) & (qe[np.maximum(q_end, 0)] > e)
    return (starts_in.astype(np.uint64) + ends_in.astype(np.uint64))


def _root_dep(facts: F.TokenFacts, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """The dependency label of the shallowest token of each [s, e)."""
    return facts.dep[_roots(facts, s, e)].astype(np.uint64)


class LinearRanker:
    """Scores candidates: the sum of their buckets' weights."""

    def __init__(self, weights: np.ndarray, uses_tagger: bool = True) -> None:
        self.weights = np.zeros(F.BUCKETS + 1, dtype=np.float32)  # the last row: absent feature
        self.weights[: len(weights)] = weights
        self.uses_tagger = uses_tagger  # trained with the role tagger's spans as a feature

    @classmethod
    def load(cls, path: Path) -> LinearRanker:
        data = np.load(path)
        w = np.zeros(F.BUCKETS, dtype=np.float32)
        w[data["index"]] = data["value"].astype(np.float32)
        return cls(w, bool(data["uses_tagger"]))

    def choose(self, ids: np.ndarray, group: np.ndarray, groups: int) -> list[int | None]:
        """The best candidate's row for each group (None for a group without candidates)."""
        scores = self.weights[ids].sum(axis=1)
        best: list[int | None] = [None] * groups
        if len(scores) == 0:
            return best
        order = np.lexsort((-scores, group))
        first = np.ones(len(order), dtype=bool)
        first[1:] = group[order][1:] != group[order][:-1]
        for row in order[first].tolist():
            best[int(group[row])] = row
        return best


def save_ranker(weights: np.ndarray, path: Path, uses_tagger: bool) -> None:
    index = np.flatnonzero(np.abs(weights) >= 1e-4).astype(np.int32)
    np.savez_compressed(path, index=index, value=weights[index].astype(np.float16), uses_tagger=np.asarray(uses_tagger))


@lru_cache(maxsize=8)
def load_ranker(name: str, directory: str = str(WEIGHTS)) -> LinearRanker | None:
    """The ranker ``name`` ("content" or "source") of ``directory``, loaded once per process."""
    path = Path(directory) / f"{name}.npz"
    return LinearRanker.load(path) if path.exists() else None


def choose_contents(
    facts: F.TokenFacts,
    cues: list[TokenSpan],
    sources: list[TokenSpan | None],
    tagged: list[list[TokenSpan]],
    ranker: LinearRanker,
) -> list[Pieces | None]:
    """The ranker's content for each cue."""
    tagged_n = [normalise(facts, t) if t and ranker.uses_tagger else None for t in tagged]
    table = build_table(facts, cues, sources, tagged_n)
    ids = content_features(facts, cues, table)
    best = ranker.choose(ids, table.group, len(cues))
    return [table.pieces[b] if b is not None else None for b in best]


# Sources -------------------------------------------------------------------------------------


@dataclass
class SourceTable:
    """The candidate sources of a document's cues; a row with start == -1 is "no source"."""

    group: np.ndarray
    start: np.ndarray
    end: np.ndarray
    origin: np.ndarray
    origins: np.ndarray
    tagger: np.ndarray  # 4 the tagger's source, 1 same start, 2 same end, 8 no tagger, 16 the tagger has none
    spans: list[TokenSpan | None]

    def __len__(self) -> int:
        return len(self.group)


def _source_agreement(span: TokenSpan | None, tagged: TokenSpan | None, uses: bool) -> int:
    if not uses:
        return 8
    if tagged is None:
        return 16 | (4 if span is None else 0)
    if span is None:
        return 0
    if span == tagged:
        return 4
    return (1 if span[0] == tagged[0] else 0) | (2 if span[1] == tagged[1] else 0)


def build_source_table(
    facts: F.TokenFacts, cues: list[TokenSpan], tagged: list[TokenSpan | None], ents: list[tuple[int, int, str]], uses_tagger: bool
) -> SourceTable:
    rows: list[tuple[int, TokenSpan | None, set[str], int]] = []
    for k, (cue, t) in enumerate(zip(cues, tagged)):
        cands = source_candidates(facts, cue, ents)
        if uses_tagger and t is not None:
            cands.setdefault(t, set()).add("tagger")
        rows.append((k, None, {"none"}, _source_agreement(None, t, uses_tagger)))
        for span, origins in cands.items():
            rows.append((k, span, origins, _source_agreement(span, t, uses_tagger)))
    n = len(rows)
    return SourceTable(
        group=np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
        start=np.fromiter((r[1][0] if r[1] else -1 for r in rows), dtype=np.int64, count=n),
        end=np.fromiter((r[1][1] if r[1] else -1 for r in rows), dtype=np.int64, count=n),
        origin=np.asarray([F.string_id(min(r[2])) for r in rows], dtype=np.uint64).reshape(n),
        origins=np.asarray([F.string_id("|".join(sorted(o.split(":")[0] for o in r[2]))) for r in rows], dtype=np.uint64).reshape(n),
        tagger=np.fromiter((r[3] for r in rows), dtype=np.int64, count=n),
        spans=[r[1] for r in rows],
    )


SOURCE_TEMPLATES = 26


def source_features(facts: F.TokenFacts, cues: list[TokenSpan], table: SourceTable) -> np.ndarray:
    """Bucket ids [candidates × SOURCE_TEMPLATES]."""
    n = len(table)
    if n == 0:
        return np.zeros((0, SOURCE_TEMPLATES), dtype=np.int64)
    m = len(facts)
    heads, cue_s, cue_e = _cue_columns(facts, cues, table.group)
    c = heads[table.group]
    cl, cdep, ctag = facts.lemma[c].astype(np.uint64), facts.dep[c].astype(np.uint64), facts.tag[c].astype(np.uint64)
    none = table.start < 0
    s = np.where(none, c, table.start)
    e = np.where(none, c + 1, table.end)
    last = e - 1
    root = _roots(facts, s, e)
    side = np.where(e <= cue_s, 0, 1).astype(np.uint64)
    gap = np.where(side == 0, cue_s - e, s - cue_e)
    dist = np.select([gap <= 0, gap == 1, gap <= 3, gap <= 8, gap <= 16], [0, 1, 2, 3, 4], 5).astype(np.uint64)
    words = (~facts.space).astype(np.int64)
    cs_ = np.concatenate([[0], np.cumsum(words)])
    length = _bucket_len(cs_[e] - cs_[s])
    commas = np.concatenate([[0], np.cumsum(facts.punct)])
    has_punct = np.minimum(commas[e] - commas[s], 2).astype(np.uint64)
    before = np.where(s > 0, facts.lower[np.maximum(s - 1, 0)], F.string_id("<s>")).astype(np.uint64)
    after = np.where(e < m, facts.lower[np.minimum(e, m - 1)], F.string_id("</s>")).astype(np.uint64)
    inq = (facts.quote[root] >= 0).astype(np.uint64)
    same_q = (facts.quote[root] == facts.quote[c]).astype(np.uint64)
    pron = facts.lower[root].astype(np.uint64)
    origin, origins, agree = table.origin, table.origins, table.tagger.astype(np.uint64)
    subj_kind = facts.subj[c]
    cols = [
        (0,),
        (1, origin),
        (2, origins),
        (3, origin, cl),
        (4, origins, cdep),
        (5, origin, ctag),
        (6, facts.pos[root], facts.ent[root]),
        (7, facts.tag[root], origin),
        (8, facts.dep[root], origin),
        (9, pron),
        (10, side, dist),
        (11, length, origin),
        (12, has_punct, origin),
        (13, facts.lower[s]),
        (14, facts.lower[last]),
        (15, before),
        (16, after),
        (17, inq, same_q),
        (18, agree),
        (19, agree, origin),
        (20, facts.pos[last], after),
        (21, origin, subj_kind),
        (22, origins, cl, cdep),
        (23, agree, length),
        (24, facts.ent[root], origin),
        (25, side, origin, dist),
    ]
    ids = F.buckets(n, cols)
    # "No source" is described by its cue only (and by the tagger's opinion).
    keep = np.asarray([0, 1, 2, 3, 4, 5, 18, 19, 21, 22])
    mask = np.ones(SOURCE_TEMPLATES, dtype=bool)
    mask[keep] = False
    ids[np.ix_(none, mask)] = F.ABSENT
    return ids


def _roots(facts: F.TokenFacts, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """The shallowest token of each [s, e)."""
    return F.shallowest_each(facts, s, e)


def choose_sources(
    facts: F.TokenFacts, cues: list[TokenSpan], tagged: list[TokenSpan | None], ents: list[tuple[int, int, str]], ranker: LinearRanker
) -> list[TokenSpan | None]:
    """The ranker's source for each cue (None: the text names none)."""
    table = build_source_table(facts, cues, tagged, ents, ranker.uses_tagger)
    ids = source_features(facts, cues, table)
    best = ranker.choose(ids, table.group, len(cues))
    return [table.spans[b] if b is not None else None for b in best]
