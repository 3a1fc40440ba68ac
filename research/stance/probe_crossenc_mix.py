# Probe (third round, see docs/stance.md): on an evaluation part, mix the LightGBM model's stance
# probabilities (renormalised over agree / disagree / discuss) with the cross-encoder's on the pairs
# LightGBM calls related, by a weighted geometric mean (weight w on the cross-encoder), and score.
#   PYTHONPATH=. python research/stance/probe_crossenc_mix.py EVAL_PREFIX LGBM.npz W.safetensors OUT.npy
import sys, numpy as np
from storyline.eval.stance import score
from storyline.story.stance import LABELS, StanceModel, read_stance_data
from crossenc import CrossEncoderStance, ranked_body  # research/stance/crossenc.py
lgbm = StanceModel.load(sys.argv[2]); ce = CrossEncoderStance.load(sys.argv[3], base=sys.argv[2])
ev = read_stance_data(f"{sys.argv[1]}_stances.csv", f"{sys.argv[1]}_bodies.csv")
h, t = ev.headlines(), ev.body_texts()
p = lgbm.predict_proba(h, t); rel = np.flatnonzero(p.argmax(1) != 3)
c = ce.stance_proba([h[k] for k in rel], [ranked_body(lgbm, h[k], t[k]) for k in rel])
np.save(sys.argv[4], np.c_[rel, c])
for name, w in (("geo 0.5", 0.5), ("geo 0.25 ce", 0.25), ("geo 0.75 ce", 0.75)):
    l = p[rel, :3] / p[rel, :3].sum(1, keepdims=True)
    m = np.exp((1 - w) * np.log(l + 1e-9) + w * np.log(c + 1e-9))
    pred = ["unrelated"] * len(h)
    for k, r in enumerate(rel): pred[r] = LABELS[int(m[k].argmax())]
    s = score(ev.gold(), pred)
    print(name, f"FNC {s.fnc:.2f} macro-F1 {100*s.macro_f1:.2f}", [round(100 * s.f1(x), 1) for x in LABELS])
