"""Recognition and TIMEX3 normalisation of single expressions."""

from __future__ import annotations

import pytest
import spacy

from storyline.analyze.times import find_times
from storyline.analyze.times.lexicon import number, spoken_year
from storyline.analyze.times.values import Point, duration, granularity_of
from tests.conftest import MODEL

DCT = "1998-02-06T10:00:00+00:00"  # a Friday


@pytest.fixture(scope="module")
def parse():
    nlp = spacy.load(MODEL)
    return nlp


def times(parse, text: str, published: str | None = DCT):
    return [(t.text, t.type, t.value) for t in find_times(text, published, parse(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("It opened on Oct. 3, 1997.", ("Oct. 3, 1997", "DATE", "1997-10-03")),
        ("It opened on 3 October 1997.", ("3 October 1997", "DATE", "1997-10-03")),
        ("Sales fell in March 1996.", ("March 1996", "DATE", "1996-03")),
        ("The deal closed in 1994.", ("1994", "DATE", "1994")),
        ("Filed 11/02/89 in Seattle.", ("11/02/89", "DATE", "1989-11-02")),
        ("Prices doubled in the 1990s.", ("the 1990s", "DATE", "199")),
        ("A relic of the 11th century survives.", ("the 11th century", "DATE", "10")),
        ("They met yesterday.", ("yesterday", "DATE", "1998-02-05")),
        ("He arrives tomorrow morning.", ("tomorrow morning", "TIME", "1998-02-07TMO")),
        ("Profit rose last year.", ("last year", "DATE", "1997")),
        ("Talks resume next week.", ("next week", "DATE", "1998-W07")),
        ("Output fell last month.", ("last month", "DATE", "1998-01")),
        ("Net rose in the fourth quarter of 1997.", ("the fourth quarter of 1997", "DATE", "1997-Q4")),
        ("The plant closed two years ago.", ("two years ago", "DATE", "1996")),
        ("The strike lasted three weeks.", ("three weeks", "DURATION", "P3W")),
        ("It took about 18 months.", ("about 18 months", "DURATION", "P18M")),
        ("He signed a 10-year lease.", ("10-year", "DURATION", "P10Y")),
        ("The flight takes two and a half hours.", ("two and a half hours", "DURATION", "PT2H30M")),
        ("Rates have fallen for several years.", ("several years", "DURATION", "PXY")),
        ("The vote is at 5 p.m. EST Friday.", ("5 p.m. EST Friday", "TIME", "1998-02-06T17:00")),
        ("The market is now open.", ("now", "DATE", "PRESENT_REF")),
        ("Shares have risen recently.", ("recently", "DATE", "PAST_REF")),
        ("A ruling is expected in the near future.", ("the near future", "DATE", "FUTURE_REF")),
        ("The board meets every Thursday.", ("every Thursday", "SET", "XXXX-WXX-4")),
        ("They visit twice a year.", ("twice a year", "SET", "P1Y")),
        ("Shops close on Christmas Eve.", ("Christmas Eve", "DATE", "1997-12-24")),
        ("It happened in the summer of nineteen ninety-four.", ("the summer of nineteen ninety-four", "DATE", "1994-SU")),
        ("Revenue rose in Q3 2024.", ("Q3 2024", "DATE", "2024-Q3")),
        ("The plant closed a decade ago, it said.", ("a decade ago", "DATE", "198")),
        ("Decades ago it was different.", ("Decades ago", "DATE", "PAST_REF")),
        ("Profit fell in the last half of 1989.", ("the last half of 1989", "DATE", "1989-H2")),
        ("Analysts were predicting 1990 earnings of $3.", ("1990", "DATE", "1990")),
    ],
)
def test_expression(parse, text, expected):
    assert expected in times(parse, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        # TimeML leaves the determiner out of a prenominal compound
        ("It posted a third-quarter loss.", ("third-quarter", "DATE", "1997-Q3")),
        ("They signed the 23-year lease.", ("23-year", "DURATION", "P23Y")),
        # "ended" is a signal: outside the span; the quarter is the calendar one the period mostly covers
        ("Sales rose in the quarter ended Sept. 30.", ("the quarter", "DATE", "1997-Q3")),
        ("In the quarter ended July 31, it lost $2.", ("the quarter", "DATE", "1997-Q2")),
        ("For the year ended Sept. 30, it earned $4.", ("the year", "DURATION", "P1Y")),
        # "later", "after", "before" are signals too; what they follow is a DURATION
        ("Three days later, prices fell.", ("Three days", "DURATION", "P3D")),
        ("Banks must wait at least 30 days before closing.", ("at least 30 days", "DURATION", "P30D")),
        ("A few days later, it rose.", ("A few days", "DURATION", "PXD")),
    ],
)
def test_timeml_extents(parse, text, expected):
    assert expected in times(parse, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He spoke the day after Monday's debate.", [("the day", "DATE", "1998-02-03"), ("Monday", "DATE", "1998-02-02")]),
        ("WASHINGTON, Feb. 5 (UPI) -- The vote passed.", [("Feb. 5", "DATE", "1998-02-05")]),  # an agency, not a zone
        ("He works 60 hours a week.", [("60 hours", "DURATION", "PT60H")]),  # a rate: "a week" is not a duration
        ("Following Monday's debate, polls moved.", [("Monday", "DATE", "1998-02-02")]),  # a preposition
    ],
)
def test_context_around_the_expression(parse, text, expected):
    assert times(parse, text) == expected


def test_latest_quarter_is_a_completed_one(parse):
    text = "It expects a fourth-quarter charge. Profit fell in the latest quarter."
    found = times(parse, text, "1989-11-02")
    assert ("fourth-quarter", "DATE", "1989-Q4") in found
    assert ("the latest quarter", "DATE", "1989-Q3") in found


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Smith, 52 years old, will retire.",  # an age
        "The stock pays $1.76 a year.",  # a rate
        "You may know the answer.",  # "may" the verb, "now" inside "know"
        "Iraq imports about three-quarters of its food.",  # a fraction
        "The company sold 1990 cars.",  # a count
        "Prices fall in the morning trade.",  # "fall" the verb
    ],
)
def test_not_a_time_expression(parse, text):
    assert times(parse, text) == []


def test_without_publication_date_relative_values_keep_placeholders(parse):
    found = dict((t[0], t[2]) for t in times(parse, "He left on Friday and returns in August, not yesterday.", None))
    assert found == {"Friday": "XXXX-WXX-5", "August": "XXXX-08", "yesterday": "XXXX-XX-XX"}


def test_offsets_match_text(parse):
    text = "On Thursday (local time), two days later, and by year-end."
    for t in find_times(text, DCT, parse(text)):
        assert text[t.start : t.end] == t.text


@pytest.mark.parametrize(
    "n, unit, value",
    [(2, "year", "P2Y"), (None, "month", "PXM"), (1.5, "hour", "PT1H30M"), (3, "day", "P3D"), (2, "decade", "P2E")],
)
def test_duration_values(n, unit, value):
    assert duration(n, unit) == value


def test_point_values_and_shift():
    from datetime import date

    q = Point(date(1989, 8, 15)).at("quarter")
    assert q.value == "1989-Q3" and q.shift("year", -1).value == "1988-Q3"
    assert Point(date(2024, 10, 24), "week").value == "2024-W43"
    assert Point(date(1998, 3, 1)).at("season", "SU").value == "1998-SU"


@pytest.mark.parametrize(
    "value, type_, gran",
    [("2024-10-24", "DATE", "day"), ("2024-W43", "DATE", "week"), ("2024-Q4", "DATE", "quarter"),
     ("199", "DATE", "decade"), ("P1W", "DURATION", "week"), ("PRESENT_REF", "DATE", None),
     ("2024-10-24T15:00", "TIME", "time"), ("XXXX-08", "DATE", "month")],
)
def test_granularity(value, type_, gran):
    assert granularity_of(value, type_) == gran


def test_numbers():
    assert number("twenty-four") == 24 and number("2 1/2") == 2.5 and number("a") == 1
    assert spoken_year("nineteen ninety-six") == 1996 and spoken_year("two thousand") == 2000
    assert spoken_year("twenty four") is None
