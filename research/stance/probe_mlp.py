# Probe: UCL-style MLP (headline and body term frequencies of the 5000 most frequent words + their tf-idf cosine,
# one hidden layer of 100) in the claim-disjoint 4-fold CV of probe_cv.py, alone and averaged with a LightGBM
# candidate's out-of-fold probabilities. Usage: probe_mlp.py SPLITDIR LGB_CANDIDATE (run probe_cv.py first)
import sys, time, pickle
import numpy as np, scipy.sparse as sp
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler, normalize
from storyline.story.stance.data import read_stance_data, LABELS
from storyline.story.stance.features import FEATURE_NAMES, _hasher
from storyline.story.stance.model import apply_bias
from storyline.story.stance.text import tokens
from storyline.story.stance import train as T
from storyline.eval.stance import score

split, lgb_name = sys.argv[1], sys.argv[2]
data = read_stance_data(f"{split}/claim/train_stances.csv", f"{split}/claim/train_bodies.csv", require_stance=True)
corpus = T.Corpus.of([data])
base, blocks = pickle.load(open("/tmp/stance2/probe_cv_cache.pkl", "rb"))
fold = T.folds(corpus.groups, 4, 11)
gold = [LABELS[k] for k in corpus.labels]
h = _hasher(2**18)

def tf(texts, keep):
    u, inv = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
    return normalize(h.transform(tokens(t) for t in u)[:, keep])[inv]

def top_buckets(texts, k):
    c = h.transform(sorted(set(tokens(t))) for t in set(texts))
    df = np.bincount(c.indices, minlength=2**18)
    return np.sort(np.argsort(-df, kind="stable")[:k])

def show(name, p):
    for tag, q in (("raw", p), ("bias", apply_bias(p, T.tune_bias(p, corpus.labels, T.Options().bias_grid)))):
        s = score(gold, [LABELS[k] for k in q.argmax(1)])
        print(f"{name:22s} {tag:4s} FNC {s.fnc:.2f} F1m {100 * s.macro_f1:.2f} | "
              + " ".join(f"{l[:4]} {100 * s.f1(l):.1f}" for l in LABELS), flush=True)

lgb = np.load(f"/tmp/stance2/oof_{lgb_name}.npy")
show(f"lgb {lgb_name}", lgb)
variants = sys.argv[3:] or ["ucl", "dense"]
for variant in variants:
    oof = np.zeros((len(gold), 4)); t = time.time()
    for k in range(4):
        inside = fold != k
        if variant == "ucl":  # vocabularies from the training folds only
            hk = top_buckets([x for x, i in zip(corpus.headlines, inside) if i], 5000)
            bk = top_buckets([x for x, i in zip(corpus.bodies, inside) if i], 5000)
            X = sp.hstack([tf(corpus.headlines, hk), tf(corpus.bodies, bk), sp.csr_matrix(base[:, :1].toarray())], format="csr")
        else:  # the pair features + near features, standardised
            D = np.hstack([base[:, :len(FEATURE_NAMES)].toarray(), blocks["near"].toarray()])
            X = StanceScaler = StandardScaler().fit(D[inside]).transform(D)
            X = np.hstack([X, base[:, len(FEATURE_NAMES):].toarray()])
        m = MLPClassifier(hidden_layer_sizes=(100,), alpha=1e-3, batch_size=500, max_iter=20 if variant == "ucl" else 60,
                          early_stopping=False, random_state=0)
        m.fit(X[inside], corpus.labels[inside])
        oof[~inside] = m.predict_proba(X[~inside])
    print(f"({time.time() - t:.0f}s)")
    np.save(f"/tmp/stance2/oof_mlp_{variant}.npy", oof)
    show(f"mlp {variant}", oof)
    for w in (0.25, 0.5):
        show(f"lgb+{w}*mlp {variant}", (1 - w) * lgb + w * oof)
