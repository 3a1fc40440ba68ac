"""The Typer application and its global options."""

from __future__ import annotations

from typing import Annotated

import typer

from storyline.cli import eval as eval_commands
from storyline.cli import gazetteer as gazetteer_commands
from storyline.cli.export import export
from storyline.cli.fetch import fetch, watch
from storyline.cli.ingest import ingest
from storyline.cli.query import show, statements, status, timeline
from storyline.cli.serve import serve
from storyline.cli.story import claims, stories, story
from storyline.config import DEFAULT_DB, DEFAULT_MODEL, Settings

app = typer.Typer(
    name="storyline",
    help="Turn news reports into a verifiable record of who said what, when and where.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
for command in (ingest, fetch, watch, statements, timeline, stories, story, claims, show, export, status, serve):
    app.command()(command)
app.add_typer(eval_commands.app, name="eval")
app.add_typer(gazetteer_commands.app, name="gazetteer")


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[str, typer.Option("--db", envvar="STORYLINE_DB", help="SQLite file of the store.")] = DEFAULT_DB,
    model: Annotated[
        str, typer.Option("--model", envvar="STORYLINE_MODEL", help="spaCy English pipeline to analyse with.")
    ] = DEFAULT_MODEL,
    processes: Annotated[
        int | None,
        typer.Option(
            "--processes", "-j", envvar="STORYLINE_PROCESSES", min=1, show_default=False,
            help="Worker processes for analysis [default: one per core, at most 2].",
        ),
    ] = None,
) -> None:
    settings = Settings(db=db, model=model)
    if processes is not None:
        settings.processes = processes
    ctx.obj = settings
