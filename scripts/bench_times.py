"""Cost of the ``storyline_times`` component next to bare en_core_web_sm.

Usage: python scripts/bench_times.py [TEXT_DIR] [--limit N]

Parses the texts once with the bare model (timed), then runs the time tagger
over the parsed docs (timed), one process, and prints both per 1,000 words.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from storyline.analyze import extensions
from storyline.analyze.times.component import TimeTagger
from storyline.config import DEFAULT_MODEL


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("texts", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared/data/polnear/dev/text"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    files = sorted(Path(args.texts).glob("*.txt"))
    if args.limit:
        files = files[: args.limit]
    texts = [f.read_text(encoding="utf-8") for f in files]
    words = sum(len(t.split()) for t in texts)
    extensions.register()
    nlp = spacy.load(args.model)
    start = time.process_time()
    docs = list(nlp.pipe(texts, batch_size=16))
    bare = time.process_time() - start
    tagger = TimeTagger()
    start = time.process_time()
    found = 0
    for doc in docs:
        doc._.published = "2016-10-01T12:00:00+00:00"
        found += len(tagger(doc)._.times)
    own = time.process_time() - start
    print(f"{len(texts)} texts, {words} words, {found} time expressions")
    print(f"bare {args.model}: {1e6 * bare / words:.1f} ms per 1,000 words")
    print(f"storyline_times:   {1e6 * own / words:.1f} ms per 1,000 words ({100 * own / bare:.1f}% of bare)")


if __name__ == "__main__":
    main()
