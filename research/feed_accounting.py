"""Account for every file and every feed entry of a folder: nothing may vanish.

Reads a folder as ``storyline ingest`` does (reading only, no analysis) and
checks, file by file, that each yields at least one document or rejection, and
for feeds that every entry feedparser finds ends as a document or a rejection.

    python research/feed_accounting.py FOLDER [--list]

Used on feedparser's own test feeds (the ``tests/`` folder of the feedparser
sdist: ``pip download feedparser --no-binary :all: --no-deps``).
"""

from __future__ import annotations

import argparse
import collections
import time
import warnings
from pathlib import Path

import feedparser

from storyline.ingest.files import KINDS, ReadOptions, Rejected, expand, read_file
from storyline.ingest.outlets import Outlets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--list", action="store_true", help="list the files that lose something")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    options = ReadOptions(outlets=Outlets.bundled())
    files = silent = lost_entries = docs = rejections = 0
    losing: list[str] = []
    reasons: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    for entry in expand([args.folder]):
        files += 1
        if isinstance(entry, Rejected):
            rejections += 1
            reasons[entry.reason.split(":")[0][:60]] += 1
            continue
        results = list(read_file(entry, options))
        n_docs = sum(not isinstance(r, Rejected) for r in results)
        n_rej = len(results) - n_docs
        docs += n_docs
        rejections += n_rej
        for r in results:
            if isinstance(r, Rejected):
                reasons[r.reason.split(":")[0][:60]] += 1
        if not results:
            silent += 1
            losing.append(f"{entry}: nothing")
        if KINDS.get(entry.suffix.lower()) == "feed":
            entries = len(feedparser.parse(entry.read_bytes()).entries)
            per_entry = {r.item for r in results if isinstance(r, Rejected) and r.item} | {
                str(r.meta.get("item")) for r in results if not isinstance(r, Rejected)
            }
            file_level = any(isinstance(r, Rejected) and not r.item for r in results)
            if entries and len(per_entry) < entries and not file_level:
                lost_entries += entries - len(per_entry)
                losing.append(f"{entry}: {entries} entries, {len(per_entry)} accounted for")
    seconds = time.perf_counter() - started
    print(f"{files} files: {docs} documents, {rejections} rejections, {silent} files with no outcome, "
          f"{lost_entries} feed entries with no outcome ({seconds:.0f} s)")
    for reason, n in reasons.most_common(15):
        print(f"  {n:5d}  {reason}")
    if args.list:
        print("\n".join(losing))


if __name__ == "__main__":
    main()
