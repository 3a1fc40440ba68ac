# Probe: LightGBM on the pair features + headline words (h) and/or body words (b). Usage: probe_exp3.py {claim|body} {d|dh|db|dhb}
import sys; sys.path.insert(0, __import__('os').path.dirname(__file__))
from probe_common import *
import lightgbm as lgb
from storyline.story.stance.text import sentences
kind = sys.argv[1]; mode = sys.argv[2]
tr, dv = load(kind)
idf = fit_idf(list(tr.bodies.values()) + sorted({p.headline for p in tr.pairs}))
f = Featurizer(idf)
Ft = f.transform(tr.headlines(), tr.body_texts()); Fd = f.transform(dv.headlines(), dv.body_texts())
bh = BoW(sorted({p.headline for p in tr.pairs}), k=500); bb = BoW(list(tr.bodies.values()), k=2000)
def X(d, F):
    parts = [sp.csr_matrix(F)]
    if 'h' in mode: parts.append(bh(d.headlines()))
    if 'b' in mode: parts.append(bb(d.body_texts()))
    return sp.hstack(parts).tocsr().astype(np.float32)
Xt, Xd = X(tr, Ft), X(dv, Fd)
t=time.time()
m = lgb.LGBMClassifier(n_estimators=500, learning_rate=0.05, num_leaves=31, subsample=0.8, subsample_freq=1, colsample_bytree=0.5, verbose=-1, n_jobs=2)
m.fit(Xt, y(tr))
report(dv, m.predict_proba(Xd), f'gbdt {mode} {time.time()-t:.0f}s')
