"""``storyline gazetteer …``: build and query the offline place gazetteer."""

from __future__ import annotations

import typer

app = typer.Typer(help="The offline place gazetteer (built from installed packages).", no_args_is_help=True)


@app.command("build")
def build(
    path: str | None = typer.Option(None, "--path", help="Where to write it [default: $STORYLINE_GAZETTEER or the user cache]."),
) -> None:
    """(Re)build the gazetteer's SQLite file from the installed packages; no network needed."""
    from pathlib import Path

    from storyline.analyze.places.build import build as build_file
    from storyline.analyze.places.gazetteer import default_path

    target = Path(path) if path else default_path()
    facts = build_file(target)
    typer.echo(f"{target}: {facts['places']} places, {facts['names']} names, "
               f"{int(facts['bytes']) / 1e6:.1f} MB, {facts['seconds']} s")


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
