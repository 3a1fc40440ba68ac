"""Ablations of the place resolver on LGL gold spans (acc@161km per split).

Usage: python scripts/places_ablations.py [LGL_XML]

- final: as shipped (fitted weights, US reference point, outlet profiles / articles alone);
- hand-set weights: the starting weights instead of the fitted ones;
- Factbook US point: the United States at 38N 97W (countryinfo's point) instead of
  the centre of the contiguous US (a copy of the gazetteer file is patched).
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from storyline.analyze.places.features import FIXED_WEIGHTS, START_WEIGHTS
from storyline.analyze.places.gazetteer import Gazetteer, shared
from storyline.analyze.places.resolver import Options, Resolver
from storyline.eval.places import read_lgl, score_gold_spans, split


def row(label: str, articles, resolver: Resolver) -> None:
    for profiles in (True, False):
        acc = {
            part: score_gold_spans(split(articles, part), resolver, profiles=profiles)[0].table()["acc@161km %"]
            for part in ("dev", "test", "all")
        }
        setting = "profiles" if profiles else "articles alone"
        print(f"{label:22s} {setting:15s} " + "  ".join(f"{p} {v:5.1f}" for p, v in acc.items()))


def main(path: str) -> None:
    articles = read_lgl(path)
    row("final", articles, Resolver())
    row("hand-set weights", articles, Resolver(options=Options(weights={**START_WEIGHTS, **FIXED_WEIGHTS})))
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "gazetteer.sqlite"
        shutil.copy(shared().path, copy)
        db = sqlite3.connect(copy)
        db.execute("UPDATE place SET lat = 38.0, lon = -97.0 WHERE kind = 'country' AND country = 'US'")
        db.commit()
        db.close()
        row("Factbook US point", articles, Resolver(Gazetteer(copy)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/geo/lgl.xml")
