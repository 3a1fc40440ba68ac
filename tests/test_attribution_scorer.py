"""The attribution scorer on tiny fixtures."""

import pytest

from storyline.eval.attribution import Counts, Prediction, score_article, score_corpus
from storyline.eval.brat import BratAttribution, BratSpan

TEXT = "Smith said that taxes rise. He added that costs fall."


def span(text: str, needle: str, after: int = 0) -> BratSpan:
    start = TEXT.index(needle, after)
    return BratSpan(((start, start + len(needle)),), needle)


GOLD = [
    BratAttribution(span(TEXT, "said"), span(TEXT, "Smith"), span(TEXT, "that taxes rise")),
    BratAttribution(span(TEXT, "added"), span(TEXT, "He"), span(TEXT, "that costs fall")),
]


def test_perfect_prediction_scores_100():
    scores = score_article(TEXT, GOLD, [Prediction(a, None) for a in GOLD])
    for element in ("source", "cue", "content"):
        assert scores.exact[element].f1 == 1.0
        assert scores.overlap[element].f1 == 1.0
    assert scores.linked.f1 == 1.0


def test_partial_content_is_token_overlap_not_exact():
    pred = [
        Prediction(BratAttribution(span(TEXT, "said"), span(TEXT, "Smith"), span(TEXT, "taxes rise")), None),
    ]
    scores = score_article(TEXT, GOLD, pred)
    assert scores.exact["content"] == Counts(0, 1, 2)
    # 2 of the predicted tokens overlap; gold has 3 + 3 tokens
    assert scores.overlap["content"] == Counts(2, 2, 6)
    assert scores.linked == Counts(1, 1, 2)
    assert scores.exact["cue"].precision == 1.0 and scores.exact["cue"].recall == 0.5


def test_linked_needs_source_to_overlap():
    pred = [Prediction(BratAttribution(span(TEXT, "said"), None, span(TEXT, "that taxes rise")), None)]
    assert score_article(TEXT, GOLD, pred).linked.tp == 0


def test_pronoun_speaker_resolution():
    pred = [Prediction(a, name) for a, name in zip(GOLD, ["Smith", "John Smith"])]
    scores = score_article(TEXT, GOLD, pred)
    assert scores.pronoun == Counts(1, 1, 1)
    wrong = [Prediction(a, name) for a, name in zip(GOLD, ["Smith", "Jones"])]
    assert score_article(TEXT, GOLD, wrong).pronoun.tp == 0


def test_annotators_are_averaged_per_article():
    half = GOLD[:1]
    scores = score_corpus([(TEXT, [GOLD, half], [Prediction(a, None) for a in GOLD])])
    assert scores.exact["cue"].gold == pytest.approx(1.5)
    assert scores.exact["cue"].tp == pytest.approx(1.5)
    assert scores.exact["cue"].predicted == pytest.approx(2.0)
    assert scores.articles == 1


def test_annotator_agreement(tmp_path):
    from storyline.eval.attribution import annotator_agreement

    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    full = "T1\tSource 0 5\tSmith\nT2\tCue 6 10\tsaid\nT3\tContent 11 26\tthat taxes rise\nE1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n"
    (tmp_path / "attributions" / "a_aaaa.ann").write_text(full, encoding="utf-8")
    (tmp_path / "attributions" / "a_bbbb.ann").write_text(full.replace("11 26", "16 26"), encoding="utf-8")
    scores = annotator_agreement(tmp_path)
    assert scores.exact["cue"].f1 == 1.0 and scores.exact["source"].f1 == 1.0
    assert scores.exact["content"].f1 == 0.0 and scores.linked.f1 == 1.0
