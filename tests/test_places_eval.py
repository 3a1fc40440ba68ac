"""The LGL scorer on a made-up two-article fixture, and the CLI commands around it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from storyline.analyze.places.resolver import Resolution
from storyline.eval.places import GoldToponym, Scores, outlet_country, read_lgl, score_gold_spans, split

FIXTURE = Path(__file__).parent / "fixtures" / "places" / "tiny_lgl.xml"


def test_read_lgl_offsets_and_gold():
    articles = read_lgl(FIXTURE)
    assert [a.id for a in articles] == ["1", "2"]
    first = articles[0]
    assert [t.text for t in first.toponyms] == ["Kazan", "Tatarstan", "Main Street", "Springfield"]
    assert all(first.text[t.start : t.end] == t.text for t in first.toponyms)
    kazan = first.toponyms[0]
    assert (kazan.geonameid, kazan.country, kazan.fcode) == (551487, "RU", "PPLA")
    assert first.toponyms[2].geonameid is None  # no gaztag
    assert [a.id for a in split(articles, "dev")] == ["1"] and [a.id for a in split(articles, "test")] == ["2"]


def test_outlet_country_from_the_domain():
    assert outlet_country("example.co.uk") == "GB"
    assert outlet_country("lfpress.ca") == "CA"
    assert outlet_country("example.com") is None


def res(lat: float, lon: float, geonameid: int | None = None, country: str | None = None) -> Resolution:
    return Resolution("x", lat, lon, country, None, None, "P", "PPL", 0, "city", geonameid)


def test_scores_metrics():
    gold = GoldToponym(0, 1, "A", geonameid=1, lat=0.0, lon=0.0, country="RU")
    s = Scores()
    s.add(gold, res(0.0, 0.0, 1, "RU"), known=True)  # exact
    s.add(gold, res(1.0, 0.0, 2, "RU"), known=True)  # 111 km off: within 161 km, wrong id
    s.add(gold, res(10.0, 0.0, 3, "UA"), known=False)  # 1,112 km off, wrong country
    s.add(gold, None, known=True)  # unresolved: counts as wrong
    t = s.table()
    assert t["toponyms"] == 4 and t["coverage %"] == 75.0
    assert t["acc@161km %"] == 50.0
    assert t["exact id %"] == 25.0 and t["exact id (id in gazetteer) %"] == pytest.approx(33.3)
    assert t["country %"] == 50.0
    assert t["median error km"] == pytest.approx(111.2, abs=0.1)


def test_score_gold_spans_on_the_fixture():
    errors = []
    scores, untagged = score_gold_spans(read_lgl(FIXTURE), on_error=errors.append)
    assert untagged == 1
    t = scores.table()
    assert t["toponyms"] == 4
    # Kazan, Tatarstan and Rome resolve; the made-up Springfield in New Zealand cannot.
    assert scores.within == 3 and scores.exact >= 2
    assert [e.gold.text for e in errors] == ["Springfield"]


def test_cli_commands():
    from storyline.cli import app
    from storyline.cli.gazetteer import app as gazetteer_app

    root = typer.Typer()
    root.add_typer(app, name="storyline")
    root.add_typer(gazetteer_app, name="gazetteer")
    runner = CliRunner()
    out = runner.invoke(root, ["storyline", "eval", "places", str(FIXTURE), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["gold_spans"]["all"]["toponyms"] == 4 and data["gold_spans"]["all"]["untagged (skipped)"] == 1
    out = runner.invoke(root, ["gazetteer", "lookup", "Kursk Oblast"])
    assert out.exit_code == 0 and "RU" in out.output and "admin1" in out.output
