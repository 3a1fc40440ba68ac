"""Analysis never hangs: long documents are analysed in pieces, and a document that crashes,
hangs or breaks a worker process fails alone, with its reason, while the rest goes on."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from storyline.analyze.pipeline import Outcome, analyze, job_of, run_jobs
from storyline.analyze.workers import can_fork
from storyline.model import Document

PARAGRAPH = "Kursk officials counted 12 convoys and 300 trucks near Sudzha on Tuesday. " * 12


def finished(run, seconds: float) -> list[Outcome]:
    """``run()``'s outcomes, or a test failure if it has not finished in ``seconds`` (a hang)."""
    outcomes: list[Outcome] = []
    thread = threading.Thread(target=lambda: outcomes.extend(run()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"analysis still running after {seconds} s: it hangs"
    return outcomes


def long_document() -> Document:
    paragraphs = [PARAGRAPH] * 1400 + ["Finally Moscow said 7 more had gone."]
    return Document(text="\n\n".join(paragraphs), published=datetime(2024, 10, 26))


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked")
def test_a_document_longer_than_spacys_limit_does_not_hang_the_batch(toy_nlp):
    """More than spaCy's max_length (1,000,000 characters), followed by other documents, with
    two workers: each is analysed, the long one in pieces, with the document's offsets."""
    long = long_document()
    assert len(long.text) > toy_nlp.max_length
    # Long enough that a worker's results fill the pipe it writes them to.
    others = [Document(text=f"Seoul said {n} soldiers were there. " * 2000) for n in range(5)]
    outcomes = finished(lambda: analyze(toy_nlp, [long, *others], processes=2, batch_size=2), 120)
    assert [o.document.id for o in outcomes] == [d.id for d in [long, *others]]
    assert all(o.error is None for o in outcomes), [o.error for o in outcomes]
    analysis = outcomes[0].analysis
    assert len(analysis.figures) == 2 * 12 * 1400 + 1
    for record in [*analysis.figures, *(m for e in analysis.entities for m in e.mentions)]:
        assert long.text[record.start : record.end] == record.text
    assert analysis.figures[-1].text == "7" and analysis.figures[-1].start > 1_000_000
    # One entity per name across all pieces, ids renumbered without gaps.
    kursk = [e for e in analysis.entities if e.canonical == "Kursk"]
    assert len(kursk) == 1 and len(kursk[0].mentions) == 12 * 1400
    assert [e.id for e in analysis.entities] == [f"e{n}" for n in range(1, len(analysis.entities) + 1)]


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked")
def test_a_document_that_crashes_hangs_or_fails_is_rejected_alone(toy_nlp):
    texts = ["Seoul said 1.", "CRASH-NOW 2", "Seoul said 3.", "HANG-NOW 4", "FAIL-NOW 5", "Seoul said 6."]
    documents = [Document(text=t) for t in texts]
    outcomes = finished(lambda: analyze(toy_nlp, documents, processes=2, batch_size=3, watchdog=1.0), 60)
    assert [o.document.text for o in outcomes] == texts
    errors = {o.document.text: o.error for o in outcomes if o.error}
    assert errors == {
        "CRASH-NOW 2": "the worker process was killed (SIGKILL) while analysing it",
        "HANG-NOW 4": "analysis took longer than 1 s and was stopped",
        "FAIL-NOW 5": "analysis failed: ValueError: this text is bad",
    }
    assert [o.analysis.figures[0].value for o in outcomes if o.analysis] == [1, 3, 6]


def test_an_error_in_one_process_fails_only_that_document(toy_nlp):
    documents = [Document(text=t) for t in ("Seoul said 1.", "FAIL-NOW 2", "Seoul said 3.")]
    outcomes = list(analyze(toy_nlp, documents, processes=1))
    assert [o.error for o in outcomes] == [None, "analysis failed: ValueError: this text is bad", None]


def test_pieces_are_merged_with_the_documents_offsets(nlp, reference_document):
    """The reference article cut into pieces of about 700 characters: every record still
    points at its text, and every entity reference at an entity of the merged analysis."""
    job = job_of(reference_document, piece_chars=700)
    assert len(job.pieces) > 3
    ((analysis, error),) = run_jobs(nlp, [job])
    assert error is None
    text = reference_document.text
    spans = [*analysis.times, *analysis.figures, *analysis.events, *(m for e in analysis.entities for m in e.mentions)]
    for s in analysis.statements:
        spans += [s, s.content, *(p for p in (s.speaker, s.cue) if p is not None)]
    assert analysis.statements and analysis.times and analysis.entities
    for span in spans:
        assert text[span.start : span.end] == span.text, span
    ids = {e.id for e in analysis.entities}
    assert len(ids) == len(analysis.entities)
    refs = [s.speaker.entity_id for s in analysis.statements if s.speaker]
    refs += [x for e in analysis.events for x in (e.actor_entity_id, e.place_entity_id)]
    assert {r for r in refs if r} <= ids
    assert any("Putin" in e.canonical for e in analysis.entities)


def test_masked_text_blanks_all_but_the_analysed_ranges_keeping_whitespace() -> None:
    """The definition, character by character, against masked_text's runs: any whitespace kept
    (no-break and em spaces, separators), everything outside the headline and body blanked;
    ranges that overlap, run past the text or are out of order as a reader would not make them."""
    import random

    from storyline.analyze.pipeline import masked_text
    from storyline.model import Document

    def by_character(document: Document) -> str:
        chars = [c if c.isspace() else " " for c in document.text]
        for start, end in document.analysed_ranges():
            chars[start:end] = document.text[start:end]
        return "".join(chars)

    rng = random.Random(3)
    alphabet = "ab \n\r\t\u00a0\u2003\x1c\u200b\u2028é.,"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        body = [(rng.randint(-3, 45), rng.randint(-3, 50)) for _ in range(rng.randint(0, 3))]
        headline = (rng.randint(0, 45), rng.randint(0, 50)) if rng.random() < 0.5 else None
        document = Document(id="x", text=text, body=body, headline=headline)
        assert masked_text(document) == by_character(document), (text, body, headline)
    assert masked_text(Document(id="y", text="Title\n\u00a0x y", body=[(7, 8)], headline=(0, 5))) == "Title\n\u00a0x  "
