"""The story clustering's second look at a batch's one-document stories (docs/stories.md, "Eighth round")."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pytest

from storyline.model import Analysis, Document
from storyline.store import Store, open_store
from storyline.story import clustering
from storyline.story.claims import Claims
from storyline.story.engine import StoryEngine
from storyline.story.text import normalised

# Read in this order, the first report shares no word with the second and starts a story of its own;
# the third and fourth join the second's story, which then holds the first report's words too.
REPORTS = (
    "Volcanic ash from the Merapi eruption grounded flights at Yogyakarta airport on Friday.",
    "Evacuation shelters near the volcano filled as pyroclastic flows reached crater villages.",
    "Pyroclastic flows from Merapi reached crater villages and evacuation shelters filled; ash grounded flights.",
    "Merapi evacuation shelters filled as pyroclastic flows and ash reached crater villages near Yogyakarta.",
)


def _batch(store_location: str, dated: bool) -> tuple[dict[str, str], dict[str, str], int]:
    """Store the reports, place them as a batch; (document → story, alias → story, joined on the second look)."""
    store = open_store(store_location)
    published = datetime(2010, 11, 5, tzinfo=timezone.utc) if dated else None
    for n, text in enumerate(REPORTS):
        document = Document(text=text, id=f"r{n}", body=[(0, len(text))], published=published)
        store.save(document, Analysis(doc_id=document.id))
    engine = StoryEngine(store)
    for doc_id in (f"r{n}" for n in range(len(REPORTS))):  # one by one, as ingest places them
        engine.place(store.document(doc_id), store.analysis(doc_id))
    before = dict(store.sql.rows("SELECT doc_id, story_id FROM story_documents"))
    joined = engine.second_look()
    stories = dict(store.sql.rows("SELECT doc_id, story_id FROM story_documents"))
    aliases = dict(store.sql.rows("SELECT old_id, story_id FROM story_aliases"))
    assert before["r0"] != before["r1"] == before["r2"] == before["r3"]  # as placed one by one
    return stories, {old: new for old, new in aliases.items() if old == before["r0"]}, joined


def test_an_undated_report_that_started_a_story_joins_the_story_that_grew_after_it(store_location):
    stories, aliases, joined = _batch(store_location, dated=False)
    assert joined == 1 and len(set(stories.values())) == 1
    assert list(aliases.values()) == [stories["r1"]]  # the one-document story's id resolves to the story it joined


def test_the_second_look_can_be_turned_off(store_location, monkeypatch):
    monkeypatch.setattr(clustering, "SECOND_LOOK", False)
    stories, aliases, joined = _batch(store_location, dated=False)
    assert joined == 0 and stories["r0"] != stories["r1"] and not aliases


def test_a_dated_report_stays_where_publication_order_placed_it(store_location):
    stories, aliases, joined = _batch(store_location, dated=True)
    assert joined == 0 and stories["r0"] != stories["r1"] and not aliases


@pytest.mark.parametrize("store_location", ["sqlite"], indirect=True)
def test_a_batch_ends_with_the_second_look(store_location):
    """Ingest's last catch-up (and a rebuild) gives the batch's stories their second look."""
    store = open_store(store_location)
    for n, text in enumerate(REPORTS):
        store.save(Document(text=text, id=f"r{n}", body=[(0, len(text))]), Analysis(doc_id=f"r{n}"))
    assert StoryEngine(store).rebuild() == len(REPORTS)
    assert len({r[0] for r in store.sql.rows("SELECT story_id FROM story_documents")}) == 1


def _stored_and_placed(store: Store) -> StoryEngine:
    """The undated reports stored and placed one by one, as ingest does, without the batch's end."""
    engine = StoryEngine(store)
    for n, text in enumerate(REPORTS):
        document = Document(text=text, id=f"r{n}", body=[(0, len(text))])
        store.save(document, Analysis(doc_id=document.id))
        engine.place(store.document(document.id), store.analysis(document.id))
    return engine


def test_an_interrupted_batch_leaves_its_second_look_to_the_next_run(store_location):
    """The stories a batch founded are kept in the store: a run killed before its end (placed, no
    second look) leaves them to the next run's first catch-up, which a new engine performs."""
    store = open_store(store_location)
    engine = _stored_and_placed(store)
    assert len({r[0] for r in store.sql.rows("SELECT story_id FROM story_documents")}) == 2
    del engine  # the run ends here, without its catch-up
    assert StoryEngine(open_store(store_location)).catch_up() == 0  # nothing left to place …
    assert len({r[0] for r in store.sql.rows("SELECT story_id FROM story_documents")}) == 1  # … but the look is taken
    assert store.sql.rows("SELECT count(*) FROM story_founded") == [(0,)]


def test_a_story_that_absorbs_several_has_its_claims_folded_once_and_an_interrupted_look_is_taken_again(
        store_location, monkeypatch):
    """Two of a batch's one-document stories join one story on the second look: its claims are folded
    once, after both joined, not after each. The look is one transaction: when it fails part way, the
    stories it was to look at are still there for the next run's look."""
    store = open_store(store_location)
    engine = _stored_and_placed(store)
    founded = [r[0] for r in store.sql.rows("SELECT story_id FROM story_founded ORDER BY n")]
    assert len(founded) == 2  # r0's story and r1's
    folded: list[str] = []
    monkeypatch.setattr(engine.stories, "second_look", lambda story_id: "survivor")

    def failing(story_id: str) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(engine.claims, "merge_claims", failing)
    with pytest.raises(RuntimeError):
        engine.second_look()
    assert [r[0] for r in store.sql.rows("SELECT story_id FROM story_founded ORDER BY n")] == founded
    monkeypatch.setattr(engine.claims, "merge_claims", folded.append)
    assert engine.second_look() == 2
    assert folded == ["survivor"]
    assert store.sql.rows("SELECT count(*) FROM story_founded") == [(0,)]


def _placed_in_read_order(store_location: str, dated: bool, earlier: bool = False) -> dict[str, str]:
    """Profiles made by hand, placed in this order: three reports of event A (words a, x), then one
    (X) that shares x with them and b, c with event B's reports, which come after it. Read first, X
    joins A's story (the only one there is); B's reports start their own. Returns document → story
    after the batch's refinement (docs/stories.md, "Ninth round")."""
    store = open_store(store_location)
    published = datetime(2010, 11, 5, tzinfo=timezone.utc) if dated else None
    words = [{"a": 1.0, "x": 1.0}] * 3 + [{"x": 1.0, "b": 1.0, "c": 1.0}] + [{"b": 1.0, "c": 1.0, "d": 1.0}] * 3
    engine = StoryEngine(store)
    for n, vector in enumerate(words):
        text = " ".join(vector)
        store.save(Document(text=text, id=f"r{n}", body=[(0, len(text))], published=published),
                   Analysis(doc_id=f"r{n}"))
        with engine.db.exclusive():
            engine.stories.assign(clustering.Profile(f"r{n}", published.date().isoformat() if published else None,
                                                     text, normalised(vector), {}))
        if earlier and n == 3:  # X came in an earlier batch: it is not this batch's to move
            engine.refine()
    placed = dict(store.sql.rows("SELECT doc_id, story_id FROM story_documents"))
    assert placed["r3"] == placed["r0"] != placed["r4"] == placed["r5"]  # X with A, as placed one by one
    engine.refine()
    return dict(store.sql.rows("SELECT doc_id, story_id FROM story_documents"))


def test_refinement_moves_an_undated_report_to_the_story_that_fits_it_now(store_location, monkeypatch):
    monkeypatch.setattr(clustering, "REFINE", True)
    before = _placed_in_read_order(store_location, dated=False)
    assert before["r3"] == before["r4"] != before["r0"]  # X left A's story for B's
    assert len(set(before.values())) == 2  # no story came or went: A's keeps its id


def test_refinement_leaves_a_dated_report_where_publication_order_placed_it(store_location, monkeypatch):
    monkeypatch.setattr(clustering, "REFINE", True)
    stories = _placed_in_read_order(store_location, dated=True)
    assert stories["r3"] == stories["r0"]


def test_refinement_leaves_an_earlier_batch_where_it_was(store_location, monkeypatch):
    monkeypatch.setattr(clustering, "REFINE", True)
    stories = _placed_in_read_order(store_location, dated=False, earlier=True)
    assert stories["r3"] == stories["r0"]


def test_a_claim_named_after_a_statement_that_moves_away_takes_the_name_of_one_that_stays(store_location):
    """A document placed again takes its statements out of their claims (``Claims.unlink``): a claim
    its statement founded, and another document's statement joined, stays with a new id (the old
    id is a foreign key of the statements); the moving statement can found a claim of the old id."""
    store = open_store(store_location)
    for doc_id in ("d1", "d2"):
        store.save(Document(text="x", id=doc_id, body=[(0, 1)]), Analysis(doc_id=doc_id))
    db = store.sql
    named = {s: "c" + hashlib.sha256(s.encode()).hexdigest()[:15] for s in ("s1", "s2")}
    with db.exclusive():
        db.execute("INSERT INTO stories (id, title, documents) VALUES ('t', 't', 2)")
        db.execute("INSERT INTO claims (id, story_id, text, statement_id, features, contested, statements) "
                   "VALUES ({p}, 't', 'x', 's1', '{{\"a\": 2.0}}', 0, 2)", [named["s1"]])
        for statement_id, doc_id in (("s1", "d1"), ("s2", "d2")):
            db.execute("INSERT INTO claim_statements (statement_id, claim_id, doc_id, stance, similarity, independent) "
                       "VALUES ({p}, {p}, {p}, 'affirm', 1.0, 1)", [statement_id, named["s1"], doc_id])
        Claims(db).unlink("d1", Analysis(doc_id="d1"), {})
    assert dict(db.rows("SELECT statement_id, claim_id FROM claim_statements")) == {"s2": named["s2"]}
    assert [tuple(r) for r in db.rows("SELECT id, statements FROM claims")] == [(named["s2"], 1)]
