"""FNC-1 scoring and macro-F1 on hand-computed cases."""

from __future__ import annotations

import pytest

from storyline.eval.stance import pair_score, score


def test_pair_score_follows_the_official_scorer():
    assert pair_score("agree", "agree") == 1.0
    assert pair_score("disagree", "discuss") == 0.25  # related/unrelated right, stance wrong
    assert pair_score("discuss", "unrelated") == 0.0
    assert pair_score("unrelated", "unrelated") == 0.25
    assert pair_score("unrelated", "agree") == 0.0


def test_score_by_hand():
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated", "agree"]
    predicted = ["agree", "discuss", "unrelated", "unrelated", "agree", "disagree"]
    s = score(gold, predicted)
    # 1 + 0.25 + 0 + 0.25 + 0 + 0.25 of a maximum 1 + 1 + 1 + 0.25 + 0.25 + 1.
    assert s.score == pytest.approx(1.75) and s.max_score == pytest.approx(4.5)
    assert s.fnc == pytest.approx(100 * 1.75 / 4.5)
    # agree: 1 right of 2 gold and 2 predicted; unrelated: 1 of 2 gold and 2 predicted.
    assert s.f1("agree") == pytest.approx(0.5)
    assert s.f1("disagree") == 0 and s.f1("discuss") == 0
    assert s.f1("unrelated") == pytest.approx(0.5)
    assert s.macro_f1 == pytest.approx((0.5 + 0.5) / 4)
    assert s.confusion.tolist() == [[1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 1]]
    table = s.table()
    assert "FNC-1 score  38.89" in table and "macro-F1     25.00" in table


def test_perfect_and_all_unrelated():
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated"]
    assert score(gold, gold).fnc == 100 and score(gold, gold).macro_f1 == 1
    # All-unrelated earns only the unrelated pairs' 0.25 each: 0.5 of 3.5.
    assert score(gold, ["unrelated"] * 5).fnc == pytest.approx(100 * 0.5 / 3.5)
    # A class with neither gold nor predicted pairs counts as F1 0 in the mean.
    assert score(gold[:1], gold[:1]).macro_f1 == 0.25


def test_lengths_must_match():
    with pytest.raises(ValueError):
        score(["agree"], [])
