"""The research switch STORY_IDF (docs/stories.md, "Eighth round b"): a word every active story holds
counts less, so a short item that shares only its region's name with a story does not join it."""

from __future__ import annotations

import pytest

from storyline.model import Analysis, Document
from storyline.store import open_store
from storyline.story import clustering
from storyline.story.clustering import Profile, Stories


def stories_of_one_region(tmp_path) -> Stories:
    store = open_store(tmp_path / "s.db")
    for doc_id in "abcd":
        store.save(Document(text="Korea.", id=doc_id, body=[(0, 6)]), Analysis(doc_id=doc_id))
    stories = Stories(store.sql)
    for doc_id, word in zip("abc", ("troop", "balloon", "missile")):  # word cosine 0.09: three stories
        stories.assign(Profile(doc_id, "2024-11-01", None, {"korea": 0.3, word: 0.954}, {}))
    return stories


@pytest.mark.parametrize("scope", ["", "candidates", "window"])
def test_a_word_every_active_story_holds_counts_less(tmp_path, monkeypatch, scope):
    stories = stories_of_one_region(tmp_path)
    monkeypatch.setattr(clustering, "STORY_IDF", scope)
    item = Profile("d", "2024-11-01", None, {"korea": 0.95, "drill": 0.312}, {})
    if scope:
        weighed, centroids = stories.distinct(item, stories.centroids([c[0] for c in stories.candidates(item)]))
        # "korea" is held by all three stories: log(1 + 3/3) / log(1 + 3) of its weight; "drill" by none.
        assert weighed.words == pytest.approx({"korea": 0.95 * 0.5, "drill": 0.312})
        assert all(words["korea"] == pytest.approx(0.15) for words, _, _ in centroids.values())
    # Word cosine 0.285 with each story, all of it from "korea": it joins one of them as shipped.
    story, _, _ = stories.assign(item)
    others = {row[0] for row in stories.db.rows("SELECT story_id FROM story_documents WHERE doc_id != 'd'")}
    assert (story in others) == (scope == "")
