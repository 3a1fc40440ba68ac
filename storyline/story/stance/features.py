"""Pair features: how a body relates to a headline (claim), computed cheaply and in batches.

Words are hashed (scikit-learn's ``HashingVectorizer``: no vocabulary to ship)
and weighted by inverse document frequencies learnt on the training bodies and
headlines. Every body is split into sentences and each sentence is compared
with the headline, so that besides whole-body similarity the features describe
the sentences that speak about the claim: how similar the best ones are, and
how many negation, denial, hedging and confirmation words they hold.

Everything is sparse-matrix arithmetic over all the (pair, sentence) rows of a
batch at once: no Python loop runs per pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer
from sklearn.preprocessing import normalize

from storyline.story.stance.text import WORD_CLASSES, sentences, tokens

N_BUCKETS = 2**18
TOP = 3  # how many best-matching sentences the "top" features look at
LEAD = 2  # how many first sentences make the lead
RELATED_SIM = 0.1  # a sentence this similar to the headline speaks about it (for the share feature)
CHUNK = 2048  # pairs per block of (pair, sentence) rows, to bound memory

CLASS_NAMES = tuple(name for name, _ in WORD_CLASSES)
FEATURE_NAMES: tuple[str, ...] = (
    "cos_body", "cos_lead", "sim_max", "sim_top_mean", "sim_mean", "sim_share_related", "best_position",
    "overlap_body", "overlap_best", "overlap_top", "bigram_overlap",
    "headline_tokens", "headline_question", "body_tokens_log", "body_sentences_log",
    *(f"headline_{c}" for c in CLASS_NAMES),
    *(f"body_{c}_rate" for c in CLASS_NAMES),
    *(f"best_{c}" for c in CLASS_NAMES),
    *(f"top_{c}" for c in CLASS_NAMES),
    *(f"simweighted_{c}" for c in CLASS_NAMES),
)


def _identity(doc: list[str]) -> list[str]:
    return doc


def _hasher(n_buckets: int) -> HashingVectorizer:
    return HashingVectorizer(
        n_features=n_buckets, analyzer=_identity, alternate_sign=False, norm=None, dtype=np.float32
    )


def fit_idf(texts: Iterable[str], n_buckets: int = N_BUCKETS) -> np.ndarray:
    """Smoothed inverse document frequency of every hash bucket over ``texts`` (as scikit-learn's TfidfTransformer)."""
    counts = _hasher(n_buckets).transform(sorted(set(t)) for t in map(tokens, texts))
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=n_buckets)
    return (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)


def _content(words: Sequence[str]) -> list[str]:
    return sorted({w for w in words if w not in ENGLISH_STOP_WORDS and (len(w) > 1 or w.isdigit())})


def _bigrams(words: Sequence[str]) -> list[str]:
    return sorted({f"{a} {b}" for a, b in zip(words, words[1:])})


def _class_counts(words: Sequence[str]) -> list[int]:
    return [sum(w in members for w in words) for _, members in WORD_CLASSES]


def _rowdot(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """Row-wise dot products of two sparse matrices of the same shape."""
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


@dataclass
class _Texts:
    """Unique headlines or bodies, vectorised: one row per text (and, for bodies, per sentence)."""

    tfidf: sp.csr_matrix  # L2-normalised sublinear tf-idf, one row per text
    content: sp.csr_matrix  # binary: which content words (no stop words) occur
    bigrams: sp.csr_matrix  # binary: which word bigrams occur
    classes: np.ndarray  # word-class counts per text
    n_tokens: np.ndarray


@dataclass
class _Bodies:
    whole: _Texts
    lead: sp.csr_matrix  # tf-idf of the first LEAD sentences
    sentences: _Texts  # all sentences of all bodies, body after body
    first: np.ndarray  # index of each body's first sentence row; first[i + 1] - first[i] sentences


class Featurizer:
    """Turns (headline, body) pairs into the dense feature matrix the classifier reads."""

    def __init__(self, idf: np.ndarray) -> None:
        self.idf = idf.astype(np.float32)
        self._hasher = _hasher(len(idf))
        self._idf_diag = sp.diags(self.idf, format="csr")

    def _tfidf(self, docs: Sequence[list[str]]) -> sp.csr_matrix:
        counts = self._hasher.transform(docs)
        counts.data = 1 + np.log(counts.data)  # sublinear tf: a word said ten times is not ten times the topic
        return normalize(counts @ self._idf_diag)

    def similarities(self, headline: str, texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity of the headline with each text (the measure that ranks a body's sentences)."""
        vectors = self._tfidf([tokens(headline)] + [tokens(t) for t in texts])
        return (vectors[1:] @ vectors[0].T).toarray().ravel()

    def closest_sentences(self, headline: str, body: str, n: int) -> str:
        """The ``n`` sentences of ``body`` most similar to ``headline``, joined in their order in the body."""
        parts = sentences(body)
        if len(parts) > n:
            sims = self.similarities(headline, parts)
            parts = [parts[k] for k in sorted(np.argsort(-sims, kind="stable")[:n])]
        return " ".join(parts)

    def _texts(self, docs: Sequence[list[str]]) -> _Texts:
        return _Texts(
            tfidf=self._tfidf(docs),
            content=self._hasher.transform(_content(d) for d in docs),
            bigrams=self._hasher.transform(_bigrams(d) for d in docs),
            classes=np.array([_class_counts(d) for d in docs], dtype=np.float32).reshape(len(docs), len(CLASS_NAMES)),
            n_tokens=np.array([len(d) for d in docs], dtype=np.float32),
        )

    def _bodies(self, texts: Sequence[str]) -> _Bodies:
        per_body = [[t for t in map(tokens, sentences(text)) if t] or [[]] for text in texts]
        counts = np.array([len(s) for s in per_body])
        flat = [s for body in per_body for s in body]
        return _Bodies(
            whole=self._texts([[w for s in body for w in s] for body in per_body]),
            lead=self._tfidf([[w for s in body[:LEAD] for w in s] for body in per_body]),
            sentences=self._texts(flat),
            first=np.concatenate([[0], np.cumsum(counts)]),
        )

    def transform(self, headlines: Sequence[str], bodies: Sequence[str]) -> np.ndarray:
        """The (n, len(FEATURE_NAMES)) float32 features of each headline × body pair."""
        if len(headlines) != len(bodies):
            raise ValueError(f"{len(headlines)} headlines but {len(bodies)} bodies")
        out = np.zeros((len(headlines), len(FEATURE_NAMES)), dtype=np.float32)
        if not len(headlines):
            return out
        # Headlines and bodies repeat across pairs (many claims per article): vectorise each once.
        head_texts, head_of = np.unique(np.asarray(headlines, dtype=object), return_inverse=True)
        body_texts, body_of = np.unique(np.asarray(bodies, dtype=object), return_inverse=True)
        head_tokens = [tokens(h) for h in head_texts]
        heads = self._texts(head_tokens)
        questions = np.array(["?" in h for h in head_texts], dtype=np.float32)
        # Idf mass of each headline's content words, the denominator of the overlap features.
        head_weight = heads.content @ self._idf_diag
        head_mass = np.asarray(head_weight.sum(axis=1)).ravel()
        head_bigrams = np.asarray(heads.bigrams.sum(axis=1)).ravel()
        parsed = self._bodies(list(body_texts))
        for start in range(0, len(headlines), CHUNK):
            rows = slice(start, start + CHUNK)
            out[rows] = self._block(
                head_of[rows], body_of[rows], heads, head_weight, head_mass, head_bigrams, questions, parsed
            )
        return out

    def _block(
        self, h: np.ndarray, b: np.ndarray, heads: _Texts, head_weight: sp.csr_matrix, head_mass: np.ndarray,
        head_bigrams: np.ndarray, questions: np.ndarray, bodies: _Bodies,
    ) -> np.ndarray:
        n = len(h)
        whole = bodies.whole
        sents = bodies.sentences
        # One row per (pair, sentence of its body).
        n_sents = bodies.first[b + 1] - bodies.first[b]
        pair = np.repeat(np.arange(n), n_sents)
        offset = np.arange(len(pair)) - np.repeat(np.cumsum(n_sents) - n_sents, n_sents)
        sent = bodies.first[b][pair] + offset
        sims = _rowdot(heads.tfidf[h[pair]], sents.tfidf[sent])
        # Rank sentences within each pair, most similar first (ties: earlier sentence first).
        order = np.lexsort((offset, -sims, pair))
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order)) - np.repeat(np.cumsum(n_sents) - n_sents, n_sents)
        best_row = order[np.cumsum(n_sents) - n_sents]
        best = sent[best_row]
        in_top = rank < TOP
        top = sp.csr_matrix((np.ones(in_top.sum(), dtype=np.float32), (pair[in_top], sent[in_top])),
                            shape=(n, sents.tfidf.shape[0]))
        weights = np.clip(sims, 0, None)
        weighted = sp.csr_matrix((weights, (pair, sent)), shape=(n, sents.tfidf.shape[0]))
        weight_sum = np.asarray(weighted.sum(axis=1)).ravel()
        n_top = np.minimum(n_sents, TOP)
        top_words = top @ sents.content
        top_words.data[:] = 1

        def overlap(found: sp.csr_matrix) -> np.ndarray:
            return np.divide(_rowdot(head_weight[h], found), head_mass[h], out=np.zeros(n), where=head_mass[h] > 0)

        sim_sum = np.bincount(pair, weights=sims, minlength=n)
        return np.column_stack([
            _rowdot(heads.tfidf[h], whole.tfidf[b]),
            _rowdot(heads.tfidf[h], bodies.lead[b]),
            sims[best_row],
            np.bincount(pair[in_top], weights=sims[in_top], minlength=n) / n_top,
            sim_sum / n_sents,
            np.bincount(pair, weights=(sims > RELATED_SIM), minlength=n) / n_sents,
            offset[best_row] / np.maximum(n_sents - 1, 1),
            overlap(whole.content[b]),
            overlap(sents.content[best]),
            overlap(top_words),
            np.divide(_rowdot(heads.bigrams[h], whole.bigrams[b]), head_bigrams[h], out=np.zeros(n),
                      where=head_bigrams[h] > 0),
            heads.n_tokens[h],
            questions[h],
            np.log1p(whole.n_tokens[b]),
            np.log1p(n_sents),
            heads.classes[h],
            100 * whole.classes[b] / np.maximum(whole.n_tokens[b], 1)[:, None],
            sents.classes[best],
            top @ sents.classes,
            (weighted @ sents.classes) / np.maximum(weight_sum, 1e-9)[:, None],
        ]).astype(np.float32)


class HeadlineWords:
    """The headline's words as features: a fixed set of hash buckets (the most frequent words of the
    training headlines), L2-normalised counts, so the trees can learn the words by which a headline
    denies or doubts (``hoax``, ``not``, ``?``-like wording) without a list of them."""

    def __init__(self, featurizer: Featurizer, buckets: np.ndarray) -> None:
        self.buckets = np.asarray(buckets, dtype=np.int64)
        self._hasher = featurizer._hasher

    @classmethod
    def fit(cls, featurizer: Featurizer, headlines: Iterable[str], size: int) -> HeadlineWords:
        counts = featurizer._hasher.transform(sorted(set(tokens(h))) for h in set(headlines))
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        keep = np.argsort(-df, kind="stable")[:size]
        return cls(featurizer, np.sort(keep[df[keep] > 0]))

    @property
    def names(self) -> list[str]:
        return [f"headline_word_{b}" for b in self.buckets]

    def transform(self, headlines: Sequence[str]) -> sp.csr_matrix:
        unique, index = np.unique(np.asarray(headlines, dtype=object), return_inverse=True)
        counts = self._hasher.transform(tokens(h) for h in unique)[:, self.buckets]
        return normalize(counts)[index].astype(np.float32)

