# Probe: LightGBM on the pair features alone, no class biases. Usage: probe_exp1.py {claim|body} [class-weight power]
import sys, time, numpy as np, lightgbm as lgb
from storyline.story.stance.data import read_stance_data, LABELS
from storyline.story.stance.features import Featurizer, fit_idf
from storyline.eval.stance import score
kind = sys.argv[1]; cw = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
base = f'/tmp/stance/fnc/{kind}/'
tr = read_stance_data(base+'train-inner_stances.csv', base+'train-inner_bodies.csv')
dv = read_stance_data(base+'dev_stances.csv', base+'dev_bodies.csv')
idf = fit_idf(list(tr.bodies.values()) + sorted({p.headline for p in tr.pairs}))
f = Featurizer(idf)
Xt = f.transform(tr.headlines(), tr.body_texts()); yt = np.array([LABELS.index(s) for s in tr.gold()])
Xd = f.transform(dv.headlines(), dv.body_texts())
cnt = np.bincount(yt); w = (cnt.sum()/cnt/4)**cw
t=time.time()
m = lgb.LGBMClassifier(n_estimators=500, learning_rate=0.05, num_leaves=31, min_child_samples=20, subsample=0.8, subsample_freq=1, colsample_bytree=0.8, verbose=-1, n_jobs=1)
m.fit(Xt, yt, sample_weight=w[yt])
print('train s', time.time()-t)
p = m.predict_proba(Xd)
s = score(dv.gold(), [LABELS[k] for k in p.argmax(1)])
print(s.table())
