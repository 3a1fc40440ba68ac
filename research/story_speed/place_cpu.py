"""CPU per document of placing a stored batch in the story layer, from scratch.

    python research/story_speed/place_cpu.py STORE.db [--export OUT.jsonl] [--tables OUT.json]

Copies STORE.db (an ingested SQLite store), empties the copy's story layer and
places every document again (``StoryEngine.catch_up``), timing wall clock and
this process's CPU. ``--export`` writes the copy's stories export afterwards, to
compare two versions of the code byte for byte. Run it from a checkout of each
version in turn (it puts its own checkout first on sys.path), alternating, so
that a load on the machine falls on both. ``--tables`` writes every story-layer table's rows,
sorted, without the times of the run (created_at, updated_at): more than the export shows (aliases,
counts, centroids), to compare too.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import spacy  # noqa: E402,F401  (imported as an ingest has it: the stop-word list comes from spaCy)

from storyline.store import open_store  # noqa: E402
from storyline.story.engine import _TABLES, StoryEngine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--export", type=Path, default=None)
    parser.add_argument("--tables", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        shutil.copyfile(args.store, copy)
        with open_store(copy) as store:
            engine = StoryEngine(store)
            with engine.db.exclusive():
                for table in _TABLES:
                    engine.db.execute(f"DELETE FROM {table}")
            cpu, wall = time.process_time(), time.perf_counter()
            n = engine.catch_up()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"{n} documents: {wall / n * 1000:.1f} ms wall, {cpu / n * 1000:.1f} ms CPU per document")
            if args.export:
                from storyline.export.stories import write_stories

                with args.export.open("w", encoding="utf-8") as out:
                    write_stories(store, out)
            if args.tables:
                _write_tables(engine, args.tables)


def _write_tables(engine: StoryEngine, path: Path) -> None:
    dump = {}
    for table in _TABLES:
        cursor = engine.db.conn.execute(f"SELECT * FROM {table}")  # type: ignore[attr-defined]
        names = [c[0] for c in cursor.description]
        keep = [i for i, name in enumerate(names) if name not in ("created_at", "updated_at")]
        dump[table] = sorted(([r[i] for i in keep] for r in cursor.fetchall()), key=repr)
    path.write_text(json.dumps(dump, indent=0), encoding="utf-8")


if __name__ == "__main__":
    main()
