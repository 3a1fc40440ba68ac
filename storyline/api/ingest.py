"""POST /api/ingest: articles sent as JSON, analysed and stored like any other source.

Behind the bearer token of STORYLINE_API_TOKEN (no token set: writing is off).
One ingest at a time: analysis uses the cores and SQLite takes one writer.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Depends, Request
from spacy.language import Language

from storyline.analyze.pipeline import load_pipeline
from storyline.api.deps import require_token, store_for
from storyline.api.models import IngestRequest, IngestResult, Problem
from storyline.batch import ingest_items
from storyline.config import Settings
from storyline.ingest.files import Rejected
from storyline.ingest.outlets import Outlets
from storyline.ingest.records import BadRecord, record_to_document
from storyline.model import Document

router = APIRouter(prefix="/api")
_lock = threading.Lock()
_pipelines: dict[str, Language] = {}


def _pipeline(model: str) -> Language:
    if model not in _pipelines:  # loaded on the first ingest, under the lock
        _pipelines[model] = load_pipeline(model)
    return _pipelines[model]


@router.post(
    "/ingest",
    response_model=IngestResult,
    responses={401: {"model": Problem}, 403: {"model": Problem}, 413: {"model": Problem}},
    dependencies=[Depends(require_token)],
)
def ingest(request: Request, body: IngestRequest) -> dict[str, Any]:
    """Analyse and store articles. Each text is checked like a JSON Lines record (title, text, url,
    published, outlet); one that does not fit is rejected with its reason and the rest go on."""
    outlets = Outlets.bundled()
    items: list[Document | Rejected] = []
    for n, text in enumerate(body.texts, 1):
        item = f"text {n}"
        try:
            items.append(record_to_document(text.model_dump(exclude_none=True), source="api", item=item, outlets=outlets))
        except BadRecord as err:
            items.append(Rejected("api", item, str(err)))
    settings = Settings(db=request.app.state.db, model=request.app.state.model, processes=1)
    with _lock, store_for(request) as store:
        report = ingest_items(items, store, settings, nlp=_pipeline(settings.model))
    return {
        "ingested": [{"doc_id": i.doc_id, "title": i.title, "statements": i.statements, "not_analysed": i.not_analysed}
                     for i in report.ingested],
        "skipped": [doc_id for doc_id, _, _ in report.skipped],
        "rejected": [{"item": r.item, "reason": r.reason} for r in report.rejected],
    }
