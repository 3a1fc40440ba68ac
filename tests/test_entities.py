"""Canonical entities: one per person, organisation and place within a document."""

from __future__ import annotations

from storyline.analyze.entities.canonical import is_metonymic
from storyline.analyze.entities.mentions import core_name
from storyline.analyze.knowledge.countries import countries
from tests.conftest import run_pipeline


def by_canonical(doc):
    return {e.canonical: e for e in doc._.entities}


def test_people_are_one_entity_with_their_roles(nlp):
    doc = run_pipeline(
        nlp,
        "German Chancellor Olaf Scholz met President Emmanuel Macron on Monday. "
        "Scholz said the talks went well. Macron, the French president, agreed.",
    )
    people = by_canonical(doc)
    assert {m.text for m in people["Olaf Scholz"].mentions} == {"Olaf Scholz", "Scholz"}
    assert "German Chancellor" in people["Olaf Scholz"].roles
    assert "Emmanuel Macron" in people and len(people["Emmanuel Macron"].mentions) == 2
    assert "French president" in people["Emmanuel Macron"].roles


def test_countries_join_their_names_demonyms_and_abbreviations(nlp):
    doc = run_pipeline(
        nlp, "The United States said U.S. officials had evidence. American diplomats met South Korean envoys in Seoul."
    )
    us = by_canonical(doc)["United States"]
    assert us.country == "US" and us.admin_level == 0
    assert {"U.S.", "American"} <= {m.text for m in us.mentions}
    assert by_canonical(doc)["South Korea"].country == "KR"


def test_a_capital_standing_for_its_state_is_the_state(nlp):
    doc = run_pipeline(nlp, "Moscow warned Beijing against the plan. Thousands marched in Moscow on Sunday.")
    russia = by_canonical(doc)["Russia"]
    assert [m.text for m in russia.mentions] == ["Moscow"]
    assert [m.text for m in by_canonical(doc)["China"].mentions] == ["Beijing"]
    assert "Moscow" in by_canonical(doc)  # the city where people marched
    marched_in = [e for e in doc.ents if e.text == "Moscow"][-1]
    assert not is_metonymic(marched_in)


def test_acronyms_defined_in_the_text_label_later_uses(nlp):
    doc = run_pipeline(
        nlp,
        "Ukraine’s Defense Intelligence Directorate (HUR) said troops arrived. HUR published photos on Friday.",
    )
    hur = by_canonical(doc)["Defense Intelligence Directorate of Ukraine"]
    assert [m.text for m in hur.mentions] == ["Ukraine’s Defense Intelligence Directorate", "HUR", "HUR"]
    assert hur.type == "ORG"


def test_national_legislature_named_by_demonym(nlp):
    doc = run_pipeline(nlp, "Earlier that day, the Russian parliament ratified the treaty.")
    assert by_canonical(doc)["Federal Assembly of Russia"].type == "ORG"


def test_all_caps_unknown_place_is_an_organisation(nlp):
    doc = run_pipeline(nlp, "Leaders met at the BRICS summit in Kazan, Tatarstan.")
    assert by_canonical(doc)["BRICS"].type == "ORG"


def test_core_names_and_country_lookup():
    assert core_name("Kursk Oblast") == "kursk"
    assert core_name("the Republic of Tatarstan") == "tatarstan"
    known = countries()
    assert known.lookup("N. Korean").iso2 == "KP"
    assert known.lookup("North Korea’s").iso2 == "KP"
    assert known.lookup("American").iso2 == "US"
    assert known.lookup("Britain").iso2 == "GB"
    assert known.lookup("Korean") is None  # ambiguous: no guess


def test_a_name_cut_at_a_hyphen_runs_on_over_it(nlp):
    doc = run_pipeline(nlp, "The latest deployment brings the total to 3,000, lawmaker Park Sun-won told reporters.")
    people = by_canonical(doc)
    assert "Park Sun-won" in people and "Park Sun" not in people, list(people)
    assert [s.speaker.name for s in doc._.statements if s.speaker] == ["Park Sun-won"]


def test_a_hyphenated_name_is_written_as_the_text_writes_it(nlp):
    doc = run_pipeline(nlp, "Kim Yo-jong said on Sunday that Seoul was to blame. Kim spoke after a meeting.")
    assert "Kim Yo-jong" in by_canonical(doc), list(by_canonical(doc))


def test_a_hyphen_to_a_word_that_is_no_name_ends_the_name(nlp):
    doc = run_pipeline(nlp, "Vladimir Putin spoke on Monday. The Putin-led government sent troops.")
    assert "Putin-led" not in {m.text for e in doc._.entities for m in e.mentions}
