"""`ecb_loop.py` with a split test after each join (research only; docs/stories.md, "Eighth round").

When a document joins a story of at least ``2 × SPLIT_MIN`` members (and at most ``SPLIT_MAX``),
the story's members are cut in two by average-link clustering over their pairwise similarities
(`split_probe.py`: the shipped similarity of one document against another as a story of one,
symmetrised). If both groups hold at least ``SPLIT_MIN`` members and the mean similarity between
them is below ``SPLIT_RATIO`` × the mean similarity within them, the story holds two stories: the
smaller group leaves for a new story (its own id; the larger keeps the story's id), and each
story's centroid is rebuilt from its members. Only stories none of whose members is dated are
tested when ``SPLIT_UNDATED=True`` (dated reports are kept apart by the date decay).

    python research/clustering/ecb_split_loop.py STORE GOLD --grid SPLIT_MIN=3,4,5 SPLIT_RATIO=0.55,0.6,0.65
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop  # noqa: E402
from split_probe import PROFILES, pair, run_loop, two_groups, within  # noqa: E402

from storyline.eval.clustering import read_gold_tsv, source_name  # noqa: E402
from storyline.store.sqlite import SQLiteStore  # noqa: E402
from storyline.story import clustering  # noqa: E402
from storyline.story.clustering import Profile, Stories  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402
from storyline.story.text import normalised  # noqa: E402

clustering.SECOND_LOOK = False  # measured on the clustering before the second look shipped
clustering.SPLIT_MIN = 0  # type: ignore[attr-defined]  # 0: no split test (the shipped clustering)
clustering.SPLIT_RATIO = 0.6  # type: ignore[attr-defined]
clustering.SPLIT_MAX = 60  # type: ignore[attr-defined]
clustering.SPLIT_UNDATED = True  # type: ignore[attr-defined]
clustering.SPLIT_CONSISTENT = True  # type: ignore[attr-defined]  # never split what the merge test would join
MEMBERS: dict[str, list[str]] = defaultdict(list)
SIM: dict[tuple[str, str], float] = {}
SPLITS: list[tuple[int, int]] = []
shipped_assign = Stories.assign
shipped_rebuild = StoryEngine.rebuild


def _sim(a: str, b: str) -> float:
    if (a, b) not in SIM:
        SIM[a, b] = SIM[b, a] = pair(PROFILES[a], PROFILES[b])
    return SIM[a, b]


def _summed(members: list[str]) -> dict[str, float]:
    features: dict[str, float] = {}
    for doc_id in members:
        p = PROFILES[doc_id]
        for key, value in {**p.features(), **p.slots}.items():
            features[key] = features.get(key, 0.0) + value
    return features


def _agreement(a: list[str], b: list[str]) -> float:
    """The merge test's centroid agreement between two groups (the larger of both directions)."""
    ca, cb = clustering.split(_summed(a)), clustering.split(_summed(b))
    return max(clustering.similarity(Profile("", None, None, normalised(x[0]), normalised(x[1])), y)
               for x, y in ((ca, cb), (cb, ca)))


def _rebuild_story(self: Stories, story_id: str, members: list[str]) -> None:
    features = _summed(members)
    days = [PROFILES[d].day for d in members if PROFILES[d].day]
    self.db.execute("UPDATE stories SET documents = {p}, first_date = {p}, last_date = {p} WHERE id = {p}",
                    [len(members), min(days, default=None), max(days, default=None), story_id])
    self._store_centroid(story_id, features)
    self._retitle(story_id)


def split_test(self: Stories, story_id: str) -> str | None:
    """The new story's id when the story splits, else None."""
    minimum = clustering.SPLIT_MIN  # type: ignore[attr-defined]
    members = MEMBERS[story_id]
    if not minimum or not 2 * minimum <= len(members) <= clustering.SPLIT_MAX:  # type: ignore[attr-defined]
        return None
    if clustering.SPLIT_UNDATED and any(PROFILES[d].day for d in members):  # type: ignore[attr-defined]
        return None
    sim = {(a, b): _sim(a, b) for a in members for b in members if a != b}
    a, b, between = two_groups(list(members), sim)
    if min(len(a), len(b)) < minimum:
        return None
    mean_within = (within(a, sim) * len(a) + within(b, sim) * len(b)) / len(members)
    if between >= clustering.SPLIT_RATIO * mean_within:  # type: ignore[attr-defined]
        return None
    if clustering.SPLIT_CONSISTENT and _agreement(a, b) >= clustering.MERGE_THRESHOLD:  # type: ignore[attr-defined]
        return None
    keep, leave = (a, b) if len(a) >= len(b) else (b, a)
    founder = min(leave, key=members.index)
    new_id = "s" + hashlib.sha256(f"{story_id}/{founder}".encode()).hexdigest()[:15]  # never the founder's own
    title = PROFILES[founder].title
    self.db.execute("INSERT INTO stories (id, title, documents, created_at, updated_at) "
                    "VALUES ({p}, {p}, 0, datetime('now'), datetime('now'))", [new_id, title])
    self.db.execute(f"UPDATE story_documents SET story_id = {{p}} WHERE doc_id IN "
                    f"({','.join('{p}' for _ in leave)})", [new_id, *leave])
    MEMBERS[story_id] = [d for d in members if d in set(keep)]
    MEMBERS[new_id] = [d for d in members if d in set(leave)]
    _rebuild_story(self, story_id, MEMBERS[story_id])
    _rebuild_story(self, new_id, MEMBERS[new_id])
    SPLITS.append((len(keep), len(leave), keep, leave))
    return new_id


def assign(self: Stories, p: Profile):  # type: ignore[no-untyped-def]
    story_id, score, merged = shipped_assign(self, p)
    for old in merged:
        MEMBERS[story_id].extend(MEMBERS.pop(old, []))
    MEMBERS[story_id].append(p.doc_id)
    new_id = split_test(self, story_id)
    if new_id and p.doc_id in MEMBERS[new_id]:
        story_id = new_id
    return story_id, score, merged


def rebuild(self: StoryEngine, *args, **kwargs):  # type: ignore[no-untyped-def]
    MEMBERS.clear()
    SIM.clear()
    SPLITS.clear()
    return shipped_rebuild(self, *args, **kwargs)


shipped_run = ecb_loop.run
GOLD: dict[str, str] = {}  # document id → gold subtopic, odd topics only (set by main)


def label(group: list[str]) -> str:
    """A group's gold make-up on the odd topics (the even ones are not looked at: '')."""
    counts = Counter(GOLD[d] for d in group if d in GOLD)
    return "+".join(f"{k}:{v}" for k, v in sorted(counts.items()))


def run(store_path, settings):  # type: ignore[no-untyped-def]
    out = shipped_run(store_path, settings)
    shown = [f"{label(k)} | {label(v)}" for _, _, k, v in SPLITS]
    print(f"    {len(SPLITS)} splits (kept | left): {'; '.join(x for x in shown if x)}", flush=True)
    return out


def main() -> int:
    gold = read_gold_tsv(Path(sys.argv[2]))
    store = SQLiteStore(Path(sys.argv[1]))
    for doc_id, source in store.db.execute("SELECT id, source FROM documents"):
        g = gold.get(source_name(source)) if source else None
        if g is not None and int(g.topic) % 2 == 1:
            GOLD[doc_id] = g.subtopic
    store.db.conn.close()
    ecb_loop.run = run
    return run_loop(assign, rebuild)


if __name__ == "__main__":
    raise SystemExit(main())
