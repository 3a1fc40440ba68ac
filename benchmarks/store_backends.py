"""SQLite against PostgreSQL on the bundled sample, in the same run.

    python benchmarks/store_backends.py postgresql://USER@HOST/DB [--repeat 3]

Needs the ``postgres`` extra and a database its user may create schemas in (each
run works in a new schema, dropped at the end). Reported:

* ``storyline -j 1 ingest samples/`` end to end into a new SQLite file and into the
  server (analysis, storing, the story layer), each timed once, and their ratio;
* storing alone: the sample's 80 analysed documents saved into a new store of each
  kind, ``--repeat`` times alternating, median seconds and ratio;
* whether ``storyline export --format jsonl`` gives the same records from both
  (every line equal but the time the document was stored, ``ingested_at``);
* whether ``storyline export --format stories`` gives the same stories from both: their
  ids and member documents, their claims' ids and statements, and every line whole.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import contextlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyline.model import Analysis, Document  # noqa: E402
from storyline.store import open_store  # noqa: E402

STORYLINE = Path(sys.executable).with_name("storyline")
INGESTED_AT = re.compile(r'"ingested_at": "[^"]*"')


def new_schema(url: str) -> contextlib.AbstractContextManager[str]:
    """``url`` with a new, empty schema first on its search path; dropped afterwards."""
    from storyline.store.postgres import new_schema as schema

    return schema(url, "storyline_bench")


def timed_ingest(db: str) -> float:
    start = time.perf_counter()
    subprocess.run([STORYLINE, "--db", db, "-j", "1", "ingest", str(ROOT / "samples")], check=True, capture_output=True)
    return time.perf_counter() - start


def export(db: str) -> list[str]:
    out = subprocess.run([STORYLINE, "--db", db, "export", "--format", "jsonl"], check=True, capture_output=True, text=True)
    return [INGESTED_AT.sub("", line) for line in out.stdout.splitlines()]


def stories(db: str) -> list[dict]:
    out = subprocess.run([STORYLINE, "--db", db, "export", "--format", "stories"], check=True, capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def compare_stories(lite: str, pg: str) -> None:
    a, b = stories(lite), stories(pg)

    def members(records: list[dict]) -> list[tuple[str, list[str]]]:
        return [(r["story_id"], [d["doc_id"] for d in r["documents"]]) for r in records]

    def claims(records: list[dict]) -> list[tuple[str, list[str]]]:
        return [(c["claim_id"], [s["statement_id"] for s in c["statements"]]) for r in records for c in r["claims"]]

    print(f"export --format stories: {len(a)} stories / {len(b)}, {len(claims(a))} claims / {len(claims(b))} "
          f"(SQLite / PostgreSQL); story ids and members {'the same' if members(a) == members(b) else 'DIFFERENT'}; "
          f"claim ids and statements {'the same' if claims(a) == claims(b) else 'DIFFERENT'}; "
          f"whole lines {'the same' if a == b else 'DIFFERENT'}")


def timed_saves(location: str, analysed: list[tuple[Document, Analysis]]) -> float:
    with open_store(location) as store:
        start = time.perf_counter()
        for document, analysis in analysed:
            store.save(document, analysis)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("postgres", help="postgresql:// URL of a database to work in")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, new_schema(args.postgres) as pg:
        lite = str(Path(folder) / "sample.db")
        seconds = {"sqlite": timed_ingest(lite), "postgresql": timed_ingest(pg)}
        print(f"ingest samples/ (-j 1): SQLite {seconds['sqlite']:.2f} s, PostgreSQL {seconds['postgresql']:.2f} s, "
              f"ratio PostgreSQL/SQLite {seconds['postgresql'] / seconds['sqlite']:.2f}")
        same = export(lite) == export(pg)
        print(f"export --format jsonl: {'the same records' if same else 'DIFFERENT records'} "
              f"({len(export(lite))} lines; ingested_at aside)")
        compare_stories(lite, pg)
        with open_store(lite) as store:
            analysed = [(d, store.analysis(d.id)) for d in store.documents()]
        saves: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
        for k in range(args.repeat):
            saves["sqlite"].append(timed_saves(str(Path(folder) / f"saves-{k}.db"), analysed))
            with new_schema(args.postgres) as fresh:
                saves["postgresql"].append(timed_saves(fresh, analysed))
        median = {kind: statistics.median(values) for kind, values in saves.items()}
        print(f"storing {len(analysed)} analysed documents (median of {args.repeat}): SQLite {median['sqlite']:.3f} s, "
              f"PostgreSQL {median['postgresql']:.3f} s, ratio PostgreSQL/SQLite {median['postgresql'] / median['sqlite']:.2f}")


if __name__ == "__main__":
    main()
