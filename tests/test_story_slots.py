"""Event slots in the story clustering: the month a lead dates its event in and the numbers it gives
keep two reports of two same-kind events apart, and bring two reports of one event together."""

from __future__ import annotations

from storyline.model import Analysis, Document, Figure, TimeExpression
from storyline.store import open_store
from storyline.story.clustering import Profile, Stories
from storyline.story.slots import LEAD_CHARS, figure_evidence, month_evidence, slots


def test_slots_are_the_months_of_the_lead_and_the_counted_values():
    text = "Quake hits. " + "x" * LEAD_CHARS + " It was the strongest since March 2004."
    analysis = Analysis(doc_id="d", times=[
        TimeExpression(0, 6, "Dec. 9", value="XXXX-12-09", type="DATE", granularity="day"),
        TimeExpression(0, 4, "2008", value="2008", type="DATE", granularity="year"),  # a year: no month
        TimeExpression(0, 7, "3 weeks", value="P3W", type="DURATION"),
        TimeExpression(len(text) - 11, len(text) - 1, "March 2004", value="2004-03", type="DATE"),  # past the lead
    ], figures=[
        Figure(0, 9, "125 seats", value=125.0, about="parliament seats"),
        Figure(0, 8, "one seat", value=1.0, about="seat"),  # 1 and 0 are said of anything
        Figure(0, 4, "2004", value=2004.0, about="year"),
        Figure(0, 12, "about 40 dead", value=40.0, about="dead", qualifier="about"),
    ])
    document = Document(text=text, id="d", body=[(0, len(text))])
    assert slots(document, analysis) == {"m": 1.0, "m:12": 1.0, "f:seat": 1.0, "f:seat|125": 1.0}


def test_slot_evidence_is_a_mean_over_the_members_that_fill_the_slot():
    story = {"m": 3.0, "m:12": 2.0, "m:09": 1.0, "f:seat": 2.0, "f:seat|125": 2.0, "f:vote": 1.0, "f:vote|90": 1.0}
    assert month_evidence({"m": 1.0, "m:12": 1.0}, story) == (2 * 2 - 3) / 3
    assert month_evidence({"m": 1.0, "m:05": 1.0}, story) == -1.0
    assert month_evidence({}, story) == 0.0  # a document that dates nothing says nothing
    assert figure_evidence({"f:seat": 1.0, "f:seat|300": 1.0, "f:vote": 1.0, "f:vote|90": 1.0}, story) == 1.0
    assert figure_evidence({"f:seat": 1.0, "f:seat|300": 1.0}, story) == -1.0
    assert figure_evidence({"f:dead": 1.0, "f:dead|4": 1.0}, story) == 0.0  # a noun the story never counts


def test_same_kind_events_fall_apart_and_one_event_comes_together(tmp_path):
    store = open_store(tmp_path / "s.db")
    for doc_id in "abcde":
        store.save(Document(text="A quake.", id=doc_id, body=[(0, 8)]), Analysis(doc_id=doc_id))
    stories = Stories(store.sql)
    december = {"m": 1.0, "m:12": 1.0, "f:seat": 1.0, "f:seat|125": 1.0}
    september = {"m": 1.0, "m:09": 1.0, "f:seat": 1.0, "f:seat|300": 1.0}
    # Word cosine 0.36 between any two: above the join threshold (0.3) on words alone.
    first, _, _ = stories.assign(Profile("a", None, None, {"quake": 0.6, "island": 0.8}, {}, december))
    other, _, _ = stories.assign(Profile("b", None, None, {"quake": 0.6, "coast": 0.8}, {}, september))
    assert other != first  # another month, another count: another event
    same, score, _ = stories.assign(Profile("c", None, None, {"quake": 0.6, "harbour": 0.8}, {}, dict(december)))
    assert same == first and score > 0.5
    # A dated report is placed in time by the decay: the months of its lead (those of all the news of
    # its days, once "on Tuesday" is resolved) neither pull it in nor push it out.
    dated, _, _ = stories.assign(Profile("d", "2024-10-15", None, {"quake": 0.45, "valley": 0.893}, {},
                                         {"m": 1.0, "m:10": 1.0}))
    assert dated == first
    # Nor do its figures: a developing story's counts change from report to report (1,500 troops, then 3,000).
    # (Word cosine 0.35 with the story: it joins on words alone, and would not at 0.35 − 0.1.)
    grown, _, _ = stories.assign(Profile("e", "2024-10-15", None, {"quake": 0.465, "meadow": 0.885}, {},
                                         {"f:seat": 1.0, "f:seat|300": 1.0}))
    assert grown == first
