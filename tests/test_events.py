"""Events and the dates of statements and events."""

from __future__ import annotations

from tests.conftest import run_pipeline

PUBLISHED = "2024-10-26T07:51:00+09:00"


def events(nlp, text, published=PUBLISHED):
    return [(e.type, e.actor, e.object, e.place, e.date) for e in run_pipeline(nlp, text, published)._.events]


def test_actor_object_place_and_date(nlp):
    assert ("ratify_agreement", "Federal Assembly of Russia", "North Korea-Russia treaty", None, "2024-10-24") in events(
        nlp, "On Thursday, the Russian parliament ratified a North Korea-Russia treaty that includes provisions."
    )


def test_noun_events_take_the_actor_of_their_light_verb(nlp):
    found = events(nlp, "Ukrainian forces staged a major incursion in August.")
    assert found == [("military_incursion", "Ukraine", None, None, "2024-08")]


def test_participation_and_place_of_a_press_conference(nlp):
    found = events(nlp, "Lloyd Austin spoke at a press conference in Rome on Thursday.")
    assert ("press_conference", "Lloyd Austin", None, "Rome", "2024-10-24") in found


def test_talking_about_an_event_is_not_taking_part(nlp):
    found = events(nlp, "Vladimir Putin addressed the deployment of North Korean troops.")
    assert found and found[0][0] == "deploy_troops" and found[0][1] == "North Korea"


def test_phrasal_verbs(nlp):
    found = events(nlp, "North Korea blew up roads near the border on Tuesday.")
    assert found == [("destroy", "North Korea", "roads", None, "2024-10-22")]
