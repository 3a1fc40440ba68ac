"""`ecb_order_loop.py` with the batch refinement followed by a re-seeding of the batch's stories
(research only; docs/stories.md, "Ninth round": it lowered every order, not shipped).

After the refinement (``REFINE``), each story made of the batch's undated documents only, the
smallest first, is compared as one profile (its centroid) with the candidate stories of the inverted
index that are also made of them only; it merges into the best when their centroids reach
``REFINE_MERGE`` (the merge of `Stories.merge`: the larger keeps its id).

    python research/clustering/ecb_reseed_loop.py STORE GOLD --set REFINE=True ORDER=shuffle --grid REFINE_MERGE=0.28,0.4,0.5 SEED=1,2
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ecb_order_loop  # noqa: E402

from storyline.store.sql import marks  # noqa: E402
from storyline.story import clustering  # noqa: E402
from storyline.story.clustering import Profile, Stories  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402

clustering.REFINE_MERGE = 0.0  # type: ignore[attr-defined]  # 0: off
shipped_refine = StoryEngine.refine


def reseed(stories: Stories, doc_ids: set[str]) -> None:
    members: dict[str, set[str]] = {}
    for doc_id, story_id in stories.db.rows(
            "SELECT doc_id, story_id FROM story_documents WHERE story_id IN (SELECT story_id FROM story_documents "
            f"WHERE doc_id IN ({marks(len(doc_ids))}))", sorted(doc_ids)):
        members.setdefault(story_id, set()).add(doc_id)
    batch = {story_id for story_id, docs in members.items() if docs <= doc_ids}
    for story_id in sorted(batch, key=lambda s: (len(members[s]), s)):  # the smallest look first
        if story_id not in batch:
            continue
        words, names, counts = stories.centroid(story_id)
        scored = [(score, other) for score, other in stories.scored(Profile(story_id, None, None, words, names, counts))
                  if other != story_id and other in batch]
        if scored and scored[0][0] >= clustering.REFINE_MERGE:  # type: ignore[attr-defined]
            survivor = stories.merge(scored[0][1], story_id)
            batch.discard(scored[0][1] if survivor == story_id else story_id)


def refine(self: StoryEngine) -> int:
    placed = {p.doc_id for p in self.stories.undated}
    moves = shipped_refine(self)
    if clustering.REFINE and clustering.REFINE_MERGE and placed:  # type: ignore[attr-defined]
        with self.db.exclusive():
            reseed(self.stories, placed)
    return moves


def main() -> int:
    StoryEngine.refine = refine  # type: ignore[method-assign]
    return ecb_order_loop.main()


if __name__ == "__main__":
    raise SystemExit(main())
