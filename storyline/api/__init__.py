"""The HTTP API and story pages (``storyline serve``): FastAPI over the store."""

from __future__ import annotations

from storyline.api.app import create_app

__all__ = ["create_app"]
