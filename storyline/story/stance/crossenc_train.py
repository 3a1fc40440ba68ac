"""Fine-tune the MiniLM cross-encoder of the optional stance model on the related pairs of FNC-1-format data.

    python -m storyline.story.stance.crossenc_train --data STANCES BODIES [--out W.safetensors]

Needs the embeddings extra (torch). Only the top ``--train-layers`` transformer layers, the pooler
and the head learn: the frozen layers' output is computed once per pair and cached, so an epoch
costs a forward pass of the frozen layers once and forward + backward of the top layers per epoch.
Class weights (1 / class frequency)^0.5 in the loss, because ``disagree`` is rare.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from storyline.story.stance.crossenc import STANCES, WEIGHTS, base_network, ranked_body, save
from storyline.story.stance.data import StanceData, read_stance_data
from storyline.story.stance.model import StanceModel
from storyline.story.stance.train import data_parser


@dataclass(frozen=True)
class Options:
    epochs: float = 1.0
    train_layers: int = 2
    max_len: int = 128
    keep: int = 8  # body sentences given, most similar to the headline first
    batch: int = 16
    learning_rate: float = 4e-5
    class_power: float = 0.5
    threads: int = 2
    seed: int = 0


def related_rows(sets: Sequence[StanceData], ranker: StanceModel, keep: int) -> list[tuple[str, str, int]]:
    """(headline, ranked body, stance index) of every related pair."""
    return [(p.headline, ranked_body(ranker, p.headline, d.bodies[p.body_id], keep), STANCES.index(p.stance))
            for d in sets for p in d.pairs if p.stance in STANCES]


def fine_tune(rows: Sequence[tuple[str, str, int]], options: Options = Options(), log: Callable[[str], None] = print):  # noqa: ANN201
    """The fine-tuned network (transformers' BertForSequenceClassification, 3 labels) and its tokenizer."""
    import torch

    torch.set_num_threads(options.threads)
    torch.manual_seed(options.seed)
    rng = np.random.default_rng(options.seed)
    net, tok = base_network()
    y = np.array([r[2] for r in rows])
    freq = np.bincount(y, minlength=len(STANCES)) / len(y)
    raw = (1 / np.maximum(freq, 1e-9)) ** options.class_power
    weights = torch.tensor(raw / (raw * freq).sum(), dtype=torch.float32)  # the mean weight of a pair is 1
    log(f"{len(rows)} related pairs {np.bincount(y, minlength=len(STANCES)).tolist()}, class weights {weights.numpy().round(2).tolist()}")

    bert = net.bert
    frozen = len(bert.encoder.layer) - options.train_layers
    for param in net.parameters():
        param.requires_grad = False
    for module in (*bert.encoder.layer[frozen:], bert.pooler, net.classifier):
        for param in module.parameters():
            param.requires_grad = True

    started = time.perf_counter()
    cache = []  # per pair: the frozen layers' output, fp16, trimmed to its tokens
    net.eval()
    with torch.inference_mode():
        for k in range(0, len(rows), 64):
            chunk = rows[k:k + 64]
            enc = tok([c[0] for c in chunk], [c[1] for c in chunk], truncation="only_second",
                      max_length=options.max_len, padding=True, return_tensors="pt")
            hidden = bert(**enc, output_hidden_states=True).hidden_states[frozen]
            for h, m in zip(hidden, enc["attention_mask"]):
                cache.append(h[: int(m.sum())].to(torch.float16).clone())
    log(f"frozen layers' output of {len(cache)} pairs cached in {time.perf_counter() - started:.0f}s")

    labels = torch.tensor(y)
    steps = int(np.ceil(len(rows) * options.epochs / options.batch))
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=options.learning_rate, weight_decay=0.01)
    warmup = 0.06 * steps
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup))))
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    stream = np.concatenate([rng.permutation(len(rows)) for _ in range(int(np.ceil(options.epochs)))])
    net.train()
    for step in range(steps):
        idx = stream[step * options.batch:(step + 1) * options.batch]
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
        loss = loss_fn(net.classifier(net.dropout(bert.pooler(hidden))), labels[idx])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if step % 200 == 0 or step == steps - 1:
            log(f"step {step + 1}/{steps} loss {loss.item():.3f}, {time.perf_counter() - started:.0f}s")
    net.eval()
    log(f"trained in {time.perf_counter() - started:.0f}s")
    return net, tok


def main(argv: list[str] | None = None) -> None:
    parser = data_parser(__doc__.split("\n\n")[0], WEIGHTS)
    parser.add_argument("--base", type=Path, default=None, help="LightGBM stance weights whose sentence ranker picks the body's sentences (default: the shipped ones)")
    for option in fields(Options):  # every training option, e.g. --epochs 2 --train-layers 2 --class-power 0.5
        parser.add_argument("--" + option.name.replace("_", "-"), type=type(option.default), default=option.default)
    args = parser.parse_args(argv)
    options = Options(**{option.name: getattr(args, option.name) for option in fields(Options)})
    sets = [read_stance_data(stances, bodies, require_stance=True) for stances, bodies in args.data]
    rows = related_rows(sets, StanceModel.load(args.base), options.keep)
    net, _ = fine_tune(rows, options)
    save(net, args.out, train_layers=options.train_layers, max_len=options.max_len, keep=options.keep)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
