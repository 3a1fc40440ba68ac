"""Cue classes from the cue's predicate, and contents that name a topic (no stance, no claim)."""

from __future__ import annotations

import pytest

from storyline.analyze.attribution.cues import cue_class_of, predicate_words
from storyline.model import Analysis
from storyline.story.sources import can_claim, states_something
from tests.conftest import run_pipeline


def _cue(doc, text: str):
    start = doc.text.index(text)
    span = doc.char_span(start, start + len(text))
    assert span is not None
    return span


@pytest.mark.parametrize(
    ("text", "cue", "expected"),
    [
        ("Putin abandons caution on North Korea in pursuit of victory.", "abandons caution on", "other"),
        ("The senator made the pledge that taxes would fall.", "made the pledge", "intend"),
        ("The ministry was casting doubt on the report.", "casting doubt on", "believe"),
        ("Lawyers filed legal papers opposing the unsealing.", "filed legal papers opposing", "oppose"),
    ],
)
def test_the_class_comes_from_the_cue_predicate_not_the_noun_it_governs(nlp, text, cue, expected):
    doc = nlp(text)
    span = _cue(doc, cue)
    assert cue_class_of(span, span.root) == expected, [(t.text, t.pos_, t.dep_) for t in span]


def test_predicate_words_leave_out_the_object_noun(nlp):
    span = _cue(nlp("Putin abandons caution on North Korea."), "abandons caution on")
    assert [t.text for t in predicate_words(span, span.root)] == ["abandons", "on"]


def test_a_headline_whose_verb_is_no_cue_is_no_statement(nlp):
    doc = run_pipeline(nlp, "Putin Abandons Caution on North Korea in Pursuit of Victory in Ukraine")
    assert [(s.cue.text if s.cue else None, s.cue_class) for s in doc._.statements] == []


def _only(doc, cue: str):
    found = [s for s in doc._.statements if s.cue is not None and s.cue.text == cue]
    assert len(found) == 1, [(s.cue.text if s.cue else None, s.content.text) for s in doc._.statements]
    return found[0]


def test_the_question_responded_to_is_a_topic_without_stance_or_claim(nlp):
    doc = run_pipeline(nlp, "Putin responded to an American journalist’s question regarding satellite images "
                            "that purportedly support the deployment of North Korean troops to Russia.")
    s = _only(doc, "responded to")
    assert s.content.text.startswith("an American journalist’s question")
    assert (s.stance, s.stance_reason) == (None, "question")
    assert not states_something(s) and not can_claim(s, Analysis(doc_id="d", entities=doc._.entities))


def test_an_indirect_question_is_a_topic(nlp):
    doc = run_pipeline(nlp, "Michael Shear explains what the deepening relationship between Russia and North Korea "
                            "means for the war in Ukraine.")
    s = _only(doc, "explains")
    assert (s.stance, s.stance_reason) == (None, "what")


def test_a_clause_and_a_direct_object_keep_their_stance(nlp):
    doc = run_pipeline(nlp, "Lloyd Austin said North Korean troops were in Russia. "
                            "The United States reiterated North Korea’s involvement.")
    assert _only(doc, "said").stance == "affirm"
    assert _only(doc, "reiterated").stance == "affirm"


def _topic(nlp, text: str, cue: str, content: str, cue_class: str = "assert"):
    from storyline.analyze.attribution.topics import topic_words
    from storyline.model import Statement, TextSpan

    doc = nlp(text)
    c, t = _cue(doc, cue), _cue(doc, content)
    statement = Statement(start=0, end=len(text), text=text, speaker=None, cue=TextSpan(c.start_char, c.end_char, cue),
                          content=TextSpan(t.start_char, t.end_char, content), kind="indirect", cue_class=cue_class)
    return topic_words(doc, statement, (c.start, c.end), (t.start, t.end))


def test_a_verb_s_preposition_governs_a_topic_a_noun_s_its_claim(nlp):
    assert _topic(nlp, "She spoke about her deep ties to black churches.", "spoke about",
                  "her deep ties to black churches") == "ties"
    assert _topic(nlp, "The report cited claims of sexual abuse in the Central African Republic.", "claims of",
                  "sexual abuse in the Central African Republic") is None


def test_what_someone_was_asked_about_is_a_topic_and_what_they_were_asked_to_do_is_not(nlp):
    doc = run_pipeline(nlp, "NBC News’ Keir Simmons asked Russian President Vladimir Putin about his rumored "
                            "conversations with former President Trump.")
    s = _only(doc, "asked")
    assert (s.stance, s.stance_reason) == (None, "conversations")
    assert _topic(nlp, "Lawyers asked the court to block the law.", "asked", "the court to block the law",
                  cue_class="ask") is None
