"""Figures: numbers with what they count."""

from __future__ import annotations

import pytest

from storyline.analyze.figures import parse_number
from tests.conftest import run_pipeline


@pytest.mark.parametrize(
    "words, value",
    [(["12,000"], 12000), (["1.5", "million"], 1_500_000), (["twenty", "five", "thousand"], 25000),
     (["a", "dozen"], 12), (["three"], 3), (["two", "hundred", "and", "five"], 205), (["troops"], None)],
)
def test_parse_number(words, value):
    assert parse_number(words) == value


def figures(nlp, text):
    return [(f.text, f.value, f.unit, f.approximate) for f in run_pipeline(nlp, text)._.figures]


def test_counted_things_and_approximation(nlp):
    assert figures(nlp, "Some of the approximately 12,000 troops, including three generals and 500 officers, arrived.") == [
        ("approximately 12,000 troops", 12000, "troops", True),
        ("three generals", 3, "generals", False),
        ("500 officers", 500, "officers", False),
    ]


def test_money_percent_and_vague_quantities(nlp):
    found = figures(nlp, "Thousands of soldiers died and the budget grew by 12% to $2.3 billion.")
    assert ("Thousands of soldiers", 1000, "soldiers", True) in found
    assert ("12%", 12, "percent", False) in found
    assert ("$2.3 billion", 2_300_000_000, "USD", False) in found


def test_dates_and_names_are_not_figures(nlp):
    found = figures(nlp, "In 2023, Article 4 of the treaty took effect on May 5, and 25 people died.")
    assert found == [("25 people", 25, "people", False)]
