"""``storyline serve``: the HTTP API and the story pages."""

from __future__ import annotations

from typing import Annotated

import typer

from storyline.cli.common import errors, settings_of


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on; the default answers this machine only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="Allow browser pages of this origin to call the API (repeatable); none by default."),
    ] = None,
) -> None:
    """Serve the HTTP API (/api, docs at /docs) and the story pages (/) over the store.

    POST /api/ingest needs the bearer token set in STORYLINE_API_TOKEN; without it, ingest is off.
    """
    import uvicorn

    from storyline.api import create_app

    settings = settings_of(ctx)
    try:
        app = create_app(settings.db, model=settings.model, cors_origins=cors_origin or ())
    except Exception as err:  # a clear message instead of a traceback
        errors.print(f"[red]cannot open the store {settings.db}: {err}[/red]")
        raise typer.Exit(2) from err
    errors.print(f"serving {settings.db} on http://{host}:{port}/ (API docs: /docs)", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="info")
