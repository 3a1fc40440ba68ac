"""`ecb_loop.py` with event-slot evidence in the story similarity (research only; storyline/story/
is not changed): similarity = the shipped words-and-names similarity + Σ weight × slot score, the
slot score of a document against a story being the mean, over the story's members that fill the
slot, of the pair comparison of `slot_probe.py` (+1 the slot agrees, −1 it conflicts); 0 when the
document or every member leaves it empty.

    python research/clustering/ecb_slot_loop.py /tmp/ecbslots/ecb.db ../shared/data/ecbplus/gold.tsv \\
        --set SLOT_A=year_first --grid SLOT_A_W=0.05,0.1,0.2 THRESHOLD=0.3,0.35,0.4

Same options as ecb_loop.py; SLOT_A, SLOT_B, SLOT_C name a slot of `slot_probe.slots` (spaces
written as underscores), SLOT_A_W, SLOT_B_W, SLOT_C_W weigh them (default 0: the shipped clustering).
``SLOT_CONFLICT_ONLY=True`` keeps only the penalty (an agreement counts 0), ``SLOT_AGREE_ONLY=True``
only the bonus; ``SLOT_AGG=any`` scores +1 when any member agrees and −1 when every member conflicts
(instead of the mean).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop  # noqa: E402
from ecb_embed_loop import centroids  # noqa: E402  # centroids that know their story
from slot_probe import compare, slots  # noqa: E402

from storyline.story import clustering  # noqa: E402
from storyline.story.clustering import Stories  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402

shipped_similarity = clustering.similarity
shipped_profile = Stories.profile
shipped_assign = Stories.assign
shipped_rebuild = StoryEngine.rebuild
for letter in "ABC":
    setattr(clustering, f"SLOT_{letter}", "")
    setattr(clustering, f"SLOT_{letter}_W", 0.0)
clustering.SLOT_CONFLICT_ONLY = False  # type: ignore[attr-defined]
clustering.SLOT_AGREE_ONLY = False  # type: ignore[attr-defined]
clustering.SLOT_MODE = "add"  # type: ignore[attr-defined]  # or "mul": similarity × (1 + Σ weight × slot score)
clustering.SLOT_AGG = "mean"  # type: ignore[attr-defined]  # or "any": +1 when any member agrees, −1 when all conflict
SLOTS: dict[str, dict[str, set[str]]] = {}  # document id → its slots
MEMBERS: dict[str, list[str]] = defaultdict(list)  # story id → document ids


def slot_score(doc_id: str, story_id: str, slot: str) -> float:
    mine = SLOTS.get(doc_id, {}).get(slot)
    if not mine:
        return 0.0
    values = [compare(mine, SLOTS[m][slot]) for m in MEMBERS.get(story_id, []) if SLOTS.get(m, {}).get(slot)]
    if clustering.SLOT_CONFLICT_ONLY:  # type: ignore[attr-defined]
        values = [min(v, 0) for v in values]
    if clustering.SLOT_AGREE_ONLY:  # type: ignore[attr-defined]
        values = [max(v, 0) for v in values]
    if clustering.SLOT_AGG == "any" and values:  # type: ignore[attr-defined]
        return float(max(values))
    return sum(values) / len(values) if values else 0.0


def similarity(profile: clustering.Profile, centroid: clustering.Centroid) -> float:
    score = shipped_similarity(profile, centroid)
    story_id = getattr(centroid, "story_id", None)
    if story_id is None or profile.doc_id not in SLOTS:
        return score
    evidence = 0.0
    for letter in "ABC":
        slot, weight = getattr(clustering, f"SLOT_{letter}"), getattr(clustering, f"SLOT_{letter}_W")
        if slot and weight:
            evidence += weight * slot_score(profile.doc_id, story_id, slot.replace("_", " "))
    return score * (1 + evidence) if clustering.SLOT_MODE == "mul" else score + evidence  # type: ignore[attr-defined]


def profile(self: Stories, document, analysis, identities):  # type: ignore[no-untyped-def]
    SLOTS[document.id] = slots(document, analysis, identities)
    return shipped_profile(self, document, analysis, identities)


def assign(self: Stories, p: clustering.Profile):  # type: ignore[no-untyped-def]
    story_id, score, merged = shipped_assign(self, p)
    for old in merged:
        MEMBERS[story_id].extend(MEMBERS.pop(old, []))
    MEMBERS[story_id].append(p.doc_id)
    return story_id, score, merged


def rebuild(self: StoryEngine, *args, **kwargs):  # type: ignore[no-untyped-def]
    MEMBERS.clear()
    return shipped_rebuild(self, *args, **kwargs)


def main() -> int:
    clustering.similarity = similarity
    Stories.centroids = centroids  # type: ignore[method-assign]
    Stories.profile = profile  # type: ignore[method-assign]
    Stories.assign = assign  # type: ignore[method-assign]
    StoryEngine.rebuild = rebuild  # type: ignore[method-assign]
    return ecb_loop.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
