"""The TempEval-3 bar on TimeBank+AQUAINT (slow: runs the pipeline over 256 documents, ~1 min).

Run with ``pytest -m slow tests/test_times_corpus.py``. The floors sit a little
below the measured figures (docs/times.md) so that a regression fails.
"""

from __future__ import annotations

import pytest

from tests.conftest import MODEL, SHARED

TIMEML = SHARED / "data" / "timeml"


@pytest.mark.slow
@pytest.mark.shared("data/timeml")
def test_tempeval3_bar():
    from storyline.eval.timex import evaluate_directory

    run = evaluate_directory(MODEL, TIMEML)
    overall = run.report.overall
    assert overall.relaxed_prf[2] >= 0.90, run.report.table()
    assert overall.value_f1 >= 0.80, run.report.table()
    # (strict span F1, relaxed span F1, value F1); measured 91.8 / 95.1 / 83.8 and 83.1 / 92.9 / 76.6
    floors = {"TimeBank": (0.90, 0.94, 0.83), "AQUAINT": (0.82, 0.92, 0.75)}
    for name, counts in run.report.corpora.items():
        strict, relaxed, value = floors[name]
        assert counts.strict_prf[2] >= strict, run.report.table()
        assert counts.relaxed_prf[2] >= relaxed and counts.value_f1 >= value, run.report.table()
