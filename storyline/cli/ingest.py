"""``storyline ingest PATH|URL…``"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from spacy.language import Language

from storyline.analyze.pipeline import ModelNotInstalled
from storyline.batch import BatchReport, ingest_items
from storyline.cli.common import console, errors, settings_of, store_of
from storyline.config import Settings
from storyline.ingest.files import ReadOptions, Rejected, read_sources
from storyline.ingest.outlets import Outlet, Outlets
from storyline.ingest.urls import looks_like_url
from storyline.model import Document
from storyline.store import Store


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
) -> None:
    """Read, analyse and store documents. Already stored documents are skipped, so an interrupted run can simply be repeated."""
    from storyline.cli.fetch import web_session

    options = read_options(outlet, timezone, outlets_file, encoding)
    urls = [i for i in inputs if looks_like_url(i)]
    paths = [i for i in inputs if not looks_like_url(i)]
    store = store_of(ctx)
    items: Iterable[Document | Rejected] = read_sources(paths, options)
    with web_session(store, options, allow_private=allow_private) as session:
        if urls:
            items = chain(items, session.pages(urls))
        report = run_batch(items, store, settings_of(ctx))
    store.close()
    print_report(report, verbose)
    exit_if_all_failed(report)


def read_options(outlet: str | None, timezone: str | None, outlets_file: Path | None, encoding: str = "utf-8") -> ReadOptions:
    """The reading options the --outlet, --tz, --outlets and --encoding options ask for."""
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


def run_batch(items: Iterable[Document | Rejected], store: Store, settings: Settings, nlp: Language | None = None) -> BatchReport:
    """Ingest with a progress bar; a missing model or Ctrl-C ends the command with a clear message."""
    progress = Progress(
        TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors, transient=True
    )
    task = progress.add_task("analysing", total=None)

    def on_progress(event: str, amount: int) -> None:
        if event == "total":
            progress.update(task, total=amount)
            progress.start()
        else:
            progress.advance(task, amount)

    try:
        return ingest_items(items, store, settings, nlp=nlp, progress=on_progress)
    except ModelNotInstalled as err:
        errors.print(f"[red]{err}[/red]")
        raise typer.Exit(2) from err
    except KeyboardInterrupt:
        progress.stop()
        counts = store.counts()
        errors.print(f"interrupted: {counts['documents']} documents are stored; run the same command again to finish.")
        raise typer.Exit(130) from None
    finally:
        progress.stop()


def exit_if_all_failed(report: BatchReport) -> None:
    """Exit 1 when there were inputs and every one of them was rejected."""
    if report.rejected and not report.ingested and not report.skipped:
        raise typer.Exit(1)


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
        table.add_row(escape(source), str(ok), str(skipped), f"[red]{bad}[/red]" if bad else "0")
    console.print(table)
    if report.ingested and (verbose or len(report.ingested) <= 10):
        for item in report.ingested:
            what = f"not analysed ({item.not_analysed})" if item.not_analysed else f"{item.statements:3d} statements"
            console.print(f"  ingested {item.doc_id}  {what}  {item.title or item.source}", markup=False)
    listed = report.rejected if verbose else report.rejected[:MAX_LISTED]
    for rejected in listed:
        where = f"{rejected.source}:{rejected.item}" if rejected.item else rejected.source
        console.print(f"  [red]rejected[/red] {escape(where)}: {escape(rejected.reason)}")
    if len(listed) < len(report.rejected):
        console.print(f"  … and {len(report.rejected) - len(listed)} more rejections (--verbose lists all)")
    console.print(f"{len(report.ingested)} ingested, {len(report.skipped)} skipped, {len(report.rejected)} rejected")
    if unread := [i for i in report.ingested if i.not_analysed]:
        languages = sorted({(i.not_analysed or "").split(":")[0] for i in unread})
        console.print(f"{len(unread)} stored but not analysed ({'; '.join(languages)}): storyline status lists them")


def _forced_outlet(registry: Outlets, outlet: str | None) -> Outlet | None:
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
