"""``storyline statements``, ``timeline``, ``show``: reading the record."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated

import typer
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
    table = Table(title="who said what", show_lines=True)
    for column, style in (("date", None), ("speaker", "bold"), ("cue", "magenta"), ("content", None), ("kind", None), ("source", "dim")):
        table.add_column(column, style=style, overflow="fold")
    for row in rows:
        s = row.statement
        table.add_row(
            (s.date or "") + ("" if s.date_source in (None, "explicit") else f" ({s.date_source})"),
            s.speaker.name if s.speaker else "(unattributed)",
            f"{s.cue.text if s.cue else '—'}\n[{s.cue_class}]",
            s.content.text,
            s.kind,
            f"{row.outlet or ''} {row.doc_id}:{s.start}-{s.end}",
        )
    console.print(table)
    console.print(f"{len(rows)} statements")


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
    table = Table(title="timeline", show_lines=True)
    for column, style in (("when", "bold"), ("what", None), ("", None), ("source", "dim")):
        table.add_column(column, style=style, overflow="fold")
    for item in items:
        table.add_row(
            item.date + ("" if item.date_source in (None, "explicit") else f"\n({item.date_source})"),
            item.kind,
            item.summary,
            f"{item.outlet or ''} {item.doc_id}:{item.start}-{item.end}",
        )
    console.print(table)
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
    for rejection in store.rejections():
        where = f"{rejection.source}:{rejection.item}" if rejection.item else rejection.source
        console.print(f"  [red]rejected[/red] {where}: {rejection.reason}")
