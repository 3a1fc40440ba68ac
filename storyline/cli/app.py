"""The Typer application and its global options.

Commands import what they need when they run (spaCy only in those that
analyse), so ``storyline --help`` and the reading commands start quickly.
"""

from __future__ import annotations

import logging
import sqlite3
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from storyline.cli import eval as eval_commands
from storyline.cli import gazetteer as gazetteer_commands
from storyline.cli.check import check
from storyline.cli.common import EPILOG, ExitCode, echo, errors, fail
from storyline.cli.export import export
from storyline.cli.fetch import fetch, watch
from storyline.cli.ingest import ingest
from storyline.cli.query import documents, show, statements, status, timeline
from storyline.cli.serve import serve
from storyline.cli.story import claims, stories, story
from storyline.config import DEFAULT_DB, DEFAULT_MODEL, Settings


class StorylineGroup(TyperGroup):
    """Turns a store that fails under a command (damaged pages, not a database) into one line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        from storyline.store import StoreError
        from storyline.store.sqlite import unusable

        try:
            return super().invoke(ctx)
        except StoreError as err:
            raise fail(str(err)) from err
        except sqlite3.DatabaseError as err:
            db = ctx.obj.db if isinstance(ctx.obj, Settings) else DEFAULT_DB
            raise fail(unusable(db, err), ExitCode.USAGE) from err


app = typer.Typer(
    name="storyline",
    cls=StorylineGroup,
    help="Turn news reports into a verifiable record of who said what, when and where.",
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.command(epilog=EPILOG)(ingest)
for command in (fetch, watch, documents, statements, timeline, stories, story, claims, show, export, status, check, serve):
    app.command()(command)
app.add_typer(eval_commands.app, name="eval")
app.add_typer(gazetteer_commands.app, name="gazetteer")


def _print_version(value: bool) -> None:
    if not value:
        return
    from storyline import __version__

    try:
        spacy = version("spacy")
    except PackageNotFoundError:
        spacy = "not installed"
    echo(f"storyline {__version__} (spaCy {spacy})")
    raise typer.Exit()


class _ToErrors(logging.Handler):
    """storyline's log messages (the gazetteer's first build, analysis fall-backs) on stderr, cleaned."""

    def emit(self, record: logging.LogRecord) -> None:
        errors.print(record.getMessage(), style="yellow" if record.levelno >= logging.WARNING else "dim")


def _log_to_stderr() -> None:
    logger = logging.getLogger("storyline")
    if not any(isinstance(h, _ToErrors) for h in logger.handlers):
        logger.addHandler(_ToErrors())
        logger.setLevel(logging.INFO)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[str, typer.Option("--db", envvar="STORYLINE_DB", help="The store: a SQLite file, or a postgresql:// URL of a PostgreSQL database.")] = DEFAULT_DB,
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
    show_version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    settings = Settings(db=db, model=model)
    if processes is not None:
        settings.processes = processes
    ctx.obj = settings
    _log_to_stderr()
