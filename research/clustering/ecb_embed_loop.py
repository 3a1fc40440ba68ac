"""`ecb_loop.py` with a document embedding in the story similarity (research only; storyline/story/
is not changed): similarity = (1 − EMB_WEIGHT) × (the shipped words-and-names similarity) +
EMB_WEIGHT × cosine(document embedding, story embedding), the story embedding being the sum of its
documents' unit embeddings (EMB_STORY=sum; with EMB_STORY=max the cosine with the document's
nearest member instead). Embeddings are looked up by document id in files written by
`embed_cache.py` (one per store: ECB+, and the reference story's store for ``--reference``).

    python research/clustering/ecb_embed_loop.py /tmp/ecbembed/emb.npz [/tmp/ecbembed/nk_emb.npz] -- \\
        /tmp/ecbembed/ecb.db ../shared/data/ecbplus/gold.tsv --set EMB_VARIANT=lead \\
        --grid EMB_WEIGHT=0,0.2,0.3 THRESHOLD=0.3,0.35,0.4

Everything after ``--`` is passed to ecb_loop.py (same options: --set, --grid, --final,
--reference, --confusion); EMB_WEIGHT (default 0), EMB_VARIANT (default lead) and EMB_STORY
(default sum) are three more settings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop  # noqa: E402

from storyline.story import clustering  # noqa: E402
from storyline.story.clustering import Stories  # noqa: E402

shipped_similarity = clustering.similarity
shipped_centroids = Stories.centroids
clustering.EMB_WEIGHT = 0.0  # type: ignore[attr-defined]
clustering.EMB_VARIANT = "lead"  # type: ignore[attr-defined]
clustering.EMB_STORY = "sum"  # type: ignore[attr-defined]  # or "max": the document's nearest member
EMBEDDINGS: dict[str, dict[str, np.ndarray]] = {}  # variant → document id → unit vector
DB: list[object] = []  # the store the loop is rebuilding (set by centroids())


class StoryCentroid(tuple):
    """A (words, names) centroid that knows its story, so the similarity can find its embedding."""

    story_id: str


def story_embedding(story_id: str, variant: str) -> np.ndarray | None:
    rows = DB[-1].rows("SELECT doc_id FROM story_documents WHERE story_id = {p}", [story_id])  # type: ignore[attr-defined]
    vectors = [EMBEDDINGS[variant][r[0]] for r in rows if r[0] in EMBEDDINGS[variant]]
    return np.sum(vectors, axis=0) if vectors else None


def unit_cosine(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))


def similarity(profile: clustering.Profile, centroid: clustering.Centroid) -> float:
    base = shipped_similarity(profile, centroid)
    weight: float = clustering.EMB_WEIGHT  # type: ignore[attr-defined]
    story_id = getattr(centroid, "story_id", None)
    if not weight or story_id is None:
        return base
    variant: str = clustering.EMB_VARIANT  # type: ignore[attr-defined]
    # A document's embedding, or (story against story, when merging) the story's.
    mine = EMBEDDINGS[variant].get(profile.doc_id)
    if mine is None:
        mine = story_embedding(profile.doc_id, variant)
    if clustering.EMB_STORY == "max" and profile.doc_id in EMBEDDINGS[variant]:  # type: ignore[attr-defined]
        rows = DB[-1].rows("SELECT doc_id FROM story_documents WHERE story_id = {p}", [story_id])  # type: ignore[attr-defined]
        near = max((float(mine @ EMBEDDINGS[variant][r[0]]) for r in rows if r[0] in EMBEDDINGS[variant]), default=0.0)
        return (1 - weight) * base + weight * near
    return (1 - weight) * base + weight * unit_cosine(mine, story_embedding(story_id, variant))


def centroids(self: Stories, story_ids: list[str]) -> dict[str, clustering.Centroid]:
    DB[:] = [self.db]
    out = {}
    for story_id, centroid in shipped_centroids(self, story_ids).items():
        tagged = StoryCentroid(centroid)
        tagged.story_id = story_id
        out[story_id] = tagged
    return out


def centroid(self: Stories, story_id: str) -> clustering.Centroid:
    return centroids(self, [story_id])[story_id]


def main() -> int:
    split = sys.argv.index("--") if "--" in sys.argv else len(sys.argv)
    for path in sys.argv[1:split]:
        cache = np.load(path)
        for variant in cache.files:
            if variant != "ids":
                EMBEDDINGS.setdefault(variant, {}).update(zip(map(str, cache["ids"]), cache[variant]))
    clustering.similarity = similarity
    Stories.centroids = centroids  # type: ignore[method-assign]
    Stories.centroid = centroid  # type: ignore[method-assign]
    return ecb_loop.main(sys.argv[split + 1:])


if __name__ == "__main__":
    sys.exit(main())
