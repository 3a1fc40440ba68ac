"""Cost of the ``storyline_places`` component next to bare en_core_web_sm.

Usage: python scripts/bench_places.py [TEXT_DIR] [--limit N] [--memory with|without]

Parses the texts once with the model plus storyline's components up to
``storyline_entities`` (timed: "upstream"), then runs ``storyline_places``
over the parsed docs (timed), one process, and prints both per 1,000 words,
with the bare model's time for comparison. The gazetteer is opened (built if
missing) before timing; the first look-ups of each name are included.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import spacy

from storyline.analyze import extensions
from storyline.analyze.pipeline import STORYLINE_COMPONENTS, load_pipeline
from storyline.analyze.places.component import PlaceResolver
from storyline.config import DEFAULT_MODEL


def memory(model: str, texts: list[str], with_places: bool) -> None:
    """Peak RSS of nlp.pipe(n_process=2) through storyline_places (or up to it), per worker."""
    names = [name for name, _, _ in STORYLINE_COMPONENTS]
    start = names.index("storyline_places") + (1 if with_places else 0)
    nlp = load_pipeline(model, exclude=names[start:])
    for _ in nlp.pipe(texts, n_process=2, batch_size=16):
        pass
    print(f"{'with' if with_places else 'without'} storyline_places, n_process=2: "
          f"parent {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
          f"largest worker {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("texts", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared/data/polnear/dev/text"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--memory", choices=("with", "without"), help="Measure peak memory of a 2-process run instead.")
    args = parser.parse_args()
    files = sorted(Path(args.texts).glob("*.txt"))[: args.limit or None]
    texts = [f.read_text(encoding="utf-8") for f in files]
    if args.memory:
        memory(args.model, texts, args.memory == "with")
        return
    words = sum(len(t.split()) for t in texts)
    extensions.register()
    bare_nlp = spacy.load(args.model)
    start = time.process_time()
    for _ in bare_nlp.pipe(texts, batch_size=16):
        pass
    bare = time.process_time() - start
    names = [name for name, _, _ in STORYLINE_COMPONENTS]
    nlp = load_pipeline(args.model, exclude=names[names.index("storyline_places"):])
    start = time.process_time()
    docs = list(nlp.pipe(texts, batch_size=16))
    upstream = time.process_time() - start
    places = PlaceResolver()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    resolved = 0
    for doc in docs:
        resolved += sum(e.lat is not None for e in places(doc)._.entities or [])
    own = time.process_time() - start
    print(f"{len(texts)} texts, {words} words, {resolved} place entities resolved")
    print(f"bare {args.model}: {1e6 * bare / words:.1f} ms per 1,000 words")
    print(f"model + storyline components before places: {1e6 * upstream / words:.1f} ms per 1,000 words")
    print(f"storyline_places: {1e6 * own / words:.1f} ms per 1,000 words ({100 * own / bare:.1f}% of bare)")
    print(f"peak RSS of this process: {rss / 1024:.0f} MB before places, "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB after")


if __name__ == "__main__":
    main()
