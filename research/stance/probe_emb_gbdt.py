# Probe: the shipped feature set (no short copies) with or without the MiniLM features of probe_embed.py,
# class biases tuned on 3 claim-disjoint folds of the training part as in train.py; scored on dev.
#   .venv/bin/python research/stance/probe_emb_gbdt.py /tmp/stance/fnc/claim/train-inner /tmp/stance/fnc/claim/dev
import sys

import numpy as np
import scipy.sparse as sp

from storyline.eval.stance import score
from storyline.story.stance import LABELS, read_stance_data
from storyline.story.stance.features import FEATURE_NAMES, Featurizer, HeadlineWords, fit_idf
from storyline.story.stance.model import StanceModel, apply_bias
from storyline.story.stance.train import Corpus, Options, fit_trees, folds, tune_bias

train_prefix, dev_prefix = sys.argv[1:3]
tr = read_stance_data(f"{train_prefix}_stances.csv", f"{train_prefix}_bodies.csv", require_stance=True)
dv = read_stance_data(f"{dev_prefix}_stances.csv", f"{dev_prefix}_bodies.csv", require_stance=True)
corpus = Corpus.of([tr])
options = Options()
featurizer = Featurizer(fit_idf(sorted(set(corpus.bodies)) + sorted(set(corpus.headlines))))
model = StanceModel(featurizer, HeadlineWords.fit(featurizer, corpus.headlines, options.headline_words), None)
base_tr = model.features(corpus.headlines, corpus.bodies)
base_dv = model.features(dv.headlines(), dv.body_texts())
names = list(FEATURE_NAMES) + model.headline_words.names
for with_emb in (False, True):
    Xt, Xd, n = base_tr, base_dv, names
    if with_emb:
        Xt = sp.hstack([base_tr, sp.csr_matrix(np.load(f"{train_prefix}_emb.npy"))], format="csr")
        Xd = sp.hstack([base_dv, sp.csr_matrix(np.load(f"{dev_prefix}_emb.npy"))], format="csr")
        n = names + ["emb_cos_body", "emb_sim_max", "emb_sim_top_mean"]
    fold = folds(corpus.groups, options.folds, options.seed)
    oof = np.zeros((len(corpus.labels), len(LABELS)))
    for k in range(options.folds):
        model.booster = fit_trees(Xt[fold != k], corpus.labels[fold != k], options, n)
        oof[fold == k] = model.raw_proba(Xt[fold == k])
    bias = tune_bias(oof, corpus.labels, options.bias_grid)
    model.booster = fit_trees(Xt, corpus.labels, options, n)
    s = score(dv.gold(), [LABELS[k] for k in apply_bias(model.raw_proba(Xd), bias).argmax(1)])
    print(f"embeddings={with_emb}: FNC {s.fnc:.2f} macro-F1 {100 * s.macro_f1:.2f} | "
          + " ".join(f"{label} {100 * s.f1(label):.1f}" for label in LABELS))
