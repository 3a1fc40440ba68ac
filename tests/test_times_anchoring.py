"""Anchoring: the publication date, the narrative reference and the tense."""

from __future__ import annotations

import pytest
import spacy

from storyline.analyze.times import find_times
from tests.conftest import MODEL


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(MODEL)


def values(nlp, text: str, published: str) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in find_times(text, published, nlp(text))]


def test_narrative_reference(nlp):
    text = (
        "Putin spoke on Thursday. Earlier that day, parliament ratified the treaty. "
        "This contrasts with remarks made the previous day. On the same day, troops moved. "
        "Two days later, talks resumed. That evening, the envoys left."
    )
    found = values(nlp, text, "2024-10-26T07:51:00+09:00")
    assert ("Thursday", "2024-10-24") in found
    assert ("Earlier that day", "2024-10-24") in found
    assert ("the previous day", "2024-10-23") in found
    assert ("the same day", "2024-10-24") in found
    # TimeML: "later" is a signal outside the span of a DURATION; the narrative still moves two days on
    assert ("Two days", "P2D") in found
    assert ("That evening", "2024-10-26TEV") in found


def test_offset_before_a_pronoun_is_still_an_offset(nlp):
    found = values(nlp, "The army left on Monday. Two weeks later he returned. That day, he spoke.", "2024-10-26")
    assert ("Two weeks", "P2W") in found
    assert ("That day", "2024-11-04") in found


def test_offsets_counted_from_publication_stay_dates(nlp):
    dct = "1989-10-26"
    assert values(nlp, "The plant closed two years ago.", dct) == [("two years ago", "1987")]
    found = [(t.text, t.type, t.value) for t in find_times("A year earlier, it earned $2.", dct, nlp("A year earlier, it earned $2."))]
    assert found[0][:2] == ("A year earlier", "DATE")


def test_pluperfect_beats_until(nlp):
    dct = "1999-05-07T03:44:00+00:00"  # a Friday
    assert values(nlp, "Until Thursday, they had not called him a suspect.", dct) == [("Thursday", "1999-05-06")]


def test_weekday_direction_follows_tense(nlp):
    dct = "1998-02-04T12:00:00+00:00"  # a Wednesday
    assert values(nlp, "The minister resigned on Monday.", dct) == [("Monday", "1998-02-02")]
    assert values(nlp, "The minister will resign on Monday.", dct) == [("Monday", "1998-02-09")]
    assert values(nlp, "Talks ended Wednesday.", dct) == [("Wednesday", "1998-02-04")]


def test_month_without_year_goes_where_the_clause_points(nlp):
    dct = "1989-10-26"
    assert values(nlp, "The company was founded in December.", dct) == [("December", "1988-12")]
    assert values(nlp, "The company will report in December.", dct) == [("December", "1989-12")]
    # a deadline lies ahead whatever the tense of the clause
    assert values(nlp, "The offer was extended until Nov. 17.", dct) == [("Nov. 17", "1989-11-17")]


def test_following_year_after_a_full_date(nlp):
    text = "In 1980 he enlisted. On May 22, 1995, he was promoted, and the following year he retired."
    assert ("the following year", "1996") in values(nlp, text, "1998-04-18")


def test_quarters_and_year_ago_comparisons(nlp):
    text = (
        "Net income rose 5% in the third quarter. A year earlier, the company lost money. "
        "Sales in the year-ago quarter were flat."
    )
    found = values(nlp, text, "1989-10-26")
    assert ("the third quarter", "1989-Q3") in found
    assert ("A year earlier", "1988-Q3") in found
    assert ("the year-ago quarter", "1988-Q3") in found


def test_anchor_recorded(nlp):
    (t,) = find_times("He left yesterday.", "2024-10-26", nlp("He left yesterday."))
    assert t.anchor == "2024-10-26" and t.granularity == "day"


def test_component_in_pipeline(nlp):
    from storyline.analyze import extensions
    import storyline.analyze.times.component  # noqa: F401  registers the factory

    extensions.register()
    pipe = spacy.load(MODEL)
    pipe.add_pipe("storyline_times")
    doc = pipe.make_doc("The summit ended on Friday.")
    doc._.published = "2024-10-26T07:51:00+09:00"
    doc = pipe(doc)
    assert [(t.text, t.value, t.type) for t in doc._.times] == [("Friday", "2024-10-25", "DATE")]
