"""Response models of the HTTP API (the OpenAPI schema at /docs is built from these).

Records reuse the export schemas (:mod:`storyline.export.schema`), so the API and
the JSON Lines export describe a statement or a story the same way.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from storyline.export.schema import (
    DocumentRecord,
    EntityRecord,
    EventRecord,
    FigureRecord,
    StatementRecord,
    StoryClaim,
    TimeRecord,
)

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null on the last page.")


class DocumentSummary(BaseModel):
    doc_id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None
    language: str | None
    source: str | None


class DocumentDetail(BaseModel):
    document: DocumentRecord
    entities: list[EntityRecord]
    statements: list[StatementRecord]
    times: list[TimeRecord]
    figures: list[FigureRecord]
    events: list[EventRecord]


class StatementOut(StatementRecord):
    outlet: str | None
    title: str | None
    url: str | None
    published: str | None


class StorySummaryOut(BaseModel):
    story_id: str
    title: str | None
    first_date: str | None
    last_date: str | None
    documents: int
    claims: int = Field(description="Claims made by more than one statement.")
    contested: int = Field(description="Claims that sources both affirm and deny.")


class ClaimOut(StoryClaim):
    story_id: str


class SearchResults(BaseModel):
    query: str
    documents: list[DocumentSummary]
    statements: list[StatementOut]


class IngestText(BaseModel):
    text: str = Field(min_length=1)
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None


class IngestRequest(BaseModel):
    texts: list[IngestText] = Field(min_length=1, max_length=50)


class IngestedOut(BaseModel):
    doc_id: str
    title: str | None
    statements: int
    not_analysed: str | None = None


class RejectedOut(BaseModel):
    item: str
    reason: str


class IngestResult(BaseModel):
    ingested: list[IngestedOut]
    skipped: list[str] = Field(description="Ids of documents already stored.")
    rejected: list[RejectedOut]


class Problem(BaseModel):
    detail: str
