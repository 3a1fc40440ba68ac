"""Where bare weekdays and months point, learned from TimeML gold values.

Usage: python scripts/fit_times_direction.py [TIMEML_DIR] [--cache DIR]

A bare "Friday" or "August" is resolved by the tense of its clause
(storyline.analyze.times.anchoring.closest and dates._weekday_point). This
script measures that choice on the development material only: TimeBank and the
even-numbered AQUAINT files (the odd-numbered ones are the held-out half and are
never read here). It prints

1. for each kind of bare expression and each direction the parse gives (tense or
   a cue word such as "until"), where the gold value lies: before, on or after
   the publication day;
2. the number of correct values on TimeBank (fit) and AQUAINT-even (check) for a
   grid of the two weights of ``closest``: the days a candidate against the
   tense counts as further away, and the days a later candidate counts as
   further away when the clause has no tense.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from datetime import date
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from storyline.analyze.times import anchoring, find_times
from storyline.analyze.times.anchoring import Context
from storyline.analyze.times.normalize import _g
from storyline.analyze.times.recognize import _cue_getter, _tense_getter, propose, select
from storyline.analyze.times.values import parse_anchor
from storyline.config import DEFAULT_MODEL
from storyline.eval.timeml import TimeMLDocument, Timex, read_corpus
from storyline.eval.timex import Counts, score


def development_set(timeml: Path) -> dict[str, list[TimeMLDocument]]:
    corpora = read_corpus(timeml)
    return {"TimeBank": corpora["TimeBank"], "AQUAINT-even": corpora["AQUAINT"][::2]}


def parsed(name: str, documents: list[TimeMLDocument], cache: Path, model: str) -> list:  # type: ignore[type-arg]
    path = cache / f"direction-{name}.spacy"
    nlp = spacy.load(model)
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == [d.text for d in documents]:
            return docs
    import storyline.analyze.sentences  # noqa: F401  (registers storyline_sentences)

    nlp.add_pipe("storyline_sentences", before="parser")
    docs = list(nlp.pipe((d.text for d in documents), batch_size=16))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(path)
    return docs


def bare(c) -> bool:  # type: ignore[no-untyped-def]
    m = c.match
    if c.rule == "weekday":
        return not (_g(m, "rel") or _g(m, "wk") or m.group("plural"))
    if c.rule == "month":
        return not (_g(m, "rel") or _g(m, "yrel"))
    if c.rule == "month_day":
        return not (m.group("year") or m.group("wd"))
    return False


def directions(data: dict[str, tuple[list[TimeMLDocument], list]]) -> Counter[tuple[str, str, str]]:  # type: ignore[type-arg]
    table: Counter[tuple[str, str, str]] = Counter()
    for documents, docs in data.values():
        for d, doc in zip(documents, docs):
            dct = parse_anchor(d.dct)
            if dct is None:
                continue
            for c in select(propose(d.text), Context(dct), d.text, doc):
                if not bare(c):
                    continue
                gold = next((g for g in d.timexes if g.start < c.end and c.start < g.end), None)
                m = re.match(r"(\d{4})-(\d\d)(?:-(\d\d))?", gold.value) if gold else None
                if m is None or (c.rule != "month" and not m.group(3)):
                    continue
                tense = _tense_getter(doc, c.start, c.end)
                said = _cue_getter(d.text, c.start, tense)() or tense() or "none"
                if c.rule == "month":
                    key, ref = (int(m.group(1)), int(m.group(2))), (dct.day.year, dct.day.month)
                else:
                    key, ref = date(int(m.group(1)), int(m.group(2)), int(m.group(3))), dct.day  # type: ignore[assignment]
                where = "same" if key == ref else "after" if key > ref else "before"  # type: ignore[operator]
                table[(c.rule, said, where)] += 1
    return table


def correct_values(documents: list[TimeMLDocument], docs: list) -> int:  # type: ignore[type-arg]
    counts = Counts()
    for d, doc in zip(documents, docs):
        system = [Timex(t.start, t.end, t.text, t.type, t.value) for t in find_times(d.text, d.dct, doc)]
        counts.add(score(d.timexes, system))
    return counts.value_ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("timeml", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared/data/timeml"))
    parser.add_argument("--cache", default="/work/cache/times")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    data = {name: (docs, parsed(name, docs, Path(args.cache), args.model)) for name, docs in development_set(Path(args.timeml)).items()}

    table = directions(data)
    print("where the gold value of a bare weekday / month lies, by the direction the parse gives")
    print(f"{'kind':<11}{'direction':<12}{'before':>7}{'same':>6}{'after':>7}")
    for rule in ("weekday", "month", "month_day"):
        for said in ("past", "pluperfect", "present", "future", "none"):
            row = [table[(rule, said, w)] for w in ("before", "same", "after")]
            if any(row):
                print(f"{rule:<11}{said:<12}{row[0]:>7}{row[1]:>6}{row[2]:>7}")

    print("\ncorrect values by weight (days): against the tense, later without a tense")
    saved = anchoring.AGAINST_TENSE_DAYS, anchoring.UNKNOWN_TENSE_AHEAD_DAYS
    for against in (90, 180, 270, 365, 1000):
        for ahead in (0, 60, 120, 180, 240):
            anchoring.AGAINST_TENSE_DAYS, anchoring.UNKNOWN_TENSE_AHEAD_DAYS = against, ahead
            scores = "  ".join(f"{name} {correct_values(*pair)}" for name, pair in data.items())
            mark = "  <- in use" if (against, ahead) == saved else ""
            print(f"{against:>5} {ahead:>4}  {scores}{mark}")
    anchoring.AGAINST_TENSE_DAYS, anchoring.UNKNOWN_TENSE_AHEAD_DAYS = saved


if __name__ == "__main__":
    main()
