"""Do the store's common queries stay fast as it grows?

    python benchmarks/store_scale.py [--sizes 10000 100000] [--runs 30] [--story-docs 3000]
                                     [--cache DIR] [--plans]

Fills one store with synthetic copies of the sample's documents (see
benchmarks/synthetic.py; each has its own URL, and its statement and event
dates move with its publication date) through ``store.save``, and at each size measures, with
parameters drawn from the store itself:

* p50/p95 of each common query, reading what a page shows (50 rows, as
  ``--limit 50``): statements (unfiltered; by speaker; FTS search; cue class and
  a 30-day range), the timeline's first page and a 30-day range in full, and
  the story page (``storyline.story.views`` claims, series, timeline) of the
  largest story. Only the last ``--story-docs`` documents of each size go
  through the story layer (60 ms a document would take hours at 100,000), so
  the store holds every document and stories over the newest of them.
* seconds to save 100 documents into this store / into an empty one, the
  checkpoint of their WAL pages included (median of 3, same run);
* the JSON Lines export, documents per second, batched against one document
  at a time (``store.analysis`` per document, as before), same run;
* printing a statement: rich's rendering against plain lines, ms per row;
* bytes per stored document.

``--cache DIR`` keeps the store between runs (a size already reached is not
built again); ``--plans`` prints each query's ``EXPLAIN QUERY PLAN``.

``--postgres URL`` measures the PostgreSQL store instead (the ``postgres`` extra; a
database whose user may create schemas): the store is the schema
``storyline_scale`` there, kept between runs as ``--cache`` keeps a file (the seed
store stays a SQLite file in the cache folder), and each empty store of the
saving ratio is a new schema, dropped after. Size per document is the schema's
tables with their indexes and TOAST (``pg_total_relation_size``); there is no
WAL checkpoint to count (the server's own checkpoints run as they would).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import copies, seed  # noqa: E402

from storyline.model import Analysis, Document  # noqa: E402
from storyline.store import StatementQuery, open_store  # noqa: E402
from storyline.store.sqlite import SQLiteStore  # noqa: E402
from storyline.story import views  # noqa: E402
from storyline.story.engine import StoryEngine  # noqa: E402

PAGE = 50


def fill(store: Any, pairs: list[tuple[Document, Analysis]], size: int, story_docs: int, rng: random.Random) -> None:
    """Save copies until the store holds ``size`` documents; the last ``story_docs`` also go through the story layer."""
    have = store.counts()["documents"]
    engine = StoryEngine(store)
    start = 1 + have // len(pairs)  # epochs not used yet, so copies are new documents
    for n, (doc, analysis) in enumerate(copies(pairs, size - have, start, rng, shift_dates=True), have + 1):
        if store.save(doc, analysis) and n > size - story_docs:
            engine.add(doc, analysis)
        if n % 10_000 == 0:
            print(f"  {n:,} documents", flush=True)


EmptyStore = Callable[[int], contextlib.AbstractContextManager[Any]]


def empty_sqlite(work: Path) -> EmptyStore:
    @contextlib.contextmanager
    def empty(rep: int) -> Iterator[Any]:
        path = work / f"empty-{rep}.db"
        try:
            with open_store(path) as fresh:
                yield fresh
        finally:
            for p in work.glob(f"empty-{rep}.db*"):
                p.unlink()

    return empty


def empty_postgres(url: str) -> EmptyStore:
    from store_backends import new_schema

    @contextlib.contextmanager
    def empty(rep: int) -> Iterator[Any]:
        with new_schema(url) as location, open_store(location) as fresh:
            yield fresh

    return empty


def kept_schema(url: str, name: str) -> str:
    """``url`` with the schema ``name`` (created if missing, kept after the run) first on its search path."""
    import psycopg

    from storyline.store.postgres import in_schema

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{name}"')
    return in_schema(url, name)


def checkpoint(store: Any) -> None:
    """SQLite: write what the WAL holds into the database file (PostgreSQL checkpoints on its own)."""
    if isinstance(store, SQLiteStore):
        store.db.execute("PRAGMA wal_checkpoint(PASSIVE)")


def ingest_ratio(store: Any, pairs: list[tuple[Document, Analysis]], empty_store: EmptyStore,
                 rng: random.Random) -> tuple[float, float]:
    """Seconds to save 100 new documents into ``store`` and into an empty store: 10 at a time into each in
    turn (so a load on the machine falls on both), then the checkpoint that writes what is left in the
    WAL into each database file; median of 3 rounds."""
    full, empty = [], []
    before = store.counts()["documents"]
    for rep in range(3):
        # Epochs far after the filled ones (but within year 9999), so every copy is new.
        # A store kept with --cache may hold an earlier run's copies: those are left out.
        epoch = 10_000 + 50 * (store.counts()["documents"] // 1000) + 10 * rep
        batch = [p for p in copies(pairs, 400, epoch, rng, shift_dates=True) if not store.has_document(p[0].id)][:100]
        other = list(copies(pairs, 100, 20_000 + 10 * rep, rng, shift_dates=True))
        spent = [0.0, 0.0]
        with empty_store(rep) as fresh:
            for chunk in range(0, 100, 10):
                for i, (target, docs) in enumerate(((store, batch), (fresh, other))):
                    t0 = time.perf_counter()
                    for doc, analysis in docs[chunk:chunk + 10]:
                        target.save(doc, analysis)
                    spent[i] += time.perf_counter() - t0
            # Pages still only in the WAL count too: however often a setting checkpoints, the round
            # ends with its documents written into the database file.
            for i, target in enumerate((store, fresh)):
                t0 = time.perf_counter()
                checkpoint(target)
                spent[i] += time.perf_counter() - t0
            if store.counts()["documents"] != before + 100 * (rep + 1):
                raise SystemExit("ingest_ratio: fewer than 100 new documents were saved; the ratio would be wrong")
        full.append(spent[0])
        empty.append(spent[1])
    return statistics.median(full), statistics.median(empty)


def pick(store: Any, rng: random.Random, column: str, where: str = "1 = 1") -> Any:
    """The ``column`` of a random statement (that satisfies ``where``): from a random rowid on
    SQLite, from a random statement id on PostgreSQL (ids are hashes, so uniformly spread)."""
    if isinstance(store, SQLiteStore):
        top = store.db.execute("SELECT max(rowid) FROM statements").fetchone()[0]
        sql, draw = f"SELECT {column} FROM statements WHERE rowid >= {{p}} AND {where} LIMIT 1", lambda: rng.randint(1, top)
    else:
        sql, draw = (f"SELECT {column} FROM statements WHERE id >= {{p}} AND {where} ORDER BY id LIMIT 1",
                     lambda: f"{rng.getrandbits(64):016x}")
    while True:
        row = store.sql.one(sql, [draw()])
        if row and row[0]:
            return row[0]


def size_bytes(store: Any) -> int:
    if isinstance(store, SQLiteStore):
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(Path(f).stat().st_size for f in store.files() if Path(f).exists())
    row = store.sql.one(
        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
    )
    return int(row[0]) if row and row[0] else 0


def queries(store: Any, rng: random.Random) -> dict[str, Callable[[], Any]]:
    """Each common query, with new parameters at every call."""

    def month(where: str = "placed_first IS NOT NULL") -> tuple[date, date]:
        first = date.fromisoformat(pick(store, rng, "placed_first", where)) - timedelta(days=15)
        return first, first + timedelta(days=29)

    def surname() -> str:
        return max(pick(store, rng, "speaker_name").split(), key=len)

    def word() -> str:
        words = [w.strip(".,;:'\"()") for w in pick(store, rng, "content_text").split()]
        return max(words, key=len)

    def cue_range() -> list[Any]:
        since, until = month()
        return list(store.statements(StatementQuery(cue_class=pick(store, rng, "cue_class"), since=since, until=until,
                                                    limit=PAGE)))

    biggest = views.stories(store, 1)
    story = biggest[0].story_id if biggest else None

    def story_page() -> None:
        if story is not None:
            views.claims(store, story, limit=30)
            views.series(store, story)
            views.timeline(store, story)

    return {
        "statements, first page": lambda: list(store.statements(StatementQuery(limit=PAGE))),
        "statements, page 100": lambda: list(store.statements(StatementQuery(limit=PAGE, offset=99 * PAGE))),
        "statements --speaker": lambda: list(store.statements(StatementQuery(speaker=surname(), limit=PAGE))),
        "statements --search": lambda: list(store.statements(StatementQuery(search=word(), limit=PAGE))),
        "statements --cue-class + 30 days": cue_range,
        "timeline, first page": lambda: list(store.timeline(limit=PAGE)),
        "timeline, 30 days (all)": lambda: list(store.timeline(*month("date IS NOT NULL"))),
        f"story page ({biggest[0].documents if biggest else 0} docs)": story_page,
    }


def timed(query: Callable[[], Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        query()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def plans(store: SQLiteStore, query: Callable[[], Any]) -> list[str]:
    """The query plans of the SQL that ``query`` runs."""
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        query()
    finally:
        store.db.conn.set_trace_callback(None)
    out = []
    for sql in seen:
        if sql.lstrip().upper().startswith("SELECT") and "rowid >= " not in sql:  # not pick()'s
            rows = store.db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
            out.append(" | ".join(r[3] for r in rows))
    return out


def export_rate(store: Any, documents: int = 2000) -> tuple[float, float]:
    """Documents per second of the JSON Lines export's records: batched, and one document at a time
    (``store.analysis`` per document); the best of two rounds each, in turn."""
    from storyline.export.jsonl import analysis_records, document_record, records

    def batched() -> None:
        n = 0
        for record in records(store):
            n += record["type"] == "document"
            if n > documents:
                return

    def single() -> None:
        for doc in itertools.islice(store.documents(), documents):
            document_record(doc)
            list(analysis_records(store.analysis(doc.id)))

    best = {batched: float("inf"), single: float("inf")}
    for _ in range(2):
        for way in (single, batched):
            t0 = time.perf_counter()
            way()
            best[way] = min(best[way], time.perf_counter() - t0)
    return documents / best[batched], documents / best[single]


def printing(store: Any, rows: int = 2000) -> tuple[float, float]:
    """ms per statement printed: rich's rendering (as on a terminal) and plain lines."""
    from rich.console import Console

    from storyline.cli.common import clean
    from storyline.cli.query import statement_lines

    found = list(store.statements(StatementQuery(limit=rows)))
    console = Console(file=io.StringIO(), highlight=False, soft_wrap=True, markup=False, force_terminal=True, width=100)
    t0 = time.perf_counter()
    for row in found:
        for line in statement_lines(row):
            console.print(line)
    rich_ms = (time.perf_counter() - t0) * 1000 / len(found)
    out = io.StringIO()
    t0 = time.perf_counter()
    for row in found:
        out.write("".join(clean(line.plain) + "\n" for line in statement_lines(row)))
    plain_ms = (time.perf_counter() - t0) * 1000 / len(found)
    return rich_ms, plain_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--story-docs", type=int, default=3000)
    parser.add_argument("--cache", type=Path, default=None, help="Keep the store here between runs.")
    parser.add_argument("--plans", action="store_true", help="Print each query's plan (SQLite).")
    parser.add_argument("--postgres", metavar="URL", default=None, help="Measure the PostgreSQL store in this database.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storyline-store-scale-"))
    cache = args.cache or work
    cache.mkdir(parents=True, exist_ok=True)
    pairs = seed(cache / "seed.db")
    if args.postgres:
        location, empty_store = kept_schema(args.postgres, "storyline_scale"), empty_postgres(args.postgres)
    else:
        location, empty_store = str(cache / "store.db"), empty_sqlite(work)
    rng = random.Random(1)
    with open_store(location) as store:
        for size in sorted(args.sizes):
            have = store.counts()["documents"]
            if have > size + 1000:  # measured on an earlier run
                print(f"{size:,}: the store already holds {have:,} documents; skipped")
                continue
            t0 = time.perf_counter()
            fill(store, pairs, size, min(args.story_docs, size - have), rng)
            docs = store.counts()["documents"]
            print(f"{docs:,} documents ({store.counts()['statements']:,} statements), "
                  f"built in {time.perf_counter() - t0:.0f} s", flush=True)
            print(f"  {size_bytes(store) / docs / 1024:.1f} KB per document")
            for name, query in queries(store, random.Random(2)).items():
                p50, p95 = timed(query, args.runs)
                print(f"  {name:<36} p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms", flush=True)
                if args.plans and isinstance(store, SQLiteStore):
                    for plan in plans(store, query):
                        print(f"      {plan}")
            batched, single = export_rate(store)
            print(f"  export: {batched:,.0f} documents/s batched, {single:,.0f} one at a time "
                  f"({batched / single:.1f}x)")
            rich_ms, plain_ms = printing(store)
            print(f"  printing a statement: rich {rich_ms:.3f} ms, plain {plain_ms:.3f} ms")
            # Not the fill's generator: a store kept with --cache was filled by the same draws.
            full, empty = ingest_ratio(store, pairs, empty_store, random.Random(f"ingest {docs}"))
            print(f"  saving 100 documents: {full * 1000:.0f} ms here, {empty * 1000:.0f} ms into an empty store "
                  f"(ratio {full / empty:.2f})", flush=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
