"""The storyline_statements component on short made-up texts (the shipped weights).

Runs the model plus the sentence hints and this component only, so it tests
this component's own fallbacks (speaker names without the entities component).
"""

from __future__ import annotations

import pytest
import spacy

from tests.conftest import MODEL


@pytest.fixture(scope="module")
def nlp():
    import storyline.analyze.attribution.component  # noqa: F401
    import storyline.analyze.sentences  # noqa: F401

    nlp = spacy.load(MODEL)
    nlp.add_pipe("storyline_sentences", before="parser")
    nlp.add_pipe("storyline_statements")
    return nlp


def statements(nlp, text):
    doc = nlp(text)
    for s in doc._.statements:
        assert text[s.start : s.end] == s.text
        for part in (s.speaker, s.cue, s.content):
            if part is not None:
                assert text[part.start : part.end] == part.text
    return doc._.statements


def by_cue(found, cue):
    match = [s for s in found if s.cue is not None and s.cue.text == cue]
    assert match, [(s.cue.text if s.cue else None, s.content.text) for s in found]
    return match[0]


def test_indirect_speech(nlp):
    s = by_cue(statements(nlp, "The governor said that the budget would be balanced by next year."), "said")
    assert s.speaker.text == "The governor"
    assert s.content.text == "that the budget would be balanced by next year"
    assert s.kind == "indirect" and s.cue_class == "assert"


def test_direct_quote_then_speaker(nlp):
    s = by_cue(statements(nlp, "“We will win this fight,” Senator Mary Jones said on Tuesday."), "said")
    assert "Mary Jones" in s.speaker.text and s.speaker.name == "Mary Jones"
    assert s.content.text.startswith("“We will win this fight")
    assert s.kind == "direct"


def test_continuation_quote_carries_the_speaker(nlp):
    text = "“We will win this fight,” Senator Mary Jones said on Tuesday. “Nobody can stop us now.”"
    found = statements(nlp, text)
    cont = [s for s in found if s.cue is None]
    assert cont and cont[0].content.text.startswith("“Nobody")
    assert cont[0].speaker.name == "Mary Jones" and cont[0].kind == "direct"


def test_according_to(nlp):
    s = by_cue(statements(nlp, "According to Reuters, the troops arrived in the region on Tuesday."), "According to")
    assert s.speaker.text == "Reuters"
    assert "the troops arrived" in s.content.text
    assert s.cue_class == "report"


def test_participle_cue(nlp):
    text = "President Vladimir Putin addressed the deployment on Thursday, stating it is up to Moscow how to run the treaty."
    s = by_cue(statements(nlp, text), "stating")
    assert "Putin" in s.speaker.text
    assert s.content.text.startswith("it is up to Moscow")


def test_relative_clause_speaker_is_the_antecedent(nlp):
    text = "The remarks contrast with those of spokeswoman Maria Zakharova, who denied the reports of troop deployment."
    s = by_cue(statements(nlp, text), "denied")
    assert "Zakharova" in s.speaker.text and s.speaker.name == "Maria Zakharova"
    assert s.cue_class == "deny"
    assert "the reports of troop deployment" in s.content.text


def test_a_countrys_envoy_to_an_organisation_speaks_for_the_country(nlp):
    text = "Russia's UN envoy said the reports were false."
    s = by_cue(statements(nlp, text), "said")
    assert s.speaker.text == "Russia's UN envoy" and s.speaker.name != "UN"


def test_pronoun_speaker_resolves_to_the_named_person(nlp):
    text = "Senator John Smith visited the factory on Monday. He said the plant would stay open."
    s = by_cue(statements(nlp, text), "said")
    assert s.speaker.text == "He" and s.speaker.name == "John Smith"


def test_it_speaker_resolves_to_the_organisation(nlp):
    text = "The World Health Organization published new figures on Monday. It said cholera cases had doubled since March."
    s = by_cue(statements(nlp, text), "said")
    assert s.speaker.text == "It" and s.speaker.name == "The World Health Organization"


def test_it_speaker_is_no_person(nlp):
    text = "Senator John Smith visited the factory on Monday. It said the plant would stay open."
    s = by_cue(statements(nlp, text), "said")
    assert s.speaker.name != "John Smith"


def test_a_source_is_not_its_own_content(nlp):
    # the role tagger marks the ministry as both source and content of "released"
    text = "Japan’s defence ministry released detailed radar images of what it said was a Chinese drone flying near Okinawa."
    s = by_cue(statements(nlp, text), "released")
    assert s.speaker.text == "Japan’s defence ministry"
    assert s.content.text.startswith("detailed radar images")


def test_pronoun_gender_skips_the_wrong_person(nlp):
    text = (
        "Ms. Anna Brown met Mr. David Green in Ohio on Monday. "
        "She said the talks had gone well."
    )
    s = by_cue(statements(nlp, text), "said")
    assert s.speaker.name == "Anna Brown"


def test_mixed_quote(nlp):
    s = by_cue(statements(nlp, "Zakharova called the reports “false and exaggerated.”"), "called")
    assert s.kind == "mixed"


def test_no_statement_without_attribution(nlp):
    assert statements(nlp, "The bridge was built in 1932 and repaired in 1990.") == []


def test_headline_colon_attributes_the_rest_to_the_name(nlp):
    s = by_cue(statements(nlp, "Graham: Trump's rhetoric is destroying the party.\n\nThe senator spoke on Sunday."), ":")
    assert s.speaker is not None and s.speaker.text == "Graham"
    assert s.content.text == "Trump's rhetoric is destroying the party"


def test_colon_after_a_label_is_no_attribution(nlp):
    found = statements(nlp, "Editor's note: The following is an excerpt from a new book about the campaign.")
    assert not [s for s in found if s.cue is not None and s.cue.text == ":"]
