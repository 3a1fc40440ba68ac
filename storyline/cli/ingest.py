"""``storyline ingest PATH|URL…``"""

from __future__ import annotations

import codecs
import contextlib
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.table import Table

from storyline.cli.common import ExitCode, Terminated, console, echo, errors, fail, raise_on_sigterm, settings_of, store_of
from storyline.config import ModelNotInstalled, Settings

if TYPE_CHECKING:
    from rich.progress import Progress
    from spacy.language import Language

    from storyline.batch import Analyzer, BatchReport
    from storyline.ingest.files import ReadOptions, Rejected
    from storyline.ingest.outlets import Outlet, Outlets
    from storyline.model import Document
    from storyline.store import SQLiteStore


def ingest(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders (.txt articles, .html pages, .jsonl records, RSS/Atom feeds), or http(s) URLs of pages, fetched as by storyline fetch.",
        ),
    ],
    outlet: Annotated[str | None, typer.Option(help="Outlet of every document, as a domain (donga.com) or a name.")] = None,
    timezone: Annotated[str | None, typer.Option("--tz", help="Time zone for datelines that give none (e.g. Asia/Seoul).")] = None,
    outlets_file: Annotated[Path | None, typer.Option("--outlets", help="JSON file of extra outlets: domain → name, timezone, country.")] = None,
    encoding: Annotated[str, typer.Option(help="Encoding of text files.")] = "utf-8",
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Let URLs reach private and loopback addresses (intranets, tests).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every document and every rejection.")] = False,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray", metavar="ADDRESS",
            help="Analyse in a pool of Ray actors, one per CPU: local (start Ray on this machine), auto (the cluster this machine joined with ray start) or a cluster's HOST:PORT. Needs pip install 'storyline[ray]'.",
        ),
    ] = None,
) -> None:
    """Read, analyse and store documents. Already stored documents are skipped, so an interrupted run can simply be repeated."""
    from storyline.batch import BatchReport
    from storyline.batch import ingest as ingest_paths
    from storyline.batch import ingest_items
    from storyline.ingest.urls import looks_like_url

    options = read_options(outlet, timezone, outlets_file, encoding)
    urls = [i for i in inputs if looks_like_url(i)]
    paths = [Path(i) for i in inputs if not looks_like_url(i)]
    settings = settings_of(ctx)
    store = store_of(ctx, create=True)

    def run(progress: IngestProgress) -> BatchReport:
        with analysis_on(ray_address, settings, progress) as analyzer:
            report = ingest_paths(paths, store, settings, options, progress=progress, analyzer=analyzer) if paths else BatchReport()
            if urls:
                from storyline.cli.fetch import web_session

                with web_session(store, options, allow_private=allow_private) as session:
                    ingest_items(session.pages(urls), store, settings, progress=progress, report=report, analyzer=analyzer)
        return report

    try:
        report = guarded(run, store, settings)
    finally:
        store.close()
    print_report(report, verbose)
    raise typer.Exit(int(exit_code(report)))


@contextlib.contextmanager
def analysis_on(address: str | None, settings: Settings, progress: IngestProgress) -> Iterator[Analyzer | None]:
    """Analysis on the Ray cluster at ``address`` (its actors and, for "local", Ray ended on the
    way out), or None: the local pipeline. A cluster that cannot be reached is a one-line error."""
    if address is None:
        yield None
        return
    from storyline.analyze.ray_pool import RayAnalysis, RayUnavailable

    try:
        with RayAnalysis(address, settings, progress=progress) as pool:
            yield pool
    except RayUnavailable as err:
        raise fail(str(err)) from err


def read_options(outlet: str | None, timezone: str | None, outlets_file: Path | None, encoding: str = "utf-8") -> ReadOptions:
    """The reading options the --outlet, --tz, --outlets and --encoding options ask for."""
    from storyline.ingest.files import ReadOptions
    from storyline.ingest.outlets import Outlets

    registry = Outlets.bundled()
    try:
        if outlets_file:
            registry.load(outlets_file)
    except (OSError, ValueError, KeyError) as err:
        raise typer.BadParameter(f"cannot read outlets file: {err}", param_hint="--outlets") from err
    try:
        codecs.lookup(encoding)
    except LookupError as err:
        raise typer.BadParameter(f"unknown encoding {encoding!r}", param_hint="--encoding") from err
    return ReadOptions(outlets=registry, outlet=_forced_outlet(registry, outlet), zone=_zone(timezone), encoding=encoding)


def guarded(run: Callable[[IngestProgress], BatchReport], store: SQLiteStore, settings: Settings) -> BatchReport:
    """Run a batch with progress on stderr; a missing model, Ctrl-C or SIGTERM ends the command
    with a clear message and its exit code, the workers ended and the store closed."""
    progress = IngestProgress(settings.model)
    previous = signal.getsignal(signal.SIGTERM)
    raise_on_sigterm()
    try:
        return run(progress)
    except ModelNotInstalled as err:
        raise fail(str(err)) from err
    except (KeyboardInterrupt, Terminated) as stop:
        progress.stop()
        stored = store.counts()["documents"]
        errors.print(f"interrupted: {stored} documents are stored; run the same command again to finish.")
        code = ExitCode.INTERRUPTED if isinstance(stop, KeyboardInterrupt) else ExitCode.TERMINATED
        raise typer.Exit(int(code)) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
        progress.stop()


def run_batch(items: Iterable[Document | Rejected], store: SQLiteStore, settings: Settings, nlp: Language | None = None) -> BatchReport:
    """Ingest items from any source (fetched pages, polled feeds) as ``ingest`` does files."""
    from storyline.batch import ingest_items

    return guarded(lambda progress: ingest_items(items, store, settings, nlp=nlp, progress=progress), store, settings)


def exit_if_all_failed(report: BatchReport) -> None:
    """Exit with the batch's exit code (see exit_code) when it is not 0."""
    code = exit_code(report)
    if code != ExitCode.OK:
        raise typer.Exit(int(code))


def exit_code(report: BatchReport) -> ExitCode:
    """0 when nothing was rejected; 3 when inputs were rejected and no document was stored
    or found stored; else 1."""
    if not report.rejected:
        return ExitCode.OK
    if report.ingested or any(doc_id for doc_id, _, _ in report.skipped):
        return ExitCode.PARTIAL
    return ExitCode.NOTHING


class IngestProgress:
    """The batch's progress on stderr: a live line on a terminal; otherwise (a log, a
    pipe, a CI job) a plain line when the model loads and every ``every`` seconds."""

    def __init__(self, model: str, *, every: float = 10.0) -> None:
        self.model, self.every = model, every
        self.files = self.file = self.analysed = self.skipped = self.rejected = 0
        self.started = self.last = time.monotonic()
        self.loading_since = 0.0
        self.live: Progress | None = None
        if errors.is_terminal:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.live = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                TextColumn("file {task.completed}/{task.total}"), TimeElapsedColumn(),
                console=errors, transient=True,
            )
            self.task = self.live.add_task("reading the inputs", total=None)

    def __call__(self, event: str, amount: int) -> None:
        if event == "files":
            self.files = amount
        elif event == "file":
            self.file += amount
        elif event == "advance":
            self.analysed += amount
        elif event == "skipped":
            self.skipped += amount
        elif event == "rejected":
            self.rejected += amount
        elif event == "model":
            self._model(loaded=bool(amount))
            return
        if self.live is not None:
            self.live.update(self.task, description=self.summary(), completed=self.file, total=self.files or None)
            if not self.live.live.is_started:  # from the first event on: the number of files is known
                self.live.start()
        elif time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            errors.print(f"ingest: {self.summary()}; file {self.file} of {self.files}; {self.last - self.started:.0f} s")

    def summary(self) -> str:
        return f"{self.analysed} analysed, {self.skipped} skipped, {self.rejected} rejected"

    def _model(self, *, loaded: bool) -> None:
        if not loaded:
            self.loading_since = time.monotonic()
            message = f"loading the model {self.model} …"
        else:
            message = f"model loaded ({time.monotonic() - self.loading_since:.1f} s); analysing"
        if self.live is not None:
            self.live.update(self.task, description=message)
        else:
            errors.print(message)

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()


MAX_LISTED = 40


def print_report(report: BatchReport, verbose: bool = False) -> None:
    """One row per source file, then every rejection with its reason."""
    per_source: dict[str, list[int]] = {}
    for item in report.ingested:
        per_source.setdefault(item.file, [0, 0, 0])[0] += 1
    for _, source, _ in report.skipped:
        per_source.setdefault(source, [0, 0, 0])[1] += 1
    for rejected in report.rejected:
        per_source.setdefault(rejected.source, [0, 0, 0])[2] += 1
    rows = sorted(per_source.items())  # the same order whichever worker finished first
    if console.is_terminal:
        table = Table(title="ingest")
        for column in ("source", "ingested", "skipped", "rejected"):
            table.add_column(column, justify="left" if column == "source" else "right", overflow="fold")
        for source, (ok, skipped, bad) in rows:
            table.add_row(source, str(ok), str(skipped), str(bad), style="red" if bad else None)
        console.print(table)
    else:  # a log or a pipe: one line a source, its path whole (a table would fold it at 80 columns)
        for source, (ok, skipped, bad) in rows:
            echo(f"{source}: {ok} ingested, {skipped} skipped, {bad} rejected")
    if report.ingested and (verbose or len(report.ingested) <= 10):
        for item in report.ingested:
            what = f"not analysed ({item.not_analysed})" if item.not_analysed else f"{item.statements:3d} statements"
            console.print(f"  ingested {item.doc_id}  {what}  {item.title or item.source}")
    if verbose:
        for _, _, why in report.skipped:
            console.print(f"  skipped {why}")
    listed = report.rejected if verbose else report.rejected[:MAX_LISTED]
    for rejected in listed:
        where = f"{rejected.source}:{rejected.item}" if rejected.item else rejected.source
        console.print(f"  rejected {where}: {rejected.reason}", style="red")
    if len(listed) < len(report.rejected):
        console.print(f"  … and {len(report.rejected) - len(listed)} more rejections (--verbose lists all)")
    console.print(f"{len(report.ingested)} ingested, {len(report.skipped)} skipped, {len(report.rejected)} rejected")
    if unread := [i for i in report.ingested if i.not_analysed]:
        languages = sorted({(i.not_analysed or "").split(":")[0] for i in unread})
        console.print(f"{len(unread)} stored but not analysed ({'; '.join(languages)}): storyline status lists them")


def _forced_outlet(registry: Outlets, outlet: str | None) -> Outlet | None:
    from storyline.ingest.outlets import Outlet

    if outlet is None:
        return None
    return registry.for_domain(outlet) or registry.for_name(outlet) or Outlet(domain="", name=outlet)


def _zone(name: str | None) -> ZoneInfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise typer.BadParameter(f"unknown time zone {name!r}", param_hint="--tz") from err
