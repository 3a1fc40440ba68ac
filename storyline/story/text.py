"""Words and names as the story layer compares them.

Stories and claims are compared as bags of features: content words (lower
case, plural ``-s`` stripped, stop words out) and, for names, the
cross-document identity or the country they stand for, so that "Pyongyang",
"North Korea" and "North Korean" meet as one feature.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable
from functools import lru_cache
from typing import Generic, TypeVar

_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’\-][^\W\d_])*|\d[\d,.]*\d|\d", re.UNICODE)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    # Reporting verbs say nothing about what a story or a claim is about.
    return frozenset(STOP_WORDS | {"say", "said", "says", "told", "tell", "according", "report", "reported",
                                   "reports", "mr", "ms", "new", "year", "week", "day", "time", "people"})


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """Lower case, accents and typographic quotes folded: 'Zelenskyy’s' → "zelenskyy's"."""
    text = text.replace("’", "'").replace("‘", "'")
    if text.isascii():
        return text.lower()
    # Only the runs of non-ASCII characters can hold combining marks: a whole article is not
    # walked character by character for the one dash or accent it has.
    return _NON_ASCII.sub(_without_marks, unicodedata.normalize("NFKD", text)).lower()


def _without_marks(run: re.Match[str]) -> str:
    return "".join(c for c in run.group() if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light plural stemmer: troops → troop, forces → force, casualties → casualty."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s"):
        return word[:-1]
    return word


# Words for armed people, one thing whichever is used: "Pyongyang has sent soldiers" and "North
# Korean troops are in Russia" state one claim; "10,000 soldiers" and "10,000 troops" are one series.
_TROOPS = frozenset({"soldier", "troop", "force", "personnel", "servicemen", "serviceman", "fighter"})


def word_kind(word: str) -> str:
    """A stemmed word, with the words for troops folded into one: soldier → troop."""
    return "troop" if word in _TROOPS else word


def terms(text: str) -> Counter[str]:
    """Content words of a text, folded and stemmed, with their counts."""
    return Counter(t for t in map(_term, _WORD.findall(fold(text))) if t is not None)


@lru_cache(maxsize=1 << 16)
def _term(word: str) -> str | None:
    """A folded word as a term, stemmed, or None when it says little: a stop word, a single
    letter, a number other than a year. Cached: a few thousand words make most of any text."""
    word = word.strip("'-").removesuffix("'s")
    if len(word) < 2 or word in stop_words() or word.replace(",", "").replace(".", "").isdigit() and len(word) != 4:
        return None  # numbers other than years say little about which story a text is
    return stem(word)


def cosine(a: dict[str, float], b: dict[str, float], norm_a: float | None = None, norm_b: float | None = None) -> float:
    """Cosine of two sparse vectors; pass a vector's :func:`norm` when it is compared many times
    (a claim's centroid against every new statement), so it is not summed again each time."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b, norm_a, norm_b = b, a, norm_b, norm_a
    dot = sum(w * b.get(k, 0.0) for k, w in a.items())
    if dot == 0:
        return 0.0
    return dot / ((norm(a) if norm_a is None else norm_a) * (norm(b) if norm_b is None else norm_b))


def norm(v: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in v.values())) or 1.0


def normalised(v: dict[str, float]) -> dict[str, float]:
    n = norm(v)
    return {k: w / n for k, w in v.items()}


K = TypeVar("K", bound=Hashable)


class VectorIndex(Generic[K]):
    """Sparse vectors by key, indexed by feature, to find those near a new vector without a cosine
    with each: candidates come from the features they share with it, and only they are compared
    exactly (:func:`cosine`, so the scores are the ones comparing every pair gives).

    Features that nearly every vector has ("v:other", a story's main country) would make every
    vector a candidate. So the query's most widely held features are left out of the search while
    the most they can add to any vector's cosine (their weight times the largest share of a
    vector's norm they hold anywhere, ``_top``) stays below the threshold: a vector that shares
    nothing else with the query cannot reach it (prefix filtering, as in all-pairs similarity
    search). Positive weights only, as the story layer's features are."""

    def __init__(self) -> None:
        self.vectors: dict[K, dict[str, float]] = {}
        self.norms: dict[K, float] = {}
        self._having: dict[str, dict[K, float]] = {}  # feature → {key: its weight there}
        self._top: dict[str, float] = {}  # feature → at least its largest weight / norm in any vector

    def put(self, key: K, vector: dict[str, float], changed: Iterable[str] | None = None) -> None:
        """Add a vector, or note that ``vector`` (the one stored for ``key``) changed in the
        features ``changed`` (all of them by default)."""
        size = norm(vector)
        if changed is not None and size < self.norms.get(key, size):
            changed = None  # a shrunken norm raises the share of every feature
        self.vectors[key] = vector
        self.norms[key] = size
        for k in vector if changed is None else changed:
            weight = vector[k]
            self._having.setdefault(k, {})[key] = weight
            if weight / size > self._top.get(k, 0.0):
                self._top[k] = weight / size

    def near(self, vector: dict[str, float], threshold: float, own: float | None = None) -> dict[K, float]:
        """The keys whose vectors have a cosine of at least ``threshold`` with ``vector`` (of norm
        ``own``), with the cosine."""
        own = norm(vector) if own is None else own
        # The margin covers the rounding of sums taken in another order than cosine's.
        bound = (threshold - 1e-6) * own
        searched, reach = self.searched(vector, bound)
        dots: dict[K, float] = {}
        for k in searched:
            w = vector[k]
            for key, v in self._having.get(k, {}).items():
                dots[key] = dots.get(key, 0.0) + w * v
        read = set(searched)
        left_out = [(k, w) for k, w in vector.items() if k not in read]
        found: list[K] = []
        for key, dot in dots.items():
            need = bound * self.norms[key]
            if dot < need and left_out:
                if dot + reach * self.norms[key] < need:
                    continue  # even the most the features left out could add falls short
                # What the features left out add, read from the vector found.
                other = self.vectors[key]
                dot += sum(w * other.get(k, 0.0) for k, w in left_out)
            if dot >= need:
                found.append(key)
        scores = {key: cosine(vector, self.vectors[key], own, self.norms[key]) for key in found}
        return {key: score for key, score in scores.items() if score >= threshold}

    def searched(self, vector: dict[str, float], bound: float) -> tuple[list[str], float]:
        """The features of ``vector`` whose postings a search for a dot of ``bound`` × a vector's
        norm reads (the most widely held are left out while together they cannot reach it), and
        the most those left out add to any vector's dot / its norm."""
        features = sorted(vector, key=lambda k: len(self._having.get(k, ())), reverse=True)
        reach = 0.0
        for skip, k in enumerate(features):
            more = vector[k] * self._top.get(k, 0.0)
            if reach + more >= bound:
                return features[skip:], reach
            reach += more
        return [], reach
