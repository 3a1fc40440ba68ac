"""Near-duplicates: syndicated or repeated copies of one report.

Each document's body gets a MinHash signature over word 4-shingles (datasketch);
its LSH band keys are stored, so a new document finds the documents that
probably share most of its text without comparing it with every stored one,
and only those candidates are checked (estimated Jaccard ≥ ``THRESHOLD``). A
copy points at its original, the earliest stored document it copies; copies
do not count as independent sources of a claim.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from datasketch import MinHash
from datasketch.lsh import _optimal_param
from storyline.model import Document
from storyline.store.sql import SQL, marks
from storyline.story.text import fold

THRESHOLD = 0.8
MAX_CHECKED = 8  # candidates verified per new document
NUM_PERM = 128
_SHINGLE = 4
_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _bands() -> tuple[int, int]:
    """(bands, rows) that minimise false positives and negatives at THRESHOLD (datasketch's own choice)."""
    return _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)


def body_text(document: Document) -> str:
    return "\n".join(document.text[a:b] for a, b in document.body)


def signature(text: str) -> MinHash:
    words = _WORDS.findall(fold(text))
    shingles = {" ".join(words[i : i + _SHINGLE]) for i in range(max(1, len(words) - _SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m


def band_keys(m: MinHash) -> list[str]:
    bands, rows = _bands()
    return [
        f"{b}:{hashlib.blake2b(m.hashvalues[b * rows:(b + 1) * rows].tobytes(), digest_size=8).hexdigest()}"
        for b in range(bands)
    ]


class Copies:
    def __init__(self, db: SQL) -> None:
        self.db = db

    def record(self, document: Document, text_of: "callable[[str], str | None]") -> str | None:
        """Index a new document; return the id of the original it copies, if any."""
        text = body_text(document)
        if len(_WORDS.findall(text)) < _SHINGLE * 3:
            return None  # too short to tell a copy from a shared phrase
        m = signature(text)
        keys = band_keys(m)

        # The documents sharing the most bands first, and only a few: each is checked by recomputing
        # its signature, and a text with many near relatives must not cost one check per relative.
        candidates = [
            r[0] for r in self.db.rows(
                f"SELECT doc_id FROM minhash_bands WHERE band IN ({marks(len(keys))}) AND doc_id <> {{p}} "
                f"GROUP BY doc_id ORDER BY count(*) DESC, doc_id LIMIT {MAX_CHECKED}",
                [*keys, document.id],
            )
        ]
        best: tuple[float, str] | None = None
        for candidate in candidates:
            other = text_of(candidate)
            if other is None:
                continue
            similarity = m.jaccard(signature(other))
            if similarity >= THRESHOLD and (best is None or similarity > best[0]):
                best = (similarity, candidate)
        self.db.executemany(
            "INSERT INTO minhash_bands (band, doc_id) VALUES ({p}, {p}) ON CONFLICT (band, doc_id) DO NOTHING",
            [(k, document.id) for k in keys],
        )
        if best is None:
            return None
        original = self.db.one("SELECT original_id FROM copies WHERE doc_id = {p}", [best[1]])
        original_id = original[0] if original else best[1]
        self.db.execute(
            "INSERT INTO copies (doc_id, original_id, similarity) VALUES ({p}, {p}, {p}) ON CONFLICT (doc_id) "
            "DO UPDATE SET original_id = excluded.original_id, similarity = excluded.similarity",
            [document.id, original_id, round(best[0], 3)],
        )
        return original_id
