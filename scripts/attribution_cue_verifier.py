"""Probe: would a second-stage cue verifier over the cue CRF's marginals beat the CRF's
own biased decoding? Cue-only exact P/R/F1 on held-out train's gold cues (first annotator).

    python -m storyline.analyze.attribution.training --holdout --only cue --cue-bias 0 --out /tmp/w
    pip install lightgbm        # the probe's classifier; not a dependency of storyline
    python scripts/attribution_cue_verifier.py /tmp/w

Candidates are the cues decoded with B biases 0, 1, 2 and 3.5. Each is described by which
biases found it, the CRF's marginals (B at its start, B/I over it, O after it), its length,
its head's lexicon class, POS and dependency label, and whether the head has a subject, a
clausal complement or a quotation in its sentence. A gradient-boosted classifier is trained
on the other train articles, whose marginals come from two cue CRFs each trained without
the article's jackknife fold (trained into the cache on first use, ~15 min); the threshold
is chosen on those articles too. Held-out articles are tagged by WEIGHTS' cue CRF.
"""
import argparse
import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np
from scipy.special import logsumexp

from storyline.analyze.attribution import features as F
from storyline.analyze.attribution import training as T
from storyline.analyze.attribution.candidates import strip_space
from storyline.analyze.attribution.corpus import gold_token_attributions, read_gold
from storyline.analyze.attribution.cues import CUE_CLASSES
from storyline.analyze.attribution.extract import cue_spans
from storyline.analyze.attribution.tagger import CrfTagger
from storyline.eval.attribution import Counts

BIASES = (0.0, 1.0, 2.0, 3.5)
CLASSES = {w: k for k, (_, words) in enumerate(CUE_CLASSES.items()) for w in words if " " not in w}
POS = "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split()
DEPS = "ROOT acl advcl amod ccomp conj xcomp relcl pcomp pobj dobj nsubj prep compound advmod acomp attr appos npadvmod parataxis dep".split()


def marginals(tagger: CrfTagger, emissions: np.ndarray, bounds: list[tuple[int, int]]) -> np.ndarray:
    """Per-token label marginals by forward-backward, sentence by sentence."""
    out = np.zeros_like(emissions)
    tr = tagger.transitions
    for s, e in bounds:
        if e <= s:
            continue
        em = emissions[s:e]
        a, b = np.zeros_like(em), np.zeros_like(em)
        a[0] = em[0]
        for t in range(1, e - s):
            a[t] = logsumexp(a[t - 1][:, None] + tr, axis=0) + em[t]
        for t in range(e - s - 2, -1, -1):
            b[t] = logsumexp(tr + (em[t + 1] + b[t + 1])[None, :], axis=1)
        out[s:e] = np.exp(a + b - logsumexp(a[-1]))
    return out


def fold_taggers() -> dict[int, CrfTagger]:
    """Cue CRFs trained on the non-held-out train articles outside each jackknife fold."""
    taggers = {}
    articles, docs, vectors = read_gold(T.POLNEAR / "train"), T.parsed("train"), T.tensors("train")
    for fold in (0, 1):
        out = T.CACHE / "verifier" / f"fold{fold}"
        if not (out / "cue.json").exists():
            names = [n for n in docs if articles[n].golds and not T.in_holdout(n) and not T.in_fold(n, fold, 2)]
            args = argparse.Namespace(cue_c1=0.1, cue_c2=1.0, iterations=150, cue_bias=0, annotators="first")
            T.train_taggers(names, docs, articles, vectors, ["cue"], ["cue", "role"], out, args, tag=f"-verifier{fold}")
        taggers[fold] = CrfTagger.load(out / "cue.json")
    return taggers


def candidates(doc, facts: F.TokenFacts, tagger: CrfTagger, tensor: np.ndarray) -> tuple[list[tuple[int, int]], list[list[float]]]:
    labels = tagger.labels
    b, i, o = labels.index("B"), labels.index("I"), labels.index("O")
    emissions = tagger.emissions(F.cue_features(facts), tensor) - tagger.bias  # scores without any stored bias
    margin = marginals(tagger, emissions, facts.sents)
    found: dict[tuple[int, int], set[float]] = {}
    for x in BIASES:
        shifted = emissions.copy()
        shifted[:, b] += x
        decoded = [labels[k] for k in tagger.decode(shifted, facts.sents).tolist()]
        for c in cue_spans(decoded, facts.sents):
            if (t := strip_space(facts, c)) is not None:
                found.setdefault(t, set()).add(x)
    spans, rows = [], []
    for (s, e), by in found.items():
        head = doc[F.cue_head(facts, s, e)]
        inside = margin[s:e, [b, i]].sum(axis=1)
        after = margin[e, o] if e < len(doc) and facts.sent[e] == facts.sent[s] else 1.0
        ss, se = facts.sents[int(facts.sent[s])]
        rows.append([
            *(x in by for x in BIASES), margin[s, b], inside.mean(), inside.min(), after, e - s,
            CLASSES.get(head.lemma_.lower(), -1), POS.index(head.pos_) if head.pos_ in POS else -1,
            DEPS.index(head.dep_) if head.dep_ in DEPS else -1,
            any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children), any(c.dep_ in ("ccomp", "xcomp") for c in head.children),
            bool((facts.quote[ss:se] >= 0).any()), facts.quote[head.i] >= 0, margin[head.i, b] + margin[head.i, i],
        ])
        spans.append((s, e))
    return spans, rows


def prf(tp: int, predicted: int, gold: int) -> str:
    c = Counts(tp, predicted, gold)
    return f"P {100 * c.precision:5.1f} R {100 * c.recall:5.1f} F1 {100 * c.f1:5.1f}"


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    articles, docs, vectors = read_gold(T.POLNEAR / "train"), T.parsed("train"), T.tensors("train")
    held = CrfTagger.load(Path(sys.argv[1]) / "cue.json")
    folds = fold_taggers()
    data = {True: ([], [], [0]), False: ([], [], [0])}  # held out? → rows, labels, gold count
    for name, doc in docs.items():
        if not articles[name].golds:
            continue
        out = T.in_holdout(name)
        tagger = held if out else folds[0 if T.in_fold(name, 0, 2) else 1]
        facts = F.token_facts(doc)
        gold = {g.cue for g in gold_token_attributions(doc, articles[name].golds[0])}
        spans, rows = candidates(doc, facts, tagger, vectors[name].astype(np.float32))
        data[out][0].extend(rows)
        data[out][1].extend(sp in gold for sp in spans)
        data[out][2][0] += len(gold)
    (xt, yt, (gt,)), (xh, yh, (gh,)) = [(np.asarray(x, dtype=float), np.asarray(y), g) for x, y, g in (data[False], data[True])]
    model = lgb.train(
        {"objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 30, "verbose": -1, "num_threads": 2},
        lgb.Dataset(xt, yt, categorical_feature=[9, 10, 11]), 400,
    )
    pt, ph = model.predict(xt), model.predict(xh)
    threshold = max(np.arange(0.2, 0.7, 0.025), key=lambda th: 2 * (yt & (pt > th)).sum() / ((pt > th).sum() + gt))
    print(f"{gh} held-out gold cues; {int(yh.sum())} among the {len(yh)} candidates")
    for k, x in enumerate(BIASES):
        print(f"CRF, B bias {x:3.1f}:        {prf(int((yh & (xh[:, k] == 1)).sum()), int((xh[:, k] == 1).sum()), gh)}")
    print(f"verifier, threshold {threshold:.3f}: {prf(int((yh & (ph > threshold)).sum()), int((ph > threshold).sum()), gh)}")


if __name__ == "__main__":
    main()
