"""``storyline ingest PATH…``"""

from __future__ import annotations

import codecs
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.table import Table

from storyline.cli.common import ExitCode, Terminated, console, errors, fail, raise_on_sigterm, settings_of, store_of
from storyline.config import ModelNotInstalled

if TYPE_CHECKING:
    from rich.progress import Progress

    from storyline.batch import BatchReport
    from storyline.ingest.outlets import Outlet, Outlets


def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt articles, .html pages, .jsonl records, RSS/Atom feeds.")],
    outlet: Annotated[str | None, typer.Option(help="Outlet of every document, as a domain (donga.com) or a name.")] = None,
    timezone: Annotated[str | None, typer.Option("--tz", help="Time zone for datelines that give none (e.g. Asia/Seoul).")] = None,
    outlets_file: Annotated[Path | None, typer.Option("--outlets", help="JSON file of extra outlets: domain → name, timezone, country.")] = None,
    encoding: Annotated[str, typer.Option(help="Encoding of text files.")] = "utf-8",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every document and every rejection.")] = False,
) -> None:
    """Read, analyse and store documents. Already stored documents are skipped, so an interrupted run can simply be repeated."""
    from storyline.batch import ingest as run_ingest
    from storyline.ingest.files import ReadOptions
    from storyline.ingest.outlets import Outlets

    settings = settings_of(ctx)
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
    options = ReadOptions(
        outlets=registry, outlet=_forced_outlet(registry, outlet), zone=_zone(timezone), encoding=encoding
    )
    store = store_of(ctx)
    progress = IngestProgress(settings.model)
    previous = signal.getsignal(signal.SIGTERM)
    raise_on_sigterm()
    try:
        report = run_ingest(paths, store, settings, options, progress=progress)
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
        store.close()
    print_report(report, verbose)
    raise typer.Exit(int(exit_code(report)))


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
    table = Table(title="ingest")
    for column in ("source", "ingested", "skipped", "rejected"):
        table.add_column(column, justify="left" if column == "source" else "right", overflow="fold")
    for source, (ok, skipped, bad) in per_source.items():
        table.add_row(source, str(ok), str(skipped), str(bad), style="red" if bad else None)
    console.print(table)
    if report.ingested and (verbose or len(report.ingested) <= 10):
        for item in report.ingested:
            console.print(f"  ingested {item.doc_id}  {item.statements:3d} statements  {item.title or item.source}")
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
