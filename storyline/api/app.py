"""The FastAPI application: the JSON API under /api and the story pages, over one store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from storyline import __version__
from storyline.api import ingest, pages, routes
from storyline.config import DEFAULT_MODEL
from storyline.store import open_store

STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
MAX_BODY = 20 * 1024 * 1024  # bytes of a request body: 50 texts of 2 million characters is more than a batch needs
# Pages load nothing from elsewhere and run no script: the page is plain HTML, CSS and inline SVG.
CSP = ("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# The interactive docs page (Swagger UI, served from the fastapi-offline package, never a CDN)
# is the exception: it runs an inline script.
_DOCS = ("/docs",)


class BodyLimit:
    """Refuses a request whose declared body is larger than ``limit`` before anything reads it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length", b"0")
            if not length.isdigit() or int(length) > self.limit:
                response = JSONResponse({"detail": f"request body larger than {self.limit} bytes"}, status_code=413)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(db: str | Path, *, model: str = DEFAULT_MODEL, cors_origins: Sequence[str] = ()) -> FastAPI:
    """The app over the store at ``db`` (created if missing). CORS stays off unless origins are given."""
    open_store(db).close()  # create or migrate once, and fail here rather than on the first request
    app = FastAPIOffline(  # FastAPI, with its docs page's scripts served from the package, not a CDN
        title="storyline",
        version=__version__,
        description="Who claimed what and when, across sources: documents, statements, stories and claims, "
                    "every item traced to character offsets in its document.",
        docs_url="/docs",
        redoc_url=None,
        static_url="/static/swagger",
        favicon_url="/static/favicon.svg",
    )
    app.state.db = str(db)
    app.state.model = model
    app.include_router(routes.router)
    app.include_router(ingest.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Browsers ask for /favicon.ico whatever the page says; a 404 there is a console error.
    app.add_api_route("/favicon.ico", lambda: RedirectResponse("/static/favicon.svg"), include_in_schema=False)
    app.add_exception_handler(StarletteHTTPException, pages.page_errors)  # type: ignore[arg-type]

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        if not request.url.path.startswith(_DOCS):
            response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    return app
