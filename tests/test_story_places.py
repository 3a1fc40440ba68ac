"""A large story is no candidate for a document it resembles only by place names (docs/stories.md,
"Later reports: where, not what"): its centroid is led by its region's names, which any short item
from the region shares."""

from __future__ import annotations

import pytest

from storyline.model import Analysis, Document, Entity, TextSpan
from storyline.store import open_store
from storyline.story import clustering
from storyline.story.clustering import Profile, Stories


def story_of(size: int, tmp_path) -> Stories:
    """``size`` reports of North Korean troops, "korea" a place name in each, and two more documents."""
    store = open_store(tmp_path / "s.db")
    for doc_id in [f"m{n}" for n in range(size)] + ["balloons", "report"]:
        store.save(Document(text="Korea.", id=doc_id, body=[(0, 6)]), Analysis(doc_id=doc_id))
    stories = Stories(store.sql)
    for doc_id in [f"m{n}" for n in range(size)]:
        stories.assign(Profile(doc_id, "2024-11-01", None, {"korea": 0.3, "troop": 0.954}, {},
                               places=frozenset({"t:korea"})))
    return stories


def joins(stories: Stories, doc_id: str, words: dict[str, float]) -> bool:
    story, _, _ = stories.assign(Profile(doc_id, "2024-11-01", None, words, {}, places=frozenset({"t:korea"})))
    return story == stories.db.one("SELECT story_id FROM story_documents WHERE doc_id = 'm0'")[0]


@pytest.mark.parametrize("floor", [0.0, clustering.PLACE_FLOOR])
def test_a_large_story_does_not_take_an_item_that_shares_only_its_places(tmp_path, monkeypatch, floor):
    monkeypatch.setattr(clustering, "PLACE_FLOOR", floor)
    stories = story_of(clustering.PLACE_MIN_DOCS, tmp_path)
    # Word cosine 0.285 ≥ THRESHOLD, all of it from "korea": it joins only with the rule off.
    assert joins(stories, "balloons", {"korea": 0.95, "balloon": 0.312}) == (floor == 0.0)
    # A report that shares "troop" as well joins either way.
    assert joins(stories, "report", {"korea": 0.8, "troop": 0.6})


def test_a_small_story_still_grows_by_its_places(tmp_path):
    stories = story_of(clustering.PLACE_MIN_DOCS - 1, tmp_path)
    assert joins(stories, "balloons", {"korea": 0.95, "balloon": 0.312})


def test_place_and_demonym_words_are_marked_as_places(tmp_path):
    text = "North Korean troops are in Kursk, the Republicans said."
    spans = {w: TextSpan(text.index(w), text.index(w) + len(w), w) for w in ("North Korean", "Kursk", "Republicans")}
    analysis = Analysis(doc_id="d", entities=[
        Entity("e1", "North Korean", "NORP", [spans["North Korean"]]),
        Entity("e2", "Kursk", "GPE", [spans["Kursk"]]),
        Entity("e3", "Republicans", "NORP", [spans["Republicans"]]),  # a party, not a country
    ])
    stories = Stories(open_store(tmp_path / "s.db").sql)
    profile = stories.profile(Document(text=text, id="d", body=[(0, len(text))]), analysis, {"e2": "i-kursk"})
    assert profile.places == {"t:north", "t:korean", "t:kursk", "e:i-kursk"}
    assert "republican" in profile.words
