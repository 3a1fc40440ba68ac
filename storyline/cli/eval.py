"""``storyline eval …``: score storyline against the evaluation sets in ../shared/data.

Each command runs the same pipeline users run and prints a table; the scoring
itself lives in :mod:`storyline.eval`.
"""

from __future__ import annotations

import typer

app = typer.Typer(help="Score storyline against annotated evaluation sets.", no_args_is_help=True)


@app.command("attribution")
def attribution(
    ctx: typer.Context,
    directory: str = typer.Argument(..., help="A PolNeAR-style split: DIR/text/*.txt and DIR/attributions/*.ann."),
    write_ann: str | None = typer.Option(None, "--write-ann", help="Write the system's attributions as brat .ann files here."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score statements (source, cue, content) against brat attribution gold, e.g. PolNeAR dev."""
    import json
    from pathlib import Path

    from storyline.analyze.pipeline import load_pipeline
    from storyline.config import Settings
    from storyline.eval.attribution import evaluate_directory

    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    nlp = load_pipeline(settings.model)
    if not (Path(directory) / "text").is_dir():
        raise typer.BadParameter(f"{directory}/text is not a directory", param_hint="DIRECTORY")
    result = evaluate_directory(nlp, Path(directory), Path(write_ann) if write_ann else None)
    scores = result.scores
    if json_out:
        typer.echo(json.dumps(scores.as_dict(), indent=2))
        return
    typer.echo(f"{scores.articles} articles, {result.words} words, pipeline {result.seconds:.1f}s")
    typer.echo(f"{'metric':16s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for metric, p, r, f in scores.table():
        typer.echo(f"{metric:16s} {p:6.1f} {r:6.1f} {f:6.1f}")
    pron = scores.pronoun
    typer.echo(f"pronoun speakers resolved to the right name: {100 * pron.recall:.1f}% of {pron.gold:.0f}")


@app.command("timex")
def timex(
    ctx: typer.Context,
    directory: str = typer.Argument(..., help="TimeML folder: *.tml files, or subfolders of them (e.g. TimeBank/, AQUAINT/)."),
    write_tml: str | None = typer.Option(None, "--write-tml", help="Write the system output as TimeML files here (gold DCT kept)."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score time expressions (TIMEX3 span, type, value) against TimeML, e.g. TempEval-3 TimeBank+AQUAINT."""
    import json
    from pathlib import Path

    from storyline.config import Settings
    from storyline.eval.timex import evaluate_directory

    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    if not Path(directory).is_dir():
        raise typer.BadParameter(f"{directory} is not a directory", param_hint="DIRECTORY")
    run = evaluate_directory(settings.model, Path(directory), Path(write_tml) if write_tml else None)
    report = run.report
    if json_out:
        scores = {name: counts.as_dict() for name, counts in report.corpora.items()}
        scores["overall"] = report.overall.as_dict()
        typer.echo(json.dumps(scores, indent=2))
        return
    typer.echo(report.table())
    typer.echo(f"{run.words} words, pipeline {run.seconds:.1f}s")
