"""Candidate contents and sources, the linear ranker, and its training."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from storyline.analyze.attribution import features as F
from storyline.analyze.attribution.candidates import content_candidates, normalise, source_candidates
from storyline.analyze.attribution.ranker import WEIGHTS, LinearRanker, load_ranker
from tests.conftest import MODEL


@pytest.fixture(scope="module")
def parse():
    nlp = spacy.load(MODEL, exclude=["ner"])

    def run(text: str):
        doc = nlp(text)
        return doc, F.token_facts(doc)

    return run


def texts_of(doc, facts, pieces_list):
    return {" | ".join(doc[s:e].text for s, e in pieces) for pieces in pieces_list}


def cue_of(doc, word: str) -> tuple[int, int]:
    i = next(t.i for t in doc if t.text == word)
    return i, i + 1


def test_content_candidates_hold_the_clause_with_and_without_that(parse):
    doc, facts = parse("The minister said that the troops had left the region.")
    found = texts_of(doc, facts, [c.pieces for c in content_candidates(facts, cue_of(doc, "said"))])
    assert "that the troops had left the region" in found
    assert "the troops had left the region" in found
    assert all("said" not in t.split() for t in found)  # a candidate never holds its cue


def test_content_candidates_hold_an_interrupted_quote_as_two_pieces(parse):
    doc, facts = parse('"We will not leave," he said, "until the work is done."')
    found = texts_of(doc, facts, [c.pieces for c in content_candidates(facts, cue_of(doc, "said"), (5, 6))])
    assert '"We will not leave," | "until the work is done."' in found


def test_source_candidates_hold_the_subject_with_and_without_its_apposition(parse):
    doc, facts = parse("Maria Zakharova, the ministry's spokeswoman, denied the reports on Thursday.")
    found = {doc[s:e].text for s, e in source_candidates(facts, cue_of(doc, "denied"))}
    assert "Maria Zakharova" in found
    assert "Maria Zakharova, the ministry's spokeswoman" in found


def test_normalise_sorts_and_joins_pieces_separated_only_by_space(parse):
    doc, facts = parse("He said  that it rained.")
    assert doc[2].is_space
    assert normalise(facts, [(4, 6), (3, 4)]) == ((3, 6),)
    assert normalise(facts, [(3, 4), (0, 2)]) == ((0, 4),)
    assert normalise(facts, [(0, 1), (4, 5)]) == ((0, 1), (4, 5))


def test_ranker_takes_each_cues_best_candidate():
    weights = np.zeros(F.BUCKETS, dtype=np.float32)
    weights[[3, 7]] = [1.0, 2.5]
    ranker = LinearRanker(weights)
    ids = np.asarray([[3, F.ABSENT], [7, F.ABSENT], [3, 7], [1, F.ABSENT]])
    group = np.asarray([0, 0, 1, 1])
    assert ranker.choose(ids, group, 3) == [1, 2, None]


def test_training_learns_to_prefer_the_gold_candidate():
    from storyline.analyze.attribution.training import train_ranker

    rng = np.random.default_rng(3)
    examples = []
    for _ in range(40):
        n = 5
        gold = int(rng.integers(n))
        ids = rng.integers(100, 200, size=(n, 2))
        ids[gold, 1] = 42  # the gold candidate carries bucket 42
        examples.append((ids, np.zeros(n, dtype=np.int64), np.arange(n) == gold, 1))
    weights = train_ranker(examples, l2=0.1, iterations=100)
    assert weights[42] > 1.0
    ranker = LinearRanker(weights)
    assert all(ranker.choose(ids, group, 1)[0] == int(np.flatnonzero(label)[0]) for ids, group, label, _ in examples)


def test_shipped_rankers_load():
    content, source = load_ranker("content", str(WEIGHTS)), load_ranker("source", str(WEIGHTS))
    assert content is not None and source is not None
    assert content.uses_tagger and np.count_nonzero(content.weights) > 1000
