"""The read endpoints under /api: documents, statements, stories, claims, search."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from storyline.analyze.attribution.cues import CueClass
from storyline.api.deps import PagingDep, document_id, store_for, story_id
from storyline.api.models import (
    ClaimOut,
    DocumentDetail,
    DocumentSummary,
    Page,
    Problem,
    SearchResults,
    StatementOut,
    StorySummaryOut,
)
from storyline.export.jsonl import analysis_records, document_record, statement_record
from storyline.export.schema import StoryRecord
from storyline.export.stories import story_record
from storyline.store import BadQuery, StatementQuery, Store
from storyline.store.sql import document_page
from storyline.story import views

router = APIRouter(prefix="/api", responses={404: {"model": Problem}})

@router.get("/documents", response_model=Page[DocumentSummary])
def list_documents(request: Request, paging: PagingDep) -> dict[str, Any]:
    """Documents by publication date, oldest first."""
    with store_for(request) as store:
        rows = document_page(store.sql, paging.limit + 1, paging.offset)
    return paging.page(rows, at_offset=True)


@router.get("/documents/{doc_id}", response_model=DocumentDetail)
def get_document(request: Request, doc_id: str) -> dict[str, Any]:
    """A document (id or unique id prefix) with its text and every extraction, each with its offsets."""
    with store_for(request) as store:
        document = store.document(document_id(store, doc_id))
        assert document is not None
        out: dict[str, Any] = {"document": document_record(document), "entities": [], "statements": [],
                               "times": [], "figures": [], "events": []}
        for record in analysis_records(store.analysis(document.id)):
            out[{"entity": "entities"}.get(record["type"], record["type"] + "s")].append(record)
    return out


def _statement_out(row: Any) -> dict[str, Any]:
    return {**statement_record(row.doc_id, row.statement), "outlet": row.outlet, "title": row.title,
            "url": row.url, "published": row.published}


def _statements(store: Store, query: StatementQuery) -> list[dict[str, Any]]:
    try:
        return [_statement_out(row) for row in store.statements(query)]
    except (BadQuery, sqlite3.OperationalError) as err:  # FTS5 syntax the user got wrong
        raise HTTPException(status_code=422, detail=f"bad search query {query.search!r}: {err}") from err


@router.get("/statements", response_model=Page[StatementOut])
def list_statements(
    request: Request,
    paging: PagingDep,
    speaker: Annotated[str | None, Query(max_length=200, description="Speakers whose name contains this.")] = None,
    since: Annotated[date | None, Query(description="Made on or after (YYYY-MM-DD); undated ones count from publication.")] = None,
    until: Annotated[date | None, Query(description="Made on or before (YYYY-MM-DD).")] = None,
    cue_class: Annotated[CueClass | None, Query(description="Only statements of this cue class.")] = None,
    search: Annotated[str | None, Query(max_length=500, description="SQLite FTS5 query over content, speaker and cue.")] = None,
    doc: Annotated[str | None, Query(max_length=64, description="Only this document (id or unique prefix).")] = None,
) -> dict[str, Any]:
    """Who said what and when, in the order the statements were made (the CLI's ``statements``)."""
    if since and until and since > until:
        raise HTTPException(status_code=422, detail=f"since {since} is after until {until}")
    with store_for(request) as store:
        doc_id = document_id(store, doc) if doc else None
        query = StatementQuery(speaker, since, until, cue_class.value if cue_class else None, search, doc_id,
                               paging.limit + 1, paging.offset)
        return paging.page(_statements(store, query), at_offset=True)


@router.get("/stories", response_model=Page[StorySummaryOut])
def list_stories(request: Request, paging: PagingDep) -> dict[str, Any]:
    """Stories, largest first."""
    with store_for(request) as store:
        return paging.page([dataclasses.asdict(s) for s in views.stories(store, paging.window)])


@router.get("/stories/{story}", response_model=StoryRecord)
def get_story(request: Request, story: str) -> dict[str, Any]:
    """One story (id or unique prefix) as the stories export writes it: documents, claims, figures, timeline."""
    with store_for(request) as store:
        summary = views.story_summary(store, story_id(store, story))
        assert summary is not None
        return story_record(store, summary)


@router.get("/claims", response_model=Page[ClaimOut])
def list_claims(
    request: Request,
    paging: PagingDep,
    story: Annotated[str | None, Query(max_length=64, description="Only this story (id or unique prefix).")] = None,
    contested: Annotated[bool, Query(description="Only claims that sources both affirm and deny.")] = False,
    source: Annotated[str | None, Query(max_length=200, description="Only claims with a statement by a source whose name contains this.")] = None,
) -> dict[str, Any]:
    """Claims across documents, each with every statement and its source's stance (the CLI's ``claims``)."""
    with store_for(request) as store:
        sid = story_id(store, story) if story else None
        found = views.claims(store, sid, contested=contested, source=source)
    return paging.page([dataclasses.asdict(c) for c in found])


def _phrase_query(q: str) -> str:
    """Plain words to an FTS5 query: every word must appear; no FTS5 syntax reaches the engine."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in q.split())


@router.get("/search", response_model=SearchResults)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words that must all appear.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Full-text search: documents (title and text, best match first) and statements (content, speaker, cue; in the order made)."""
    match = _phrase_query(q)
    if not match:
        raise HTTPException(status_code=422, detail="the query has no words")
    with store_for(request) as store:
        docs = store.search_documents(match, limit)
        statements = _statements(store, StatementQuery(search=match, limit=limit))
    return {"query": q, "documents": docs, "statements": statements}
