"""Stance model speed: pairs per second, single process, against spaCy analysing the same bodies.

    python benchmarks/stance_speed.py [--pairs 1000] [--repeat 3]

Two workloads from FNC-1 train (../shared/data/fnc-1; the bundled test
fixture when it is absent): headlines × whole article bodies, and headlines ×
one sentence of the body (how storyline calls the model: a claim × a
statement). The baseline, timed in the same run on the same bodies, is the
spaCy pipeline storyline analyses documents with (``en_core_web_sm``, no
storyline components): the ratio says what stance prediction adds to the cost
of analysing the texts. Sides alternate A B B A … to spread a drift in the
machine's speed over both.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FNC = ROOT.parent / "shared" / "data" / "fnc-1"
FIXTURE = ROOT / "tests" / "fixtures" / "stance"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import spacy

    from storyline.config import DEFAULT_MODEL
    from storyline.story.stance import StanceModel, read_stance_data
    from storyline.story.stance.text import sentences

    started = time.perf_counter()
    model = StanceModel.load()
    print(f"stance model loaded in {time.perf_counter() - started:.2f}s")
    if (FNC / "train_stances.csv").exists():
        data = read_stance_data(FNC / "train_stances.csv", FNC / "train_bodies.csv")
    else:
        data = read_stance_data(FIXTURE / "stances.csv", FIXTURE / "bodies.csv")
    pairs = random.Random(0).choices(data.pairs, k=args.pairs)
    heads = [p.headline for p in pairs]
    bodies = [data.bodies[p.body_id] for p in pairs]
    one = [sentences(b)[0] for b in bodies]
    nlp = spacy.load(DEFAULT_MODEL)
    workloads = {"whole bodies": bodies, "one sentence": one}
    for name, texts in workloads.items():
        unique = list(dict.fromkeys(texts))
        times: dict[str, list[float]] = {"stance": [], "spacy": []}
        for run in range(args.repeat):
            for side in (("stance", "spacy") if run % 2 == 0 else ("spacy", "stance")):
                t = time.perf_counter()
                if side == "stance":
                    model.predict_proba(heads, texts)
                else:
                    for _ in nlp.pipe(unique, batch_size=64):
                        pass
                times[side].append(time.perf_counter() - t)
        stance, analysis = min(times["stance"]), min(times["spacy"])
        print(f"{name}: {len(texts)} pairs ({len(unique)} distinct bodies): stance {len(texts) / stance:,.0f} pairs/s; "
              f"spaCy on the distinct bodies {len(unique) / analysis:,.0f} texts/s; "
              f"stance time = {stance / analysis:.3f} x spaCy's (best of {args.repeat})")


if __name__ == "__main__":
    main()
