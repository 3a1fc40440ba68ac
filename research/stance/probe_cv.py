# Probe: claim-disjoint 4-fold cross-validation on FNC-1 claim/train for candidate feature blocks and settings.
# Usage: probe_cv.py SPLITDIR [candidate ...]   (SPLITDIR as written by storyline.story.stance.splits, e.g. /tmp/stance2/fnc)
# Out-of-fold predictions over all of claim/train (34,799 pairs, ~150 claims) are steadier than the 2,730-pair dev part.
# Features are cached in /tmp/stance2/probe_cv_cache.pkl (delete it after changing them); out-of-fold probabilities
# are saved as /tmp/stance2/oof_CANDIDATE.npy for probe_mlp.py. near_fw and fwhead_near_fw were not run (fw was slow and worse).
# Reports raw argmax and with class biases tuned on the same out-of-fold predictions (optimistic alike for all).
import sys, time, pickle, os
import numpy as np, scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.preprocessing import normalize
from storyline.story.stance.data import read_stance_data, LABELS
from storyline.story.stance.features import Featurizer, HeadlineWords, fit_idf, FEATURE_NAMES
from storyline.story.stance.model import StanceModel, apply_bias
from storyline.story.stance.text import WORD_CLASSES, sentences, tokens
from storyline.story.stance import train as T
from storyline.eval.stance import score

split = sys.argv[1]
wanted = [a for a in sys.argv[2:] if not a.startswith("seed=")]
fold_seed = int(next((a[5:] for a in sys.argv[2:] if a.startswith("seed=")), 11))  # seed=N: another fold assignment
data = read_stance_data(f"{split}/claim/train_stances.csv", f"{split}/claim/train_bodies.csv", require_stance=True)
corpus = T.Corpus.of([data])
cache = "/tmp/stance2/probe_cv_cache.pkl"
t0 = time.time()
if os.path.exists(cache):
    base, blocks = pickle.load(open(cache, "rb"))
else:
    featurizer = Featurizer(fit_idf(sorted(set(corpus.bodies)) + sorted(set(corpus.headlines))))
    hw = HeadlineWords.fit(featurizer, corpus.headlines, 500)
    model = StanceModel(featurizer, hw, None)
    base = model.features(corpus.headlines, corpus.bodies)
    # --- candidate blocks ---
    vocab = sorted(ENGLISH_STOP_WORDS | {w for _, m in WORD_CLASSES for w in m} | {"n't"})
    index = {w: i for i, w in enumerate(vocab)}
    classes = [m for _, m in WORD_CLASSES]

    def fw(tok_lists):
        rows, cols, vals = [], [], []
        for r, toks in enumerate(tok_lists):
            n = max(len(toks), 1)
            c = {}
            for w in toks:
                if w in index:
                    c[index[w]] = c.get(index[w], 0) + 1
            for k, v in c.items():
                rows.append(r); cols.append(k); vals.append(v / n)
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(tok_lists), len(vocab)), dtype=np.float32)

    uh = sorted(set(corpus.headlines)); ub = sorted(set(corpus.bodies))
    htok = {h: tokens(h) for h in uh}
    hvec = dict(zip(uh, featurizer._tfidf([htok[h] for h in uh])))
    bsent = {}
    for b in ub:
        ss = [t for t in map(tokens, sentences(b)) if t] or [[]]
        bsent[b] = (ss, featurizer._tfidf(ss))
    stem = lambda w: w[:5]
    top_tokens, near = [], []
    W = 4
    for h, b in zip(corpus.headlines, corpus.bodies):
        ss, mat = bsent[b]
        sims = (mat @ hvec[h].T).toarray().ravel()
        order = np.argsort(-sims, kind="stable")[:3]
        top = [ss[k] for k in order]
        top_tokens.append([w for s in top for w in s])
        content = {stem(w) for w in htok[h] if w not in ENGLISH_STOP_WORDS and len(w) > 2}
        feats = []
        # per class: words of the class within W tokens of a headline content word, in the top-3 sentences and
        # in all sentences that share >= 2 headline content words; a negation directly before (<=3) a headline word.
        def near_counts(sent_list):
            out = np.zeros(len(classes) + 2)
            for s in sent_list:
                hits = [i for i, w in enumerate(s) if stem(w) in content]
                if not hits:
                    continue
                for i, w in enumerate(s):
                    for c, m in enumerate(classes):
                        if w in m and any(abs(i - j) <= W for j in hits):
                            out[c] += 1
                    if w in classes[0] and any(0 < j - i <= 3 for j in hits):
                        out[len(classes)] += 1
                out[len(classes) + 1] += 1
            return out
        related = [s for s in ss if len({stem(w) for w in s} & content) >= 2]
        a = near_counts(top); bb = near_counts(related)
        nrel = max(bb[-1], 1)
        feats = list(a[:-1]) + list(bb[:-1] / nrel) + [bb[-1], bb[-1] / len(ss)]
        near.append(feats)
    blocks = {
        "near": sp.csr_matrix(np.asarray(near, dtype=np.float32)),
        "fwtop": fw(top_tokens),
        "fwbody": fw([[w for s in bsent[b][0] for w in s] for b in corpus.bodies]),
        "fwhead": fw([htok[h] for h in corpus.headlines]),
    }
    pickle.dump((base, blocks), open(cache, "wb"))
print(f"features {time.time() - t0:.0f}s", flush=True)
n_dense = len(FEATURE_NAMES)
fold = T.folds(corpus.groups, 4, fold_seed)

CANDIDATES = {
    "base": (["base"], {}),
    "near": (["base", "near"], {}),
    "fw": (["base", "fwtop", "fwbody"], {}),
    "near_fw": (["base", "near", "fwtop", "fwbody"], {}),
    "fwhead": (["dense", "fwhead"], {}),
    "fwhead_near_fw": (["dense", "fwhead", "near", "fwtop", "fwbody"], {}),
    "reg": (["base"], {"min_child": 100, "feature_fraction": 0.5}),
    "cw": (["base"], {"class_weight_power": 0.5}),
}
# Blocks written by other probes (probe_nli.py: /tmp/stance2/block_NAME_train.npy, one row per claim/train pair, NaN
# where missing), used by a candidate named after its parts joined by "+", e.g. base+nli.
for name in wanted:
    for part in name.split("+"):
        path = f"/tmp/stance2/block_{part}_train.npy"
        if part not in blocks and os.path.exists(path):
            blocks[part] = sp.csr_matrix(np.load(path))
for name in wanted or CANDIDATES:
    parts, opts = CANDIDATES.get(name, (name.split("+"), {}))
    mats = [base if p == "base" else base[:, :n_dense] if p == "dense" else blocks[p] for p in parts]
    X = sp.hstack(mats, format="csr").astype(np.float32)
    options = T.Options(**{"trees": 400, "learning_rate": 0.07, **opts})
    names = [f"f{i}" for i in range(X.shape[1])]
    oof = np.zeros((len(corpus.labels), 4))
    t = time.time()
    for k in range(4):
        inside = fold != k
        booster = T.fit_trees(X[inside], corpus.labels[inside], options, names)
        oof[~inside] = booster.predict(X[~inside]).reshape(-1, 4)
    np.save(f"/tmp/stance2/oof_{name}{'' if fold_seed == 11 else f'_seed{fold_seed}'}.npy", oof)
    bias = T.tune_bias(oof, corpus.labels, options.bias_grid)
    gold = [LABELS[k] for k in corpus.labels]
    for tag, p in (("raw", oof), ("bias", apply_bias(oof, bias))):
        s = score(gold, [LABELS[k] for k in p.argmax(1)])
        print(f"{name:16s} {tag:4s} FNC {s.fnc:.2f} F1m {100 * s.macro_f1:.2f} | "
              + " ".join(f"{l[:4]} {100 * s.f1(l):.1f}" for l in LABELS) + f"  ({time.time() - t:.0f}s, {X.shape[1]} feats)",
              flush=True)
        print(f"{'':21s} confusion (rows gold) {s.confusion.astype(int).tolist()}", flush=True)
