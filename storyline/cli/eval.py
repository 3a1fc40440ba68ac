"""``storyline eval …``: score storyline against the evaluation sets in ../shared/data.

Each command runs the same pipeline users run and prints a table; the scoring
itself lives in :mod:`storyline.eval`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Protocol

import typer

app = typer.Typer(help="Score storyline against annotated evaluation sets.", no_args_is_help=True)


@app.command("attribution")
def attribution(
    ctx: typer.Context,
    directory: str = typer.Argument(..., help="A PolNeAR-style split: DIR/text/*.txt and DIR/attributions/*.ann."),
    write_ann: str | None = typer.Option(None, "--write-ann", help="Write the system's attributions as brat .ann files here."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    speed: bool = typer.Option(False, "--speed", help="Also time the bare model vs the model + the statements component on DIR's texts."),
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
    if speed:
        from storyline.eval.attribution import measure_speed

        texts = [p.read_text(encoding="utf-8") for p in sorted((Path(directory) / "text").glob("*.txt"))]
        timing = measure_speed(settings.model, texts)
        typer.echo(
            f"speed: the model {timing.words / timing.model_seconds:,.0f} words/s ({timing.model_seconds:.1f}s), "
            f"storyline_statements {timing.component_seconds:.1f}s = +{100 * timing.share:.1f}% of the model's time"
        )


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


@app.command("places")
def places(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="LGL-style XML: articles with <toponym> spans and <gaztag> GeoNames gold."),
    split: list[str] = typer.Option(["dev", "test", "all"], "--split", help="Splits to score on gold spans: dev (even articles), test (odd), all."),
    end_to_end: str | None = typer.Option(None, "--end-to-end", help="Also run the pipeline on this split and score recognition + resolution."),
    no_outlet: bool = typer.Option(False, "--no-outlet", help="Use nothing of the outlet (neither its country nor its profile)."),
    no_profiles: bool = typer.Option(False, "--no-profiles", help="No outlet profiles (home region from the outlet's other articles): each article alone."),
    errors: str | None = typer.Option(None, "--errors", help="Write the toponyms resolved > 161 km off (last split) to this TSV file."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score place resolution against LGL: on gold toponym spans and, optionally, end to end."""
    import json
    from pathlib import Path

    from storyline.config import Settings
    from storyline.eval.places import ErrorCase, evaluate

    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    if not Path(file).is_file():
        raise typer.BadParameter(f"{file} is not a file", param_hint="FILE")
    cases: list[ErrorCase] = []
    report = evaluate(
        file, splits=split, end_to_end=end_to_end, model=settings.model, processes=settings.processes or 1,
        use_outlet=not no_outlet, profiles=not no_profiles, on_error=cases.append if errors else None,
    )
    if errors:
        with open(errors, "w", encoding="utf-8") as out:
            out.write("article\tstart\tend\ttext\tgold\tgold_fcode\tgold_country\tpredicted\tpredicted_kind\tpredicted_country\terror_km\n")
            for c in cases:
                p = c.pred
                out.write(
                    f"{c.article}\t{c.gold.start}\t{c.gold.end}\t{c.gold.text}\t{c.gold.name}\t{c.gold.fcode}\t{c.gold.country}\t"
                    f"{p.name if p else ''}\t{p.kind if p else ''}\t{p.country or '' if p else ''}\t"
                    f"{'' if c.error_km is None else round(c.error_km)}\n"
                )
    typer.echo(json.dumps(report.as_dict(), indent=2) if json_out else report.table())


class _Report(Protocol):
    def as_dict(self) -> dict[str, Any]: ...

    def table(self) -> str: ...


def _print_report(run: Callable[[], _Report], json_out: bool) -> None:
    """Run a scorer and print its table or JSON; a bad input file is one line on stderr and exit status 2."""
    import json

    from storyline.eval.story import InputError

    try:
        report = run()
    except InputError as err:
        typer.echo(f"error: {err}", err=True)  # one line, never wrapped
        raise typer.Exit(2) from err
    typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) if json_out else report.table())


StoriesFile = Annotated[str, typer.Argument(help="The output of `storyline export --format stories` (JSON Lines).")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")]


@app.command("story")
def story(
    gold: Annotated[str, typer.Argument(help="Story gold JSON, e.g. ../shared/data/nk-feeds/story-gold-*.json.")],
    stories: StoriesFile,
    json_out: JsonFlag = False,
) -> None:
    """Score a stories export against a story gold: membership, claim stances, troop figures (JSON: with the missed and extra pairs)."""
    from storyline.eval.story import read_stories, read_story_gold, score

    _print_report(lambda: score(read_story_gold(gold), read_stories(stories)), json_out)


@app.command("clustering")
def clustering(
    gold: Annotated[str, typer.Argument(help="ECB+ gold TSV (file, topic, subtopic), e.g. ../shared/data/ecbplus/gold.tsv.")],
    stories: StoriesFile,
    json_out: JsonFlag = False,
) -> None:
    """Score story clustering: B³ against ECB+ subtopics and topics (documents map to files by their source's name)."""
    from storyline.eval.clustering import evaluate

    _print_report(lambda: evaluate(gold, stories), json_out)


@app.command("extraction")
def extraction(
    directory: str = typer.Argument(..., help="An AEB-style folder: html/<key>.html.gz and ground-truth.json."),
    split: list[str] = typer.Option(["dev", "test", "all"], "--split", help="dev (even-indexed pages in name order), test (odd), all."),
    write_predictions: str | None = typer.Option(
        None, "--write-predictions", help="Write the stored body texts here as JSON, in the benchmark's format."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score HTML article extraction (the stored body text) against the Article Extraction Benchmark."""
    import json
    from pathlib import Path

    from storyline.eval.extraction import SPLITS, evaluate_directory

    if not (Path(directory) / "ground-truth.json").is_file():
        raise typer.BadParameter(f"{directory}/ground-truth.json is not a file", param_hint="DIRECTORY")
    unknown = sorted(set(split) - set(SPLITS))
    if unknown:
        raise typer.BadParameter(f"unknown split {', '.join(unknown)} (dev, test, all)", param_hint="--split")
    run = evaluate_directory(Path(directory), split)
    if write_predictions:
        Path(write_predictions).write_text(json.dumps(run.predictions, ensure_ascii=False, indent=1), encoding="utf-8")
    if json_out:
        typer.echo(json.dumps({name: s.as_dict() for name, s in run.scores.items()}, indent=2))
        return
    typer.echo(f"{'split':6s} {'pages':>5s} {'P':>6s} {'R':>6s} {'F1':>6s} {'exact':>6s}")
    for name, s in run.scores.items():
        typer.echo(f"{name:6s} {s.pages:5d} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.accuracy:6.3f}")


@app.command("stance")
def stance(
    stances: str = typer.Argument(..., help="FNC-1-format stances CSV: Headline, Body ID, Stance (Stance may be absent with --write-predictions)."),
    bodies: str = typer.Argument(..., help="FNC-1-format bodies CSV: Body ID, articleBody."),
    write_predictions: str | None = typer.Option(None, "--write-predictions", help="Write Headline, Body ID, Stance (predicted) here, in the input's order."),
    model: str | None = typer.Option(None, "--model", help="Stance weights (.npz) to use instead of the shipped ones."),
    cut_bodies: int | None = typer.Option(None, "--cut-bodies", min=1, help="Cut each body to its N sentences most similar to the headline (short-text check)."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score the stance model on FNC-1-format data: FNC-1 score, macro-F1, per-class F1, confusion matrix."""
    import json

    from storyline.eval.stance import evaluate_files
    from storyline.story.stance import StanceDataError, StanceModelError

    try:
        run = evaluate_files(stances, bodies, model=model, write_predictions=write_predictions, cut_bodies=cut_bodies)
    except (StanceDataError, StanceModelError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from err
    if run.scores is None:  # unlabelled input: predictions only
        typer.echo(f"{len(run.predicted)} pairs predicted in {run.seconds:.1f}s, written to {write_predictions} (no Stance column: nothing scored)")
        return
    if json_out:
        typer.echo(json.dumps({**run.scores.as_dict(), "seconds": round(run.seconds, 2)}, indent=2))
        return
    typer.echo(run.scores.table())
    typer.echo(f"\npredicted in {run.seconds:.1f}s ({run.scores.n / max(run.seconds, 1e-9):,.0f} pairs/s)")
