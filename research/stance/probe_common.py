# Probe helpers: load split folders written by `python -m storyline.story.stance.splits ... --out /tmp/stance/fnc` (and /tmp/stance/arc).
import sys, time, numpy as np, scipy.sparse as sp
from sklearn.preprocessing import normalize
from storyline.story.stance.data import read_stance_data, LABELS
from storyline.story.stance.features import Featurizer, fit_idf, _hasher
from storyline.story.stance.text import tokens
from storyline.eval.stance import score

def load(kind, a='train-inner', b='dev', ds='fnc'):
    base = f'/tmp/stance/{ds}/{kind}/'
    tr = read_stance_data(base+f'{a}_stances.csv', base+f'{a}_bodies.csv')
    dv = read_stance_data(base+f'{b}_stances.csv', base+f'{b}_bodies.csv')
    return tr, dv

def y(d): return np.array([LABELS.index(s) for s in d.gold()])

class BoW:
    def __init__(self, texts, k=5000, nb=2**18):
        self.h = _hasher(nb)
        c = self.h.transform(sorted(set(tokens(t))) for t in texts)
        df = np.bincount(c.indices, minlength=nb)
        self.keep = np.sort(np.argsort(-df, kind='stable')[:k])
    def __call__(self, texts):
        u, inv = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        m = self.h.transform(tokens(t) for t in u)[:, self.keep]
        return normalize(m)[inv]

def report(dv, p, name=''):
    s = score(dv.gold(), [LABELS[k] for k in p.argmax(1)])
    print(name, f"FNC {s.fnc:.2f} F1m {100*s.macro_f1:.2f} | " + " ".join(f"{l[:4]} {100*s.f1(l):.1f}" for l in LABELS))
    return s
