"""`ecb_loop.py` with the undated documents placed in another order (research only;
docs/stories.md, "Eighth round").

A batch is placed in publication order, undated documents last in the order they were read (for
ECB+, whose texts are almost all undated, the file names: ``35_10ecb``, ``35_10ecbplus``,
``35_11ecbplus``, ``35_1ecb`` …, which interleaves the two events of a topic). How much does the
clustering owe to that order? ``ORDER``:

- ``read``: as shipped (storage order);
- ``reversed``: the undated documents in reverse;
- ``shuffle``: shuffled with ``SEED``;
- ``shuffle_topic``: the ECB+ topics in read order (by the file name's topic number prefix), each
  topic's documents shuffled with ``SEED`` (only the order within a topic changes);
- ``central``: the most typical first: by the mean of a document's ``TOP_NEIGHBOURS`` highest
  word cosines to the other undated documents of the batch, highest first (an order that depends
  on the texts only, not on how they were read);
- ``stated``: by the first full date (year, month, day) the lead states with no anchor (as
  written, never relative; `ecb_date_loop.estimate`), those stating none after them as read. The
  date only orders: the documents are still scored as undated.

    python research/clustering/ecb_order_loop.py STORE GOLD --set ORDER=shuffle --grid SEED=1,2,3 SECOND_LOOK=False,True
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ecb_loop  # noqa: E402
from ecb_date_loop import estimate  # noqa: E402

from storyline.story import clustering  # noqa: E402
from storyline.story.clustering import Stories  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402
from storyline.story.text import cosine  # noqa: E402

clustering.ORDER = "read"  # type: ignore[attr-defined]
clustering.SEED = 1  # type: ignore[attr-defined]
clustering.TOP_NEIGHBOURS = 5  # type: ignore[attr-defined]
clustering.ESTIMATE = "first"  # type: ignore[attr-defined]  # what ecb_date_loop.estimate reads
clustering.ESTIMATE_LEAD = 600  # type: ignore[attr-defined]
shipped_pending = StoryEngine.pending


def pending(self: StoryEngine) -> list[str]:
    todo = shipped_pending(self)
    dated = {r[0] for r in self.db.rows("SELECT id FROM documents WHERE published IS NOT NULL")}
    head = [d for d in todo if d in dated]
    tail = [d for d in todo if d not in dated]
    order = clustering.ORDER  # type: ignore[attr-defined]
    if order == "reversed":
        tail.reverse()
    elif order == "shuffle":
        random.Random(clustering.SEED).shuffle(tail)  # type: ignore[attr-defined]
    elif order == "shuffle_topic":
        rng = random.Random(clustering.SEED)  # type: ignore[attr-defined]
        topic = {r[0]: Path(r[1] or "").name.split("_")[0] for r in self.db.rows("SELECT id, source FROM documents")}
        blocks: dict[str, list[str]] = {}
        for doc_id in tail:
            blocks.setdefault(topic[doc_id], []).append(doc_id)
        for block in blocks.values():
            rng.shuffle(block)
        tail = [d for block in blocks.values() for d in block]
    elif order == "central":
        stories = Stories(self.db)
        words = {}
        for doc_id in tail:
            document = self.store.document(doc_id)
            if document is not None:
                words[doc_id] = stories.profile(document, self.store.analysis(doc_id), {}).words
        k = clustering.TOP_NEIGHBOURS  # type: ignore[attr-defined]
        density = {d: sum(sorted((cosine(w, words[o]) for o in words if o != d), reverse=True)[:k]) / k
                   for d, w in words.items()}
        tail.sort(key=lambda d: -density.get(d, 0.0))
    elif order == "stated":
        stated = {}
        for doc_id in tail:
            document = self.store.document(doc_id)
            day = estimate(document, self.store.analysis(doc_id)) if document is not None else None
            stated[doc_id] = day or "9999"
        tail.sort(key=lambda d: stated[d])  # stable: those stating no date stay in read order, last
    return head + tail


def main() -> int:
    StoryEngine.pending = pending  # type: ignore[method-assign]
    return ecb_loop.main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
