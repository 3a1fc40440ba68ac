"""The public API: what ``storyline`` exports, and using it without the CLI."""

from __future__ import annotations

import storyline
from tests.conftest import REFERENCE


def test_exported_members_exist_and_are_listed():
    for name in storyline.__all__:
        assert hasattr(storyline, name), name
    public = {n for n in dir(storyline) if not n.startswith("_") and not isinstance(getattr(storyline, n), type(storyline))}
    assert public <= set(storyline.__all__) | {"annotations"}, public - set(storyline.__all__)


def test_subpackages_stay_importable():
    import storyline.analyze.times as times  # not shadowed by an exported function

    assert hasattr(times, "__path__")


def test_read_analyse_store_from_python(tmp_path, nlp):
    options = storyline.ReadOptions(outlets=storyline.Outlets.bundled())
    (document,) = storyline.read_sources([REFERENCE], options)
    (outcome,) = storyline.analyze_documents(nlp, [document])
    store = storyline.open_store(tmp_path / "api.db")
    assert store.save(document, outcome.analysis)
    assert store.analysis(document.id).statements == outcome.analysis.statements


def test_inputs_travel_with_the_text_to_worker_processes(nlp):
    """Analysis in two processes gives what one gives (inputs reach the workers)."""
    from datetime import datetime

    from storyline.model import Document

    docs = [
        Document(text=f"Officials said on Tuesday that {n} troops had arrived.", published=datetime.fromisoformat("2024-10-26T07:51:00+09:00"))
        for n in range(2, 8)
    ]
    one = [o.analysis for o in storyline.analyze_documents(nlp, docs, processes=1)]
    two = [o.analysis for o in storyline.analyze_documents(nlp, docs, processes=2, batch_size=2)]
    assert one == two
    assert all(a.times[0].value == "2024-10-22" for a in two)
    assert [a.doc_id for a in two] == [d.id for d in docs]
