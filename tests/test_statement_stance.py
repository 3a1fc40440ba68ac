"""Stance of a statement toward its content: polarity and modality read off the parse."""

from __future__ import annotations

import json

import pytest

from tests.conftest import GOLD, run_pipeline


@pytest.mark.parametrize(
    "text, stance, reason",
    [
        ("Putin does not deny presence of North Korean troops in Russia", "hedge", "does not deny"),
        ("Putin also refused to confirm or deny reports that North Korea had deployed troops to Russia.", "hedge", "refused to confirm or deny"),
        ("The possibility that North Korean personnel are deployed in Russia cannot be ruled out, experts say.", "hedge", "cannot be ruled out"),
        ("South Korea's defense minister said it was highly likely that North Korean soldiers were killed.", "affirm", "highly likely"),
        ("At BRICS, Putin Appears to Say That North Korean Troops Are in Russia", "hedge", "Appears"),
        ("Peskov dismissed reports that North Korean troops were fighting in Ukraine.", "deny", "dismissed"),
        ("Zakharova said there were no North Korean troops in Russia.", "deny", "no"),
        ("The official said North Korea may have sent troops to Russia.", "hedge", "may"),
        ("Russia rejected the report as fake.", "deny", "rejected … fake"),
        ("He said North Korea had sent 3,000 troops.", "affirm", None),
        ("She does not think North Korea sent troops.", "deny", "does not think"),
        ("He asked whether North Korean troops were in Russia.", "hedge", "asked"),
        ("“We have never doubted in the least that the North Korean leadership takes our agreements seriously,” Putin said.", "affirm", "never doubted"),
    ],
)
def test_stance(nlp, text, stance, reason):
    statements = run_pipeline(nlp, text)._.statements
    assert statements, text
    assert (statements[0].stance, statements[0].stance_reason) == (stance, reason)


def test_the_cue_class_stays_what_kind_of_act(nlp):
    (statement,) = run_pipeline(nlp, "Putin does not deny presence of North Korean troops in Russia")._.statements
    assert statement.cue_class == "deny" and statement.stance == "hedge"


@pytest.mark.skipif(not GOLD.exists(), reason="needs ../shared/seed/gold.json")
def test_reference_claim_stances(reference_analysis, reference_document):
    """The reference's central claim: S7/S8 deny, S3 S9 S11 S13 S14 affirm, S5 hedges."""
    gold = {s["id"]: s for s in json.loads(GOLD.read_text(encoding="utf-8"))["statements"]}
    text = reference_document.text
    expected = {"S3": "affirm", "S5": "hedge", "S7": "deny", "S8": "deny", "S9": "affirm", "S11": "affirm", "S13": "affirm", "S14": "affirm"}
    for sid, stance in expected.items():
        content = gold[sid]["content"]
        start = text.find(content[:40])
        found = [s for s in reference_analysis.statements if s.content.start <= start + 5 and s.content.end >= start + len(content) - 10]
        assert found, sid
        assert found[0].stance == stance, (sid, found[0].content.text, found[0].stance_reason)


def test_labelled_statements_and_scorer(nlp):
    from pathlib import Path

    from storyline.eval.statement_stance import predict, read_gold, score

    records = read_gold(Path(__file__).parent / "fixtures" / "stance" / "polnear-train-statements.jsonl")
    assert len(records) == 140 and {r["split"] for r in records} == {"dev", "test"}
    for r in records:  # the spans lie in the paragraph
        assert all(0 <= a < b <= len(r["text"]) for a, b in r["cue"] + r["content"])
    perfect = score(records, [(r["stance"], None) for r in records])
    assert perfect.accuracy == 1.0 and perfect.as_dict()["macro F1"] == 100.0
    few = records[:12]
    measured = score(few, predict(nlp, few))
    assert len(measured.pairs) == 12 and 0.0 <= measured.accuracy <= 1.0
    assert score(records, [("deny", None)] * len(records)).per_class()["affirm"][1] == 0.0


def test_a_topic_statement_is_shown_as_a_topic_not_left_blank():
    from storyline.model import stance_label

    assert stance_label(None, "question") == "topic"  # no stance, a reason: its content is a topic
    assert stance_label("hedge", "does not deny") == "hedge"
    assert stance_label(None, None) == ""  # a record stored before stances
