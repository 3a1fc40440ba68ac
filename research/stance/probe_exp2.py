# Probe: UCL-style MLP on headline and body term vectors (5000 words each) + cosine. Usage: probe_exp2.py {claim|body}
import sys; sys.path.insert(0, __import__('os').path.dirname(__file__))
from probe_common import *
from sklearn.neural_network import MLPClassifier
kind = sys.argv[1]
tr, dv = load(kind)
idf = fit_idf(list(tr.bodies.values()) + sorted({p.headline for p in tr.pairs}))
f = Featurizer(idf)
Ft = f.transform(tr.headlines(), tr.body_texts()); Fd = f.transform(dv.headlines(), dv.body_texts())
bh = BoW(sorted({p.headline for p in tr.pairs})); bb = BoW(list(tr.bodies.values()))
def X(d, F): return sp.hstack([bh(d.headlines()), bb(d.body_texts()), sp.csr_matrix(F[:, :1])]).tocsr()
Xt, Xd = X(tr, Ft), X(dv, Fd)
for alpha in [1e-4, 1e-3]:
  for it in [10, 30]:
    t=time.time()
    m = MLPClassifier(hidden_layer_sizes=(100,), alpha=alpha, batch_size=500, learning_rate_init=0.001, max_iter=it, random_state=0)
    m.fit(Xt, y(tr))
    report(dv, m.predict_proba(Xd), f'mlp a={alpha} it={it} {time.time()-t:.0f}s')
