"""``storyline statements``, ``timeline``, ``show``: reading the record."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from storyline.cli.common import console, errors, parse_day, store_of
from storyline.export.jsonl import statement_record
from storyline.store import StatementQuery


def statements(
    ctx: typer.Context,
    speaker: Annotated[str | None, typer.Option(help="Only speakers whose name contains this.")] = None,
    since: Annotated[str | None, typer.Option(help="Made on or after this date (YYYY-MM-DD); undated statements count from publication.")] = None,
    until: Annotated[str | None, typer.Option(help="Made on or before this date (YYYY-MM-DD).")] = None,
    cue_class: Annotated[str | None, typer.Option("--cue-class", help="assert, deny, acknowledge, warn, accuse, report, believe, …")] = None,
    search: Annotated[str | None, typer.Option(help="Full-text search (SQLite FTS5 syntax) over content, speaker and cue.")] = None,
    doc: Annotated[str | None, typer.Option(help="Only this document (id or id prefix).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines (the export's statement records) instead of a table.")] = False,
) -> None:
    """Who said what: statements with speaker, cue, content and when they were made."""
    store = store_of(ctx)
    doc_id = None
    if doc:
        doc_id = store.resolve_id(doc)
        if doc_id is None:
            errors.print(f"[red]no single document with id {doc!r}[/red]")
            raise typer.Exit(1)
    query = StatementQuery(speaker, parse_day(since), parse_day(until), cue_class, search, doc_id, limit)
    try:
        rows = store.statements(query)
    except sqlite3.OperationalError as err:
        errors.print(f"[red]bad search query {search!r}: {err}[/red]")
        raise typer.Exit(1) from err
    if jsonl:
        for row in rows:
            record = {**statement_record(row.doc_id, row.statement), "outlet": row.outlet, "published": row.published, "url": row.url}
            print(json.dumps(record, ensure_ascii=False))
        return
    # One block per statement: readable at any terminal width, and every line
    # carries what is needed to check it against the source.
    for row in rows:
        s = row.statement
        head = Text()
        head.append(s.date or "undated", style="bold")
        head.append(_date_note(s.date_source).replace("\n", " "), style="dim")
        head.append(f"  {row.outlet or ''} {row.doc_id}:{s.start}-{s.end}", style="dim")
        who = Text()
        who.append(s.speaker.name if s.speaker else "(unattributed)", style="bold cyan")
        who.append(" — ")
        who.append(s.cue.text if s.cue else "(continues)", style="magenta")
        who.append(f"  [{s.cue_class}, {s.kind}]", style="dim")
        console.print(head)
        console.print(who)
        console.print(Text(s.content.text), style="green", soft_wrap=False)
        console.print()
    console.print(f"{len(rows)} statements")


def _date_note(source: str | None) -> str:
    """How a date was found, when the text does not state it outright."""
    return {"narrative": " (from the story's last date)", "publication": " (publication date)"}.get(source or "", "")


def timeline(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines instead of a table.")] = False,
) -> None:
    """Events and statements in the order they happened (not the order they were published)."""
    store = store_of(ctx)
    items = store.timeline(parse_day(since), parse_day(until))
    if jsonl:
        for item in items:
            record = {k: v for k, v in vars(item).items() if k != "record"}
            print(json.dumps(record, ensure_ascii=False))
        return
    for item in items:
        line = Text()
        line.append(f"{item.date:<10}", style="bold")
        line.append(f" {item.kind:<9} ", style="magenta" if item.kind == "event" else "cyan")
        line.append(item.summary)
        line.append(f"  ({item.outlet or ''} {item.doc_id}:{item.start}-{item.end}", style="dim")
        line.append(_date_note(item.date_source).replace("\n", ", ").replace("(", "").replace(")", "") + ")", style="dim")
        console.print(line)
    console.print(f"{len(items)} dated items")


STYLES = {"speaker": "bold cyan", "cue": "bold magenta", "content": "green", "time": "yellow", "figure": "bold red"}


def show(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="Document id (or a unique prefix).")],
    plain: Annotated[bool, typer.Option("--plain", help="Mark extractions with brackets instead of colour.")] = False,
) -> None:
    """A document with its extractions marked: speakers, cues, contents, times, figures."""
    store = store_of(ctx)
    document = store.document(doc)
    if document is None:
        errors.print(f"[red]no single document with id {doc!r}[/red]")
        raise typer.Exit(1)
    analysis = store.analysis(document.id)
    marks: list[tuple[int, int, str, str]] = []  # start, end, kind, label
    for n, s in enumerate(analysis.statements, 1):
        for kind, span in (("speaker", s.speaker), ("cue", s.cue), ("content", s.content)):
            if span is not None:
                marks.append((span.start, span.end, kind, f"S{n}"))
    marks += [(t.start, t.end, "time", t.value) for t in analysis.times]
    marks += [(f.start, f.end, "figure", f"{f.value:g} {f.unit or ''}".strip()) for f in analysis.figures]

    console.print(Text(f"{document.title or document.id}", style="bold"))
    console.print(
        f"{document.outlet or '?'} · published {document.published.isoformat() if document.published else '?'}"
        f" · {', '.join(document.authors) or 'no byline'} · id {document.id}"
    )
    if plain:
        print(_bracketed(document.text, marks))  # unwrapped, so marks never split
    else:
        text = Text(document.text)
        for start, end, kind, _ in marks:
            text.stylize(STYLES[kind], start, end)
        console.print(text)
        console.print(" ".join(f"[{style}]{kind}[/]" for kind, style in STYLES.items()))
    console.print()
    for n, s in enumerate(analysis.statements, 1):
        who = s.speaker.name if s.speaker else "(unattributed)"
        console.print(
            f"S{n} {who} — {s.cue.text if s.cue else '(continues)'} [{s.cue_class}, {s.kind}] {s.date or ''}"
            f" @{s.start}-{s.end}",
            markup=False,
        )


_OPEN = {"speaker": "{", "cue": "<", "content": "[", "time": "⟨", "figure": "«"}
_CLOSE = {"speaker": "}", "cue": ">", "content": "]", "time": "⟩", "figure": "»"}


def _bracketed(text: str, marks: list[tuple[int, int, str, str]]) -> str:
    """Insert bracket marks; a closing mark carries its label ("]S1", "⟩2024-10-24")."""
    # At one position: closings before openings; inner spans close first and open last.
    inserts: list[tuple[tuple[int, int, int], str]] = []
    for start, end, kind, label in marks:
        inserts.append(((start, 1, -end), _OPEN[kind]))
        inserts.append(((end, 0, -start), _CLOSE[kind] + label))
    out, last = [], 0
    for (pos, _, _), mark in sorted(inserts, key=lambda x: x[0]):
        out.append(text[last:pos])
        out.append(mark)
        last = pos
    out.append(text[last:])
    return "".join(out)


def status(ctx: typer.Context) -> None:
    """What the store holds, and the inputs that were rejected (until they are fixed and ingested again)."""
    store = store_of(ctx)
    counts = store.counts()
    table = Table(title=f"store {store.path}")
    table.add_column("records")
    table.add_column("count", justify="right")
    for name, count in counts.items():
        table.add_row(name, str(count))
    console.print(table)
    for doc_id, why, title in store.not_analysed():
        console.print(f"  [yellow]not analysed[/yellow] {doc_id}: {escape(why)}  {escape(title or '')}")
    for rejection in store.rejections():
        where = f"{rejection.source}:{rejection.item}" if rejection.item else rejection.source
        console.print(f"  [red]rejected[/red] {escape(where)}: {escape(rejection.reason)}")
