"""The story pages: the list of stories, a story (claim matrix, figure charts, timeline), a document.

Rendered server-side with Jinja2, autoescaping on: article text is always
escaped, so markup inside an article shows as text and never runs.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.api import routes
from storyline.api.deps import document_id, store_for, story_id
from storyline.model import cue_label, date_note, stance_label
from storyline.story import views
from storyline.web.chart import chart
from storyline.web.marks import segments, spans_of
from storyline.web.matrix import matrix
from storyline.web.placemap import place_map, places

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
templates = Jinja2Templates(env=Environment(loader=PackageLoader("storyline.web", "templates"), autoescape=True))
templates.env.globals.update(cue_label=cue_label, date_note=date_note, stance_label=stance_label)
STORIES_SHOWN = 200
SEARCH_SHOWN = 50


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


async def page_errors(request: Request, err: StarletteHTTPException) -> Response:
    """A page that is not there is an HTML page too; the API keeps its JSON errors."""
    if err.status_code == 404 and not request.url.path.startswith(("/api/", "/static/")):
        return _page(request, "missing.html", {"detail": err.detail}, status=404)
    return await http_exception_handler(request, err)


@router.get("/")
def index(request: Request) -> HTMLResponse:
    with store_for(request) as store:
        rows = views.stories(store, STORIES_SHOWN)
        documents = store.sql.rows("SELECT count(*) FROM documents")[0][0]
    return _page(request, "index.html", {"stories": rows, "documents": documents, "shown": STORIES_SHOWN})


@router.get("/stories/{story}")
def story_page(request: Request, story: str) -> HTMLResponse:
    with store_for(request) as store:
        sid = story_id(store, story)
        summary = views.story_summary(store, sid)
        # As the CLI's matrix: claims made by two statements or more, and every contested one.
        claims = [c for c in views.claims(store, sid) if len(c.statements) >= 2 or c.contested]
        context = {
            "summary": summary,
            "people": views.main_identities(store, sid),
            "matrix": matrix(claims),
            "charts": [chart(s) for s in views.series(store, sid) if len({p.doc_id for p in s.points}) > 1],
            "map": place_map(places(store, sid)),
            "timeline": views.timeline(store, sid),
            "documents": views.documents(store, sid),
        }
    return _page(request, "story.html", context)


@router.get("/search")
def search_page(request: Request, q: str = "") -> HTMLResponse:
    """The API's search (/api/search: every word must appear) as a page, each hit linked to its characters."""
    q = q.strip()
    results = routes.search(request, q[:500], SEARCH_SHOWN) if q else None
    return _page(request, "search.html", {"q": q, "results": results, "shown": SEARCH_SHOWN})


@router.get("/documents/{doc}")
def document_page(request: Request, doc: str) -> HTMLResponse:
    with store_for(request) as store:
        full = document_id(store, doc)
        document = store.document(full)
        analysis = store.analysis(full)
    assert document is not None
    return _page(request, "document.html", {
        "document": document, "segments": segments(document.text, spans_of(analysis), (s.start for s in analysis.statements)),
        "statements": analysis.statements,
    })
