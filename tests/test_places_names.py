"""Place-name keys, division names and adjective stems (no gazetteer needed)."""

from __future__ import annotations

import pytest

from storyline.analyze.places.names import adjective_stems, base_name, division_names, key


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("U.S.", "us"),
        ("N.Y.", "ny"),
        ("St. Marys River", "saint marys river"),
        ("Saint Mary’s River", "saint marys river"),
        ("Kabardino-Balkaria", "kabardino balkaria"),
        ("Kazań", "kazan"),
        ("  Fort   Worth ", "fort worth"),
        ("Ft. Worth", "fort worth"),
    ],
)
def test_key_folds_case_accents_punctuation_and_abbreviations(written, expected):
    assert key(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Rapides Parish", "Rapides"),
        ("Republic of Tatarstan", "Tatarstan"),
        ("County of Oxfordshire", "Oxfordshire"),
        ("Kurskaya oblast'", "Kurskaya"),
        ("Darfur Wilayat", "Darfur"),
        ("Kazan", "Kazan"),
    ],
)
def test_base_name_drops_the_division_word(written, expected):
    assert base_name(written) == expected


def test_division_names_give_the_forms_news_uses():
    forms = division_names("Kursk", "administrative region")
    assert {"Kursk", "Kursk Oblast", "Kursk Region", "Kursk Province"} <= forms
    assert {"Respublika Tatarstan", "Tatarstan", "Republic of Tatarstan"} <= division_names("Tatarstan, Respublika", "Republic")


@pytest.mark.parametrize(
    ("adjective", "place"),
    [("Georgian", "Georgia"), ("Dagestani", "Dagestan"), ("Sudanese", "Sudan"), ("Lebanese", "Lebanon"),
     ("Israeli", "Israel"), ("Egyptian", "Egypt"), ("Ontarians", "Ontario"), ("Palestinian", "Palestine"),
     ("Turkish", "Turkey"), ("Americans", "America")],
)
def test_adjective_stems_reach_the_place(adjective, place):
    assert place in adjective_stems(adjective)
