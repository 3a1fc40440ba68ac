"""The SQLite schema, as numbered migrations.

``PRAGMA user_version`` holds the number of migrations applied; opening a store
applies the missing ones in order, each in its own transaction. Add a migration
by appending a function; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from storyline.store.periods import days

SPAN = {"doc_id": str, "start": int, "end": int, "text": str}


def _m001_initial(db: Database) -> None:
    db["documents"].create(
        {
            "id": str, "url": str, "outlet": str, "title": str, "published": str, "updated": str,
            "authors": str, "language": str, "text": str, "body": str, "headline": str, "source": str,
            "meta": str, "analyzer": str, "ingested_at": str,
        },
        pk="id",
    )
    db["documents"].create_index(["published"])
    db["entities"].create(
        {"doc_id": str, "id": str, "canonical": str, "type": str, "roles": str, "country": str, "lat": float,
         "lon": float, "admin_level": int, "geonameid": int, "start": int, "end": int, "text": str},
        pk=("doc_id", "id"),
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db["entities"].create_index(["canonical"])
    db["mentions"].create(
        {**SPAN, "entity_id": str},
        pk=("doc_id", "start", "end"),
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db["statements"].create(
        {
            "doc_id": str, "n": int, "start": int, "end": int, "text": str,
            "speaker_name": str, "speaker_entity_id": str, "speaker_text": str, "speaker_start": int,
            "speaker_end": int, "cue_text": str, "cue_start": int, "cue_end": int,
            "content_text": str, "content_start": int, "content_end": int,
            "kind": str, "cue_class": str, "date": str, "date_source": str,
        },
        pk=("doc_id", "n"),
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db["statements"].create_index(["speaker_name"])
    db["statements"].create_index(["date"])
    db["times"].create(
        {**SPAN, "n": int, "value": str, "type": str, "granularity": str, "anchor": str},
        pk=("doc_id", "n"),
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db["figures"].create(
        {**SPAN, "n": int, "value": float, "unit": str, "approximate": int},
        pk=("doc_id", "n"),
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db["events"].create(
        {**SPAN, "n": int, "type": str, "actor": str, "actor_entity_id": str, "object": str, "place": str,
         "place_entity_id": str, "date": str, "date_source": str},
        pk=("doc_id", "n"),
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db["events"].create_index(["date"])
    db["rejections"].create(
        {"source": str, "item": str, "reason": str, "first_seen": str, "last_seen": str},
        pk=("source", "item"),
    )
    db["documents"].enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True)
    db["statements"].enable_fts(["content_text", "speaker_name", "speaker_text", "cue_text"], fts_version="FTS5", create_triggers=True)


def _m002_record_ids(db: Database) -> None:
    """Stable ids for statements, times, figures and events (see model.item_id);
    a statement's stance; what a figure counts and how it is bounded."""
    from storyline.model import item_id

    offsets = {
        "statements": ("statement", ["start", "[end]", "COALESCE(cue_start, -1)", "content_start", "content_end"]),
        "times": ("time", ["start", "[end]"]),
        "figures": ("figure", ["start", "[end]"]),
        "events": ("event", ["start", "[end]"]),
    }
    for table, (kind, columns) in offsets.items():
        db[table].add_column("id", str)
        rows = db.execute(f"SELECT rowid, doc_id, {', '.join(columns)} FROM {table}").fetchall()
        db.conn.executemany(
            f"UPDATE {table} SET id = ? WHERE rowid = ?",
            [(item_id(r[1], kind, *r[2:]), r[0]) for r in rows],
        )
        db[table].create_index(["id"], unique=True)
    db["statements"].add_column("stance", str)
    db["statements"].add_column("stance_reason", str)
    db["figures"].add_column("about", str)
    db["figures"].add_column("qualifier", str)


def _m003_entity_references(db: Database) -> None:
    """Entity-id columns become foreign keys to the entity of the same document; a
    reference is NULL when there is nothing to point at, never '' or a dangling id.

    The foreign keys span (doc_id, entity id), as entity ids are per document.
    SQLite adds foreign keys only by rebuilding a table; rowids are kept, so the
    full-text indexes (external content) stay valid.
    """
    db.execute(
        "UPDATE statements SET speaker_name = COALESCE(NULLIF(speaker_name, ''), NULLIF(speaker_text, '')) "
        "WHERE speaker_name IS NULL OR speaker_name = ''"
    )
    db.execute(
        "UPDATE statements SET speaker_text = NULL, speaker_start = NULL, speaker_end = NULL, "
        "speaker_entity_id = NULL WHERE speaker_name IS NULL"
    )
    for table, columns in ENTITY_REFERENCES.items():
        for column in columns:
            db.execute(f"UPDATE [{table}] SET [{column}] = NULL WHERE [{column}] = ''")
            db.execute(
                f"UPDATE [{table}] SET [{column}] = NULL WHERE [{column}] IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM entities e WHERE e.doc_id = [{table}].doc_id AND e.id = [{table}].[{column}])"
            )
    for column in ("actor", "object", "place"):
        db.execute(f"UPDATE events SET [{column}] = NULL WHERE [{column}] = ''")
    db.execute("DELETE FROM mentions WHERE entity_id IS NULL")
    for table, columns in ENTITY_REFERENCES.items():
        _rebuild_with(db, table, [f'FOREIGN KEY ("doc_id", "{c}") REFERENCES "entities" ("doc_id", "id")' for c in columns])


ENTITY_REFERENCES = {
    "mentions": ["entity_id"],
    "statements": ["speaker_entity_id"],
    "events": ["actor_entity_id", "place_entity_id"],
}


def _rebuild_with(db: Database, table: str, constraints: list[str]) -> None:
    """Rebuild ``table`` with extra table constraints, keeping its rows (and rowids),
    indexes and triggers (SQLite's documented procedure for schema changes)."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
    dependants = [
        r[0] for r in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL",
            [table],
        )
    ]
    body = sql[sql.index("(") + 1 : sql.rindex(")")].rstrip()
    columns = ", ".join(f'"{r[1]}"' for r in db.execute(f'PRAGMA table_info("{table}")'))
    db.execute(f'CREATE TABLE "_new_{table}" ({body},\n   ' + ",\n   ".join(constraints) + "\n)")
    db.execute(f'INSERT INTO "_new_{table}" (rowid, {columns}) SELECT rowid, {columns} FROM "{table}"')
    db.execute(f'DROP TABLE "{table}"')  # with foreign keys on, no trigger fires here
    db.execute(f'ALTER TABLE "_new_{table}" RENAME TO "{table}"')
    for statement in dependants:
        db.execute(statement)


def _m004_story_layer(db: Database) -> None:
    """The cross-document layer (storyline.story): identities, copies, stories, claims.

    Everything here is derived from the per-document record and written once per
    new document, so it grows with the store without re-clustering it.
    """
    db["identities"].create(
        {"id": str, "kind": str, "name": str, "country": str, "geonameid": int, "created_at": str}, pk="id"
    )
    db["identity_aliases"].create(
        {"kind": str, "alias": str, "identity_id": str}, pk=("kind", "alias"),
        foreign_keys=[("identity_id", "identities", "id")],
    )
    # Which cross-document identity a document's entity (or a statement's unresolved speaker) is.
    db["entity_identities"].create(
        {"doc_id": str, "entity_id": str, "identity_id": str}, pk=("doc_id", "entity_id"),
        foreign_keys=[("doc_id", "documents", "id"), ("identity_id", "identities", "id")],
    )
    db["entity_identities"].create_index(["identity_id"])
    db["statement_speakers"].create(
        {"statement_id": str, "identity_id": str}, pk="statement_id",
        foreign_keys=[("statement_id", "statements", "id"), ("identity_id", "identities", "id")],
    )
    db["statement_speakers"].create_index(["identity_id"])
    # Near-duplicates: MinHash LSH band keys, and each copy's original.
    db["minhash_bands"].create({"band": str, "doc_id": str}, pk=("band", "doc_id"))
    db["copies"].create(
        {"doc_id": str, "original_id": str, "similarity": float}, pk="doc_id",
        foreign_keys=[("doc_id", "documents", "id"), ("original_id", "documents", "id")],
    )
    db["copies"].create_index(["original_id"])
    db["stories"].create(
        {"id": str, "title": str, "first_date": str, "last_date": str, "documents": int, "created_at": str,
         "updated_at": str, "centroid": str}, pk="id",
    )
    db["stories"].create_index(["last_date"])
    # A story merged into another keeps answering to its id.
    db["story_aliases"].create({"old_id": str, "story_id": str}, pk="old_id")
    db["story_documents"].create(
        {"doc_id": str, "story_id": str, "similarity": float, "date": str}, pk="doc_id",
        foreign_keys=[("doc_id", "documents", "id"), ("story_id", "stories", "id")],
    )
    db["story_documents"].create_index(["story_id", "similarity"])  # a story's documents, best fitting first
    # The inverted index over each story's strongest centroid features (the centroid itself,
    # summed TF-IDF and identity weights, is stories.centroid) that finds a new document's
    # candidate stories without scanning them all.
    # last_date is the story's (9999-12-31 when undated), so the search reads only the index
    # entries of stories active around the new document, however many stories the store holds.
    db["story_features"].create(
        {"story_id": str, "feature": str, "weight": float, "last_date": str}, pk=("story_id", "feature"),
        foreign_keys=[("story_id", "stories", "id")],
    )
    db["story_features"].create_index(["feature", "last_date"])
    db["claims"].create(
        {"id": str, "story_id": str, "text": str, "statement_id": str, "features": str, "first_date": str,
         "last_date": str, "contested": int, "statements": int}, pk="id",
        foreign_keys=[("story_id", "stories", "id")],
    )
    db["claims"].create_index(["story_id", "last_date"])
    db["claim_statements"].create(
        {"statement_id": str, "claim_id": str, "doc_id": str, "stance": str, "similarity": float,
         "independent": int, "date": str}, pk="statement_id",
        foreign_keys=[("claim_id", "claims", "id"), ("doc_id", "documents", "id")],
    )
    db["claim_statements"].create_index(["claim_id"])


def _m005_fetching(db: Database) -> None:
    """What fetching remembers between runs: conditional-GET validators per URL and the feed items seen."""
    db["fetches"].create(
        {"url": str, "etag": str, "last_modified": str, "doc_id": str, "fetched_at": str},
        pk="url",
    )
    db["feed_items"].create(
        {"feed_url": str, "item": str, "doc_id": str, "seen_at": str},
        pk=("feed_url", "item"),
    )
    db["documents"].create_index(["url"])


def _m006_place_keys(db: Database) -> None:
    """A stable id for every resolved place, regions included (model.Entity.place_key)."""
    db["entities"].add_column("place_key", str)
    db["entities"].create_index(["place_key"])


def _first_day(value: str | None) -> str | None:
    span = days(value)
    return span[0].isoformat() if span else None


def _last_day(value: str | None) -> str | None:
    span = days(value)
    return span[1].isoformat() if span else None


def _m007_placed(db: Database) -> None:
    """Queries that stay fast at 100,000 documents: each statement and event carries the
    date it is ordered by and the days that date spans, so ordering, date ranges, cue
    classes and speakers are answered from indexes instead of sorting or scanning the table.

    ``statements.placed`` = COALESCE(date, publication day): the value statements are ordered
    by; ``placed_first``/``placed_last`` its first and last ISO day (storyline.store.periods.days,
    NULL when not a date); ``published`` the document's, the next ordering key. Events get
    ``published``, ``placed_first`` and ``placed_last`` of their ``date``. ``statements_speakers``
    is a trigram index of the speaker columns, which answers "name contains" without a scan.
    """
    db.conn.create_function("first_day", 1, _first_day, deterministic=True)
    db.conn.create_function("last_day", 1, _last_day, deterministic=True)
    for table in ("statements", "events"):
        for column in ("published", "placed_first", "placed_last"):
            db[table].add_column(column, str)
    db["statements"].add_column("placed", str)
    # One pass each: every UPDATE of a statement also rewrites its full-text entry (trigger).
    placed = "COALESCE(statements.date, substr(d.published, 1, 10))"
    db.execute(
        f"UPDATE statements SET published = d.published, placed = {placed}, placed_first = first_day({placed}), "
        f"placed_last = last_day({placed}) FROM documents d WHERE d.id = statements.doc_id"
    )
    db.execute(
        "UPDATE events SET published = d.published, placed_first = first_day(events.date), "
        "placed_last = last_day(events.date) FROM documents d WHERE d.id = events.doc_id"
    )
    for table, key in (("statements", "placed"), ("events", "date")):
        # The order every list is given in (statements: by n; timeline: by start, then n).
        db.execute(f"CREATE INDEX idx_{table}_order ON {table} ({key}, published, doc_id, n)")
        db.execute(f"CREATE INDEX idx_{table}_timeline ON {table} ({key}, published, doc_id, start, n) WHERE date IS NOT NULL")
        # Date ranges (see StatementQuery, SQLiteStore._in_range): values that start in the range…
        db.execute(f"CREATE INDEX idx_{table}_placed_first ON {table} (placed_first, placed_last)")
        # … and the few (months, weeks, years) that start before it and reach into it.
        db.execute(
            f"CREATE INDEX idx_{table}_placed_span ON {table} (placed_last, placed_first) WHERE placed_first <> placed_last"
        )
    db.execute("CREATE INDEX idx_statements_cue_order ON statements (cue_class, placed, published, doc_id, n)")
    db.execute("DROP INDEX IF EXISTS idx_statements_date")  # replaced by the order indexes
    db.execute("DROP INDEX IF EXISTS idx_events_date")
    db.execute(
        "CREATE VIRTUAL TABLE statements_speakers USING fts5 (speaker_name, speaker_text, "
        "content='statements', content_rowid='rowid', tokenize='trigram')"
    )
    db.execute("INSERT INTO statements_speakers (statements_speakers) VALUES ('rebuild')")
    for event, body in (
        ("INSERT", "INSERT INTO statements_speakers (rowid, speaker_name, speaker_text) "
                   "VALUES (new.rowid, new.speaker_name, new.speaker_text);"),
        ("DELETE", "INSERT INTO statements_speakers (statements_speakers, rowid, speaker_name, speaker_text) "
                   "VALUES ('delete', old.rowid, old.speaker_name, old.speaker_text);"),
        ("UPDATE", "INSERT INTO statements_speakers (statements_speakers, rowid, speaker_name, speaker_text) "
                   "VALUES ('delete', old.rowid, old.speaker_name, old.speaker_text); "
                   "INSERT INTO statements_speakers (rowid, speaker_name, speaker_text) "
                   "VALUES (new.rowid, new.speaker_name, new.speaker_text);"),
    ):
        # Not executescript: it would commit the migration's transaction half-way.
        on = "UPDATE OF speaker_name, speaker_text" if event == "UPDATE" else event
        db.execute(f"CREATE TRIGGER statements_speakers_{event.lower()} AFTER {on} ON statements BEGIN {body} END")


def _m008_unused_indexes(db: Database) -> None:
    """Drop indexes no query reads, which made saving slower as the store grows.

    Each of a document's entities and statements lands on a random leaf of these trees, so
    at 100,000 documents a save dirtied some 280 pages in them per 100 documents that every
    checkpoint then wrote back (research/store_ingest/wal_pages.py). Entities are read by
    document only; speakers are found through the trigram index ``statements_speakers``
    (a ``LIKE '%name%'`` cannot use a B-tree).
    """
    for name in ("idx_entities_canonical", "idx_entities_place_key", "idx_statements_speaker_name"):
        db.execute(f"DROP INDEX IF EXISTS {name}")


# The per-document tables, each with the unique key it is read by (besides doc_key) and its
# columns that name an entity of the same document.
DOCUMENT_TABLES = {
    "entities": (["id"], []),
    "mentions": (["start", "end"], ["entity_id"]),
    "statements": (["n"], ["speaker_entity_id"]),
    "times": (["n"], []),
    "figures": (["n"], []),
    "events": (["n"], ["actor_entity_id", "place_entity_id"]),
}


def _m009_document_keys(db: Database) -> None:
    """Saving stays cheap as the store grows: the per-document tables are keyed by their
    document's ``rowid`` (``doc_key``, which grows as documents are saved) instead of its
    hash-like ``doc_id``, and the unique indexes on the hash ids of statements, times,
    figures and events go.

    A key that begins with a hash puts each new row on a random leaf of its B-tree, so at
    100,000 documents 100 saves dirtied some 1,500 pages that a checkpoint then wrote back,
    against some 200 in an empty store (research/store_ingest/wal_pages.py); keyed by
    ``doc_key``, a document's rows are appended at the end of each tree, next to each other.
    ``doc_id`` stays in every row and every record keeps its id (the exports and queries give
    the same ids), as do the rowids (the full-text indexes point at them). A record is found
    by its document first: ``statement_speakers.statement_id`` is no longer a foreign key
    (ids are unique by construction: model.item_id hashes the document id and offsets), and
    entity references become (doc_key, entity id).

    Each table is rebuilt (SQLite changes keys only so); :func:`migrate` runs this with
    foreign keys off, as SQLite's procedure asks, and the references are checked at the end.
    """
    for name in ("idx_statements_id", "idx_times_id", "idx_figures_id", "idx_events_id"):
        db.execute(f"DROP INDEX IF EXISTS {name}")
    # A statement is found by its document, then its id (the story layer's joins say so):
    # no foreign key may point at statements.id, which has no unique index any more.
    db["statement_speakers"].transform(drop_foreign_keys=["statement_id"])
    for table, (key, references) in DOCUMENT_TABLES.items():
        dependants = [
            r[0] for r in db.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL",
                [table],
            )
        ]
        columns = [(r[1], r[2]) for r in db.execute(f'PRAGMA table_info("{table}")')]
        names = ", ".join(f'"{c}"' for c, _ in columns)
        constraints = [
            "UNIQUE (" + ", ".join(f'"{c}"' for c in ["doc_key", *key]) + ")",
            'FOREIGN KEY ("doc_id") REFERENCES "documents" ("id")',
            *(f'FOREIGN KEY ("doc_key", "{c}") REFERENCES "entities" ("doc_key", "id")' for c in references),
        ]
        db.execute(
            f'CREATE TABLE "_new_{table}" (\n   '
            + ",\n   ".join([*(f'"{c}" {kind}' for c, kind in columns), '"doc_key" INTEGER NOT NULL', *constraints])
            + "\n)"
        )
        db.execute(
            f'INSERT INTO "_new_{table}" (rowid, {names}, doc_key) SELECT rowid, {names}, '
            f'(SELECT d.rowid FROM documents d WHERE d.id = t.doc_id) FROM "{table}" t ORDER BY rowid'
        )
        db.execute(f'DROP TABLE "{table}"')
        db.execute(f'ALTER TABLE "_new_{table}" RENAME TO "{table}"')
        for statement in dependants:
            db.execute(statement)
    for table in [*DOCUMENT_TABLES, "statement_speakers"]:
        broken = db.execute(f'PRAGMA foreign_key_check("{table}")').fetchall()
        if broken:
            raise RuntimeError(f"migration 9: {len(broken)} rows of {table} refer to rows that do not exist, e.g. {broken[0]}")


def _m010_story_founded(db: Database) -> None:
    """The stories a batch has founded, in order, until the batch's end gives them their second
    look (``storyline.story.engine``): kept in the store, not in memory, so that a run that is
    interrupted leaves them to the next run's end instead of dropping them."""
    db["story_founded"].create({"n": int, "story_id": str}, pk="n", not_null={"story_id"})
    db["story_founded"].create_index(["story_id"], unique=True)


MIGRATIONS: list[Callable[[Database], None]] = [
    _m001_initial, _m002_record_ids, _m003_entity_references, _m004_story_layer, _m005_fetching, _m006_place_keys,
    _m007_placed, _m008_unused_indexes, _m009_document_keys, _m010_story_founded,
]


def migrate(db: Database) -> int:
    """Apply missing migrations; returns the schema version.

    Each step takes the write lock first and reads the version again under it, so
    several processes opening a new store at once migrate it once, not each. Foreign keys are
    off meanwhile (a migration may rebuild a table others refer to, and SQLite turns them on
    or off only outside a transaction); a migration that rebuilds tables checks them itself.
    """
    enforced = db.execute("PRAGMA foreign_keys").fetchone()[0]
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        return _migrate(db)
    finally:
        db.execute(f"PRAGMA foreign_keys = {int(enforced)}")


def _migrate(db: Database) -> int:
    while True:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise RuntimeError(
                f"the store's schema (version {version}) is newer than this storyline knows "
                f"({len(MIGRATIONS)}): upgrade storyline"
            )
        if version == len(MIGRATIONS):
            return version
        db.execute("BEGIN IMMEDIATE")
        try:
            locked_version = db.execute("PRAGMA user_version").fetchone()[0]
            if locked_version == version:
                MIGRATIONS[version](db)
                db.execute(f"PRAGMA user_version = {version + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
