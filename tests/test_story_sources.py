"""Which statements can stand in a claim's matrix (storyline.story.sources)."""

from __future__ import annotations

import pytest

from storyline.model import Analysis, Entity, Speaker, Statement, TextSpan
from storyline.story.sources import build, can_claim, head_word, in_timeline, is_agent, source_heads, states_something


def statement(text: str, speaker: str, cue: str, content: str, cue_class: str = "assert", kind: str = "indirect",
              entity: Entity | None = None) -> tuple[Statement, Analysis]:
    """A statement over ``text`` whose parts are the first occurrences of the given strings."""
    def span(part: str) -> TextSpan:
        start = text.index(part)
        return TextSpan(start, start + len(part), part)

    who = span(speaker)
    s = Statement(
        start=0, end=len(text), text=text,
        speaker=Speaker(who.start, who.end, who.text, name=entity.canonical if entity else speaker,
                        entity_id=entity.id if entity else None),
        cue=span(cue), content=span(content), kind=kind, cue_class=cue_class,  # type: ignore[arg-type]
    )
    return s, Analysis(doc_id="d", entities=[entity] if entity else [])


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("South Korea's intelligence agency", "agency"),
        ("Authorities in Seoul", "Authorities"),
        ("an ever-deepening military alliance with Pyongyang", "alliance"),
        ("the U.S. officials", "officials"),
        ("NBC News’", "News"),
    ],
)
def test_head_word(text, head):
    assert head_word(text) == head


def test_the_shipped_heads_hold_news_sources_not_events():
    heads = source_heads()
    assert {"officials", "experts", "report", "analysis", "video"} <= heads
    assert not {"deployment", "alliance", "invasion"} & heads


def test_an_event_noun_is_no_speaker():
    s, a = statement("The flooding suggests drainage failed.", "The flooding", "suggests", "drainage failed")
    assert not is_agent(s, None) and not can_claim(s, a)


def test_officials_and_reports_are_speakers():
    s, a = statement("Local officials said drainage failed.", "Local officials", "said", "drainage failed")
    assert can_claim(s, a)
    s, a = statement("Earlier reports said drainage failed.", "Earlier reports", "said", "drainage failed")
    assert can_claim(s, a)


def test_a_named_entity_is_a_speaker_whatever_its_head():
    city = Entity(id="e1", canonical="Lyon", type="GPE")
    s, a = statement("Lyon says drainage failed.", "Lyon", "says", "drainage failed", entity=city)
    assert can_claim(s, a)


def test_an_unresolved_pronoun_is_no_speaker():
    s, a = statement("It said drainage failed.", "It", "said", "drainage failed")
    assert not can_claim(s, a)


def test_a_backing_is_no_statement():
    s, a = statement("Farmers are supporting the mayor.", "Farmers", "supporting", "the mayor", cue_class="support")
    assert not states_something(s) and not can_claim(s, a)


def test_a_cue_of_no_class_needs_a_clause_or_a_quotation():
    s, a = statement("The council's decision to close the road angered drivers.", "The council", "decision",
                     "to close the road angered drivers", cue_class="other")
    assert not states_something(s)
    s, a = statement("The engineer speculated that drainage failed.", "The engineer", "speculated",
                     "that drainage failed", cue_class="other")
    assert states_something(s) and can_claim(s, a)


def test_build_counts_heads_of_gold_sources(tmp_path):
    (tmp_path / "attributions").mkdir()
    lines = []
    for k, source in enumerate(["officials", "the official", "a spokesman", "he", "the deployment"]):
        t = 4 * k
        lines += [f"T{t + 1}\tSource 0 {len(source)}\t{source}", f"T{t + 2}\tCue 0 4\tsaid",
                  f"T{t + 3}\tContent 0 4\tthat", f"T{t + 4}\tAttribution 0 4\tsaid",
                  f"E{k + 1}\tAttribution:T{t + 4} Content:T{t + 3} Cue:T{t + 2} Source:T{t + 1}"]
    (tmp_path / "attributions" / "a.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "attributions" / "b.ann").write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")
    heads = build(tmp_path)
    assert "official" in heads and "officials" in heads  # "officials" counts for "official" too
    assert "spokesman" not in heads  # seen once
    assert "he" not in heads


def test_the_timeline_keeps_unattributed_reports_but_not_backings_or_things():
    s, _ = statement("Reports say drainage failed.", "Reports", "say", "drainage failed")
    s.speaker = None
    assert in_timeline(s, None)
    s, _ = statement("Farmers are supporting the mayor.", "Farmers", "supporting", "the mayor", cue_class="support")
    assert not in_timeline(s, None)
    s, _ = statement("The flooding suggests drainage failed.", "The flooding", "suggests", "drainage failed")
    assert not in_timeline(s, None)


def test_a_topic_the_statement_step_marked_enters_no_claim_nor_the_timeline():
    s, a = statement("Putin responded to a journalist's question.", "Putin", "responded to", "a journalist's question",
                     entity=Entity(id="e1", canonical="Vladimir Putin", type="PERSON"))
    assert can_claim(s, a)  # a statement stored before stances: no stance, no reason
    s.stance, s.stance_reason = None, "question"
    assert not states_something(s) and not can_claim(s, a) and not in_timeline(s, "PERSON")
