# Probe (fourth round, see docs/stance.md): the held-out check of the NLI features of probe_nli.py, scored once.
# Trains the shipped configuration (train.py's train: --short-copies, class biases on 3 claim-disjoint folds) on
# SPLIT/train, with and without the NLI block appended to the pair features, and scores SPLIT/heldout with whole
# bodies and bodies cut to their 1 or 2 sentences closest to the headline (as `storyline eval stance --cut-bodies`).
#   PYTHONPATH=. python research/stance/probe_nli_heldout.py SPLIT [--k 3] [--min-sim 0.05] [--threads 2] [--only nli]
# (SPLIT e.g. /tmp/stance2/fnc/claim). The NLI outputs come from probe_nli.py's cache where they were scored before.
import argparse
import sys
import time

import numpy as np
import scipy.sparse as sp

from storyline.eval.stance import score
from storyline.story.stance import LABELS
from storyline.story.stance import train as T
from storyline.story.stance.data import read_stance_data
from storyline.story.stance.model import StanceModel
from probe_nli import NLI_NAMES, WHEEL, Contradiction, nli_block  # research/stance/probe_nli.py


def with_nli(nli: Contradiction, k: int, min_sim: float) -> None:
    """Make StanceModel.features append the NLI block (ranked by the model's own featurizer) to its features."""
    plain = StanceModel.features

    def features(self: StanceModel, headlines, bodies) -> sp.csr_matrix:
        block = nli_block(self.featurizer, list(headlines), list(bodies), nli, k, min_sim)
        return sp.hstack([plain(self, headlines, bodies), sp.csr_matrix(block)], format="csr")

    StanceModel.features = features
    T.FEATURE_NAMES = T.FEATURE_NAMES + NLI_NAMES  # names only label the columns; the count must match


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("split")
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--min-sim", type=float, default=0.05)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cache", default="/tmp/nli_cache.sqlite")
    ap.add_argument("--only", choices=("base", "nli"), default=None)
    args = ap.parse_args()
    train = read_stance_data(f"{args.split}/train_stances.csv", f"{args.split}/train_bodies.csv", require_stance=True)
    held = read_stance_data(f"{args.split}/heldout_stances.csv", f"{args.split}/heldout_bodies.csv", require_stance=True)
    heads, texts = held.headlines(), held.body_texts()
    nli = Contradiction(WHEEL, args.threads, args.cache)
    for name in ("base", "nli"):
        if args.only and name != args.only:
            continue
        if name == "nli":
            with_nli(nli, args.k, args.min_sim)
        started = time.perf_counter()
        model = T.train([train], T.Options(short_copies=True))
        print(f"== {name}: trained in {time.perf_counter() - started:.0f}s", flush=True)
        for cut in (0, 1, 2):
            cut_texts = texts if not cut else [model.featurizer.closest_sentences(h, t, cut) for h, t in zip(heads, texts)]
            started = time.perf_counter()
            predicted = model.predict(heads, cut_texts)
            seconds = time.perf_counter() - started
            s = score(held.gold(), predicted)
            print(f"{name} heldout {'cut to ' + str(cut) if cut else 'whole bodies'}: FNC {s.fnc:.2f} macro-F1 "
                  f"{100 * s.macro_f1:.2f} F1 {[round(100 * s.f1(c), 1) for c in LABELS]} "
                  f"({len(heads) / seconds:.0f} pairs/s)\n  confusion (rows gold) {s.confusion.astype(int).tolist()}",
                  flush=True)
    if nli.scored:
        print(f"NLI: {nli.scored} pairs scored in {nli.seconds:.0f}s, {nli.scored / nli.seconds:.1f} pairs/s")


if __name__ == "__main__":
    sys.exit(main())
