"""What the endpoints share: the store opened per request, id resolution, pagination, the ingest token."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from storyline.store import Store, open_store
from storyline.story import views

TOKEN_VARIABLE = "STORYLINE_API_TOKEN"
MAX_LIMIT = 500
MAX_OFFSET = 100_000
# Ids are lowercase hex with a letter prefix ("s…", "c…"); anything else cannot name a record.
_ID = re.compile(r"[0-9a-z]{1,64}")

T = TypeVar("T")


@contextmanager
def store_for(request: Request) -> Iterator[Store]:
    """A connection of this request's own: sqlite3 connections belong to the thread that opened
    them, and FastAPI runs each synchronous endpoint in a worker thread."""
    store = open_store(request.app.state.db)
    try:
        yield store
    finally:
        store.close()


class Paging:
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most this many (1–{MAX_LIMIT}).")] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Skip this many.")] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset

    @property
    def window(self) -> int:
        """Rows to read to know whether a next page exists."""
        return self.offset + self.limit + 1

    def page(self, rows: list[T], *, at_offset: bool = False) -> dict[str, object]:
        """The page with the next page's offset. ``rows``: from the first row up to at least
        :attr:`window` rows, or (``at_offset``) from the offset on, at least ``limit + 1`` rows."""
        if not at_offset:
            rows = rows[self.offset :]
        items = rows[: self.limit]
        more = len(rows) > self.limit
        return {"items": items, "limit": self.limit, "offset": self.offset,
                "next_offset": self.offset + self.limit if more else None}


PagingDep = Annotated[Paging, Depends()]


def not_found(what: str, value: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what} with id {value!r}")


def document_id(store: Store, prefix: str) -> str:
    prefix = prefix.lower()  # ids are lower-case hex; "800D" as a reader may copy it, as the CLI takes it
    full = store.resolve_id(prefix) if _ID.fullmatch(prefix) else None
    if full is None:
        raise not_found("single document", prefix)
    return full


def story_id(store: Store, prefix: str) -> str:
    prefix = prefix.lower()
    found = views.resolve_story(store, prefix) if _ID.fullmatch(prefix) else []
    if len(found) != 1:
        raise not_found("single story", prefix)
    return found[0]


_bearer = HTTPBearer(auto_error=False, description=f"The token set in the server's {TOKEN_VARIABLE} variable.")


def require_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Writing needs the bearer token; with no token configured, writing is off."""
    expected = os.environ.get(TOKEN_VARIABLE, "")
    if not expected:
        raise HTTPException(status_code=403, detail=f"ingest is disabled: the server has no {TOKEN_VARIABLE} set")
    given = credentials.credentials if credentials else ""
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status_code=401, detail="missing or wrong bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
