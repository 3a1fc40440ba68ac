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


def about(nlp, text, published=None):
    return [(f.text, f.value, f.about, f.qualifier) for f in run_pipeline(nlp, text, published)._.figures]


def test_what_is_counted_in_full(nlp):
    assert about(nlp, "Reports say up to 12,000 North Korean troops are training in Russia.") == [
        ("up to 12,000 North Korean troops", 12000, "North Korean troops", "up to")
    ]
    found = about(nlp, "Some of the approximately 12,000 troops sent from North Korea, including three generals, arrived.")
    assert found[0] == ("approximately 12,000 troops", 12000, "troops from North Korea", "about")


def test_a_bare_noun_takes_its_senders_origin(nlp):
    assert about(nlp, "North Korea has sent 3,000 troops to Russia.") == [("3,000 troops", 3000, "troops from North Korea", "exact")]


def test_increments_and_headline_forms(nlp):
    assert about(nlp, "North Korea Sent 1,500 More Troops to Russia, South Korea’s Spy Agency Tells Lawmakers")[0][2] == "more troops from North Korea"
    assert about(nlp, "Ukraine Says Russia To Deploy 10K North Korean Troops") == [("10K North Korean Troops", 10000, "North Korean troops", "exact")]


@pytest.mark.parametrize(
    "text, qualifier",
    [("As many as 500 soldiers died.", "up to"), ("More than 500 soldiers died.", "more than"), ("Over 500 soldiers died.", "more than"),
     ("At least 500 soldiers died.", "at least"), ("Fewer than 500 soldiers died.", "less than"), ("Around 500 soldiers died.", "about"),
     ("Thousands of soldiers died.", "at least"), ("500 soldiers died.", "exact")],
)
def test_qualifiers(nlp, text, qualifier):
    assert about(nlp, text)[0][3] == qualifier


def test_number_words_and_dollars(nlp):
    assert about(nlp, "Twenty-five thousand jobs went.")[0][1] == 25000
    doc = nlp.make_doc("The deal is worth $2 billion and A$1 billion.")
    doc._.doc_id, doc._.outlet_country = "x", "AU"
    assert [f.unit for f in nlp(doc)._.figures] == ["AUD", "AUD"]
    doc = nlp.make_doc("The deal is worth $2 billion and A$1 billion.")
    doc._.doc_id, doc._.outlet_country = "x", "KR"
    assert [f.unit for f in nlp(doc)._.figures] == ["USD", "AUD"]
