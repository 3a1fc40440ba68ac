"""Named days come from the outlet country's calendar (the holidays package)."""

from __future__ import annotations

from datetime import date

from storyline.analyze.times.holidays import holiday_date


def test_independence_day_is_the_outlets_countrys():
    assert holiday_date("independence day", 2024, "US") == date(2024, 7, 4)
    assert holiday_date("independence day", 2024, "IN") == date(2024, 8, 15)
    assert holiday_date("independence day", 2024, None) == date(2024, 7, 4)  # no outlet country: American
    assert holiday_date("independence day", 2024, "KR") is None  # Korea has no day of that name


def test_calendar_and_feasts():
    assert holiday_date("thanksgiving", 2024, "US") == date(2024, 11, 28)
    assert holiday_date("christmas", 2024, "RU") == date(2024, 1, 7)  # Orthodox Christmas is Russia's public holiday
    assert holiday_date("christmas eve", 2024, "KR") == date(2024, 12, 24)
    assert holiday_date("memorial day", 2024, "KR") == date(2024, 6, 6)
    assert holiday_date("election day", 2024, "US") == date(2024, 11, 5)


def test_the_outlet_country_reaches_the_time_tagger(nlp):
    text = "The parade was held on Independence Day, officials said."
    values = {}
    for country in ("US", "IN"):
        doc = nlp.make_doc(text)
        doc._.doc_id, doc._.published, doc._.outlet_country = "t", "2024-10-26T09:00:00+00:00", country
        doc = nlp(doc)
        values[country] = [t.value for t in doc._.times]
    assert values == {"US": ["2024-07-04"], "IN": ["2024-08-15"]}
