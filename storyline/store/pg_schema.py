"""The PostgreSQL schema, as numbered migrations.

The table ``storyline_migrations`` records each migration applied (its number and
name); opening a store applies the missing ones in order, in one transaction, under
an advisory lock, so several processes opening a new database at once migrate it once. Add a migration by appending a function; never edit one that has shipped.

The tables, columns and ids are those of the SQLite store (storyline.store.schema),
so both hold the same records; text stays text (ISO dates, JSON), as SQLite keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from psycopg.rows import tuple_row

# Full-text search: the 'simple' configuration lowercases words and neither stems them
# nor drops stop words, as SQLite's FTS5 (unicode61) does, so a search finds the same
# statements in both stores.
_STATEMENT_SEARCH = (
    "to_tsvector('simple'::regconfig, coalesce(content_text, '') || ' ' || coalesce(speaker_name, '') || ' ' "
    "|| coalesce(speaker_text, '') || ' ' || coalesce(cue_text, ''))"
)
_DOCUMENT_SEARCH = "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(\"text\", ''))"

# Text compares and sorts byte by byte, as in SQLite, whatever the server's locale (and
# a LIKE 'prefix%' can use the index).
TEXT = 'TEXT COLLATE "C"'

_M001 = f"""
CREATE TABLE documents (
    id {TEXT} PRIMARY KEY, url {TEXT}, outlet {TEXT}, title {TEXT}, published {TEXT}, updated {TEXT}, authors {TEXT},
    language {TEXT}, "text" {TEXT}, body {TEXT}, headline {TEXT}, source {TEXT}, meta {TEXT}, analyzer {TEXT}, ingested_at {TEXT},
    search tsvector GENERATED ALWAYS AS ({_DOCUMENT_SEARCH}) STORED
);
CREATE INDEX documents_published ON documents (published);
CREATE INDEX documents_url ON documents (url);
CREATE INDEX documents_search ON documents USING GIN (search);

CREATE TABLE entities (
    doc_id {TEXT} NOT NULL REFERENCES documents (id), id {TEXT} NOT NULL, canonical {TEXT}, type {TEXT}, roles {TEXT},
    country {TEXT}, lat DOUBLE PRECISION, lon DOUBLE PRECISION, admin_level INTEGER, geonameid BIGINT,
    start INTEGER, "end" INTEGER, "text" {TEXT}, place_key {TEXT},
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX entities_canonical ON entities (canonical);
CREATE INDEX entities_place_key ON entities (place_key);

CREATE TABLE mentions (
    doc_id {TEXT} NOT NULL REFERENCES documents (id), start INTEGER NOT NULL, "end" INTEGER NOT NULL, "text" {TEXT},
    entity_id {TEXT},
    PRIMARY KEY (doc_id, start, "end"),
    FOREIGN KEY (doc_id, entity_id) REFERENCES entities (doc_id, id)
);

CREATE TABLE statements (
    doc_id {TEXT} NOT NULL REFERENCES documents (id), n INTEGER NOT NULL, id {TEXT} NOT NULL UNIQUE,
    start INTEGER, "end" INTEGER, "text" {TEXT},
    speaker_name {TEXT}, speaker_entity_id {TEXT}, speaker_text {TEXT}, speaker_start INTEGER, speaker_end INTEGER,
    cue_text {TEXT}, cue_start INTEGER, cue_end INTEGER, content_text {TEXT}, content_start INTEGER, content_end INTEGER,
    kind {TEXT}, cue_class {TEXT}, date {TEXT}, date_source {TEXT}, stance {TEXT}, stance_reason {TEXT},
    -- as in SQLite's migration 7: when the statement was made (its date, else its document's
    -- publication day), the ordering value; its first and last day, for date filters
    -- (storyline.store.periods); the document's publication, the next ordering key
    placed {TEXT}, placed_first {TEXT}, placed_last {TEXT}, published {TEXT},
    search tsvector GENERATED ALWAYS AS ({_STATEMENT_SEARCH}) STORED,
    PRIMARY KEY (doc_id, n),
    FOREIGN KEY (doc_id, speaker_entity_id) REFERENCES entities (doc_id, id)
);
-- NULLS FIRST: the order of SQLite, where NULL sorts before any text.
CREATE INDEX statements_order ON statements (placed NULLS FIRST, published NULLS FIRST, doc_id, n);
CREATE INDEX statements_timeline ON statements (placed, published NULLS FIRST, doc_id, start, n) WHERE date IS NOT NULL;
CREATE INDEX statements_cue_order ON statements (cue_class, placed NULLS FIRST, published NULLS FIRST, doc_id, n);
CREATE INDEX statements_placed_days ON statements (placed_first, placed_last);
CREATE INDEX statements_search ON statements USING GIN (search);

CREATE TABLE times (
    doc_id {TEXT} NOT NULL REFERENCES documents (id), n INTEGER NOT NULL, id {TEXT} NOT NULL UNIQUE,
    start INTEGER, "end" INTEGER, "text" {TEXT}, value {TEXT}, type {TEXT}, granularity {TEXT}, anchor {TEXT},
    PRIMARY KEY (doc_id, n)
);

CREATE TABLE figures (
    doc_id {TEXT} NOT NULL REFERENCES documents (id), n INTEGER NOT NULL, id {TEXT} NOT NULL UNIQUE,
    start INTEGER, "end" INTEGER, "text" {TEXT}, value DOUBLE PRECISION, unit {TEXT}, approximate INTEGER,
    about {TEXT}, qualifier {TEXT},
    PRIMARY KEY (doc_id, n)
);

CREATE TABLE events (
    doc_id {TEXT} NOT NULL REFERENCES documents (id), n INTEGER NOT NULL, id {TEXT} NOT NULL UNIQUE,
    start INTEGER, "end" INTEGER, "text" {TEXT}, type {TEXT}, actor {TEXT}, actor_entity_id {TEXT}, object {TEXT},
    place {TEXT}, place_entity_id {TEXT}, date {TEXT}, date_source {TEXT},
    published {TEXT}, placed_first {TEXT}, placed_last {TEXT},  -- as statements', for their date
    PRIMARY KEY (doc_id, n),
    FOREIGN KEY (doc_id, actor_entity_id) REFERENCES entities (doc_id, id),
    FOREIGN KEY (doc_id, place_entity_id) REFERENCES entities (doc_id, id)
);
CREATE INDEX events_timeline ON events (date, published NULLS FIRST, doc_id, start, n) WHERE date IS NOT NULL;
CREATE INDEX events_placed_days ON events (placed_first, placed_last);

CREATE TABLE rejections (
    source {TEXT} NOT NULL, item {TEXT} NOT NULL, reason {TEXT}, first_seen {TEXT}, last_seen {TEXT},
    PRIMARY KEY (source, item)
);

CREATE TABLE fetches (url {TEXT} PRIMARY KEY, etag {TEXT}, last_modified {TEXT}, doc_id {TEXT}, fetched_at {TEXT});
CREATE TABLE feed_items (
    feed_url {TEXT} NOT NULL, item {TEXT} NOT NULL, doc_id {TEXT}, seen_at {TEXT},
    PRIMARY KEY (feed_url, item)
);
"""


def _m001_initial(conn: psycopg.Connection) -> None:
    """The per-document record, rejections and fetching state (SQLite migrations 1–3 and 5–7;
    its story layer, migration 4, is migration 2 here)."""
    conn.execute(_M001)


_M002 = f"""
-- The order documents were stored in (SQLite's rowid): the story layer places them in it.
ALTER TABLE documents ADD COLUMN stored BIGINT GENERATED ALWAYS AS IDENTITY;

CREATE TABLE identities (
    id {TEXT} PRIMARY KEY, kind {TEXT}, name {TEXT}, country {TEXT}, geonameid BIGINT, created_at {TEXT}
);
CREATE TABLE identity_aliases (
    kind {TEXT} NOT NULL, alias {TEXT} NOT NULL, identity_id {TEXT} REFERENCES identities (id),
    PRIMARY KEY (kind, alias)
);
CREATE TABLE entity_identities (
    doc_id {TEXT} NOT NULL REFERENCES documents (id), entity_id {TEXT} NOT NULL,
    identity_id {TEXT} REFERENCES identities (id),
    PRIMARY KEY (doc_id, entity_id)
);
CREATE INDEX entity_identities_identity ON entity_identities (identity_id);
CREATE TABLE statement_speakers (
    statement_id {TEXT} PRIMARY KEY REFERENCES statements (id), identity_id {TEXT} REFERENCES identities (id)
);
CREATE INDEX statement_speakers_identity ON statement_speakers (identity_id);

CREATE TABLE minhash_bands (band {TEXT} NOT NULL, doc_id {TEXT} NOT NULL, PRIMARY KEY (band, doc_id));
CREATE TABLE copies (
    doc_id {TEXT} PRIMARY KEY REFERENCES documents (id), original_id {TEXT} REFERENCES documents (id),
    similarity DOUBLE PRECISION
);
CREATE INDEX copies_original ON copies (original_id);

CREATE TABLE stories (
    id {TEXT} PRIMARY KEY, title {TEXT}, first_date {TEXT}, last_date {TEXT}, documents INTEGER,
    created_at {TEXT}, updated_at {TEXT}, centroid {TEXT}
);
CREATE INDEX stories_last_date ON stories (last_date);
CREATE TABLE story_aliases (old_id {TEXT} PRIMARY KEY, story_id {TEXT});
CREATE TABLE story_documents (
    doc_id {TEXT} PRIMARY KEY REFERENCES documents (id), story_id {TEXT} REFERENCES stories (id),
    similarity DOUBLE PRECISION, date {TEXT}
);
CREATE INDEX story_documents_story ON story_documents (story_id, similarity);
CREATE TABLE story_features (
    story_id {TEXT} NOT NULL REFERENCES stories (id), feature {TEXT} NOT NULL, weight DOUBLE PRECISION,
    last_date {TEXT},
    PRIMARY KEY (story_id, feature)
);
CREATE INDEX story_features_feature ON story_features (feature, last_date);
CREATE TABLE claims (
    id {TEXT} PRIMARY KEY, story_id {TEXT} REFERENCES stories (id), "text" {TEXT}, statement_id {TEXT},
    features {TEXT}, first_date {TEXT}, last_date {TEXT}, contested INTEGER, statements INTEGER
);
CREATE INDEX claims_story ON claims (story_id, last_date);
CREATE TABLE claim_statements (
    statement_id {TEXT} PRIMARY KEY, claim_id {TEXT} REFERENCES claims (id), doc_id {TEXT} REFERENCES documents (id),
    stance {TEXT}, similarity DOUBLE PRECISION, independent INTEGER, date {TEXT}
);
CREATE INDEX claim_statements_claim ON claim_statements (claim_id);
"""


def _m002_story_layer(conn: psycopg.Connection) -> None:
    """The story layer (storyline.story): SQLite's migration 4, with the same tables, keys and
    indexes; and the order documents were stored in, which the layer follows."""
    conn.execute(_M002)


def _m003_unused_indexes(conn: psycopg.Connection) -> None:
    """SQLite's migration 8: entities are read by document only, so their indexes by name and
    place key cost every save (pages written) and serve no query."""
    conn.execute("DROP INDEX IF EXISTS entities_canonical; DROP INDEX IF EXISTS entities_place_key")


def _m004_long_values(conn: psycopg.Connection) -> None:
    """Date ranges through indexes: the values longer than a day (a week, month, year) by the
    day they end, so a range finds those that began before it (``postgres._in_days``); the
    two-sided test on first and last day alone is answered by no index (at 100,000 documents
    a 30-day timeline took 358 ms, p95)."""
    conn.execute(
        "CREATE INDEX statements_long_values ON statements (placed_last) WHERE placed_first <> placed_last; "
        "CREATE INDEX events_long_values ON events (placed_last) WHERE placed_first <> placed_last"
    )


def _m005_story_founded(conn: psycopg.Connection) -> None:
    """SQLite's migration 10: the stories a batch has founded, in order, until its end gives them
    their second look, kept in the store so that an interrupted run leaves them to the next."""
    conn.execute("CREATE TABLE story_founded (n BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                 "story_id TEXT NOT NULL UNIQUE)")


MIGRATIONS: list[Callable[[psycopg.Connection], None]] = [
    _m001_initial, _m002_story_layer, _m003_unused_indexes, _m004_long_values, _m005_story_founded,
]

_LOCK = 0x5707_1100  # pg_advisory_xact_lock key: one migrating process per database at a time


def _version(conn: psycopg.Connection) -> int:
    cursor = conn.cursor(row_factory=tuple_row)
    exists = cursor.execute("SELECT to_regclass('storyline_migrations')").fetchone()
    if not exists or exists[0] is None:
        return 0
    row = cursor.execute("SELECT coalesce(max(version), 0) FROM storyline_migrations").fetchone()
    return row[0] if row else 0


def _newer(version: int) -> None:
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"the store's schema (version {version}) is newer than this storyline knows "
            f"({len(MIGRATIONS)}): upgrade storyline"
        )


def migrate(conn: psycopg.Connection) -> int:
    """Apply missing migrations (all in one transaction); returns the schema version.

    A store that is up to date is only read, so a user who may not create tables can open
    it. Otherwise a session advisory lock is taken before the transaction begins (not inside
    it: a transaction that waited for the lock may still read the catalog as it was before
    another process's migration committed), so several processes migrate a new database once.
    """
    version = _version(conn)
    _newer(version)
    if version == len(MIGRATIONS):
        return version
    conn.execute("SELECT pg_advisory_lock(%s)", [_LOCK])
    try:
        with conn.transaction():
            version = _version(conn)
            _newer(version)
            conn.execute(
                "CREATE TABLE IF NOT EXISTS storyline_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            for number in range(version + 1, len(MIGRATIONS) + 1):
                step = MIGRATIONS[number - 1]
                step(conn)
                conn.execute("INSERT INTO storyline_migrations (version, name) VALUES (%s, %s)", [number, step.__name__])
    finally:
        if not conn.broken:
            conn.execute("SELECT pg_advisory_unlock(%s)", [_LOCK])
    return len(MIGRATIONS)
