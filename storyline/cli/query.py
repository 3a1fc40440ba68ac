"""``storyline statements``, ``timeline``, ``show``: reading the record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from storyline.analyze.attribution.cues import CueClass
from storyline.cli.common import console, counted, echo, echo_json, emit, fail, parse_range, store_of
from storyline.model import cue_label, date_note, stance_label

if TYPE_CHECKING:
    from storyline.model import Statement
    from storyline.store import SQLiteStore, StoredStatement, TimelineItem


def statements(
    ctx: typer.Context,
    speaker: Annotated[str | None, typer.Option(help="Only speakers whose name contains this.")] = None,
    since: Annotated[str | None, typer.Option(help="Made on or after this date (YYYY-MM-DD); undated statements count from publication; a month or year counts when any of its days is in range.")] = None,
    until: Annotated[str | None, typer.Option(help="Made on or before this date (YYYY-MM-DD).")] = None,
    cue_class: Annotated[
        CueClass | None,
        typer.Option("--cue-class", metavar="<class>", case_sensitive=False, help=f"Only statements of this cue class: {', '.join(c.value for c in CueClass)}."),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(help="Words to find in content, speaker and cue; or an SQLite FTS5 query ('\"North Korean\" AND troop*')."),
    ] = None,
    doc: Annotated[str | None, typer.Option(help="Only this document (id or id prefix).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first (with --limit: the next page).")] = 0,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines (the export's statement records) instead of a table.")] = False,
) -> None:
    """Who said what: statements with speaker, cue, content and when they were made."""
    from storyline.export.jsonl import statement_record
    from storyline.store import BadQuery, StatementQuery

    first, last = parse_range(since, until)
    store = store_of(ctx)
    doc_id = one_document(store, doc) if doc else None
    query = StatementQuery(speaker, first, last, cue_class.value if cue_class else None, search, doc_id, limit, offset)
    try:
        rows = store.statements(query)
    except BadQuery as err:
        raise fail(f"bad search query {err}; quote words that are not operators") from err
    if jsonl:
        for row in rows:
            record = {**statement_record(row.doc_id, row.statement), "outlet": row.outlet, "published": row.published, "url": row.url}
            echo_json(record)
        return
    # One block per statement: readable at any terminal width, and every line
    # carries what is needed to check it against the source.
    n = 0
    for n, row in enumerate(rows, 1):
        emit(statement_lines(row))
    emit([Text(f"{counted(n, 'statement')}{_next_page(n, limit, offset)}")])


def statement_lines(row: StoredStatement) -> list[Text]:
    """The block of one statement: when and where, who and how, what."""
    s = row.statement
    head = Text()
    head.append(s.date or "undated", style="bold")
    if note := date_note(s.date_source):
        head.append(f" ({note})", style="dim")
    head.append(f"  {row.outlet or ''} {row.doc_id}:{s.start}-{s.end}", style="dim")
    who = Text()
    who.append(s.speaker.name if s.speaker else "(unattributed)", style="bold cyan")
    who.append(" — ")
    who.append(cue_label(s.cue), style="magenta")
    who.append(f"  [{_labels(s)}]", style="dim")
    return [head, who, Text(s.content.text, style="green"), Text()]


def _labels(s: Statement) -> str:
    """Cue class, kind and the speaker's stance, with the words that set the stance when some did:
    "believe, indirect, hedge: \"Appears\""."""
    label = stance_label(s.stance, s.stance_reason)
    return f"{s.cue_class}, {s.kind}" + (f", {label}" if label else "") + (f": \"{s.stance_reason}\"" if s.stance_reason else "")


def one_document(store: SQLiteStore, prefix: str) -> str:
    """The id of the one document whose id starts with ``prefix``; else a clear error (exit 2)."""
    ids = store.document_ids(prefix, 11)
    if not ids:
        raise fail(f"no document has an id starting with {prefix!r} (storyline documents lists them)")
    if len(ids) > 1:
        listed = ", ".join(ids[:10]) + (", …" if len(ids) > 10 else "")
        raise fail(f"{prefix!r} is ambiguous: {'more than 10' if len(ids) > 10 else len(ids)} documents start with it: {listed}")
    return ids[0]


def timeline(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD); a month or year counts when any of its days is in range.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first (with --limit: the next page).")] = 0,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines instead of a table.")] = False,
) -> None:
    """Events and statements in the order they happened (not the order they were published)."""
    first, last = parse_range(since, until)
    store = store_of(ctx)
    items = store.timeline(first, last, limit=limit, offset=offset)
    if jsonl:
        for item in items:
            echo_json({k: v for k, v in vars(item).items() if k != "record"})
        return
    n = 0
    for n, item in enumerate(items, 1):
        emit([timeline_line(item)])
    emit([Text(f"{counted(n, 'dated item')}{_next_page(n, limit, offset)}")])


def documents(
    ctx: typer.Context,
    search: Annotated[
        str | None,
        typer.Option(help="Words to find in titles and texts, best match first; or an SQLite FTS5 query ('Kursk AND troop*')."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first (the next page); not with --search.")] = 0,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines (id, url, outlet, title, published, language, source).")] = False,
) -> None:
    """Stored documents: id, publication date, outlet and title, oldest first (the ids 'show' and '--doc' take)."""
    from storyline.store import BadQuery
    from storyline.store.sql import document_page

    store = store_of(ctx)
    if search:
        try:
            rows = store.search_documents(search, limit)
        except BadQuery as err:
            raise fail(f"bad search query {err}; quote words that are not operators") from err
    else:
        rows = document_page(store.sql, limit, offset)
    if jsonl:
        for row in rows:
            echo_json(row)
        return
    emit(Text(f"{row['doc_id']}  {(row['published'] or 'undated')[:10]:<10}  {row['outlet'] or row['source'] or ''} · "
              f"{row['title'] or '(no title)'}") for row in rows)
    emit([Text(f"{counted(len(rows), 'document')}{'' if search else _next_page(len(rows), limit, offset)}")])


def _next_page(shown: int, limit: int | None, offset: int) -> str:
    return f" (there may be more: --offset {offset + shown})" if limit and shown == limit else ""


def timeline_line(item: TimelineItem) -> Text:
    """One timeline item: date, kind, summary, and where in which document it is said."""
    line = Text()
    line.append(f"{item.date:<10}", style="bold")
    line.append(f" {item.kind:<9} ", style="magenta" if item.kind == "event" else "cyan")
    line.append(item.summary)
    line.append(f"  ({item.outlet or ''} {item.doc_id}:{item.start}-{item.end}", style="dim")
    note = date_note(item.date_source)
    line.append(f"; {note})" if note else ")", style="dim")
    return line


STYLES = {"speaker": "bold cyan", "cue": "bold magenta", "content": "green", "time": "yellow", "figure": "bold red"}


def show(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="Document id (or a unique prefix).")],
    plain: Annotated[bool, typer.Option("--plain", help="Mark extractions with brackets instead of colour (what a file or a pipe gets).")] = False,
) -> None:
    """A document with its extractions marked: speakers, cues, contents, times, figures."""
    store = store_of(ctx)
    document = store.document(one_document(store, doc))
    assert document is not None
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
    if plain or not console.is_terminal:  # colour alone would leave a file or a pipe with no marks at all
        echo(_bracketed(document.text, marks))  # unwrapped, so marks never split
    else:
        text = Text(document.text)
        for start, end, kind, _ in marks:
            text.stylize(STYLES[kind], start, end)
        console.print(text)
        console.print(Text(" ").join(Text(kind, style=style) for kind, style in STYLES.items()))
    console.print()
    for n, s in enumerate(analysis.statements, 1):
        who = s.speaker.name if s.speaker else "(unattributed)"
        console.print(
            f"S{n} {who} — {cue_label(s.cue)} [{_labels(s)}] {s.date or ''}"
            f" @{s.start}-{s.end}"
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
        console.print(f"  not analysed {doc_id}: {why}  {title or ''}", style="yellow")
    for rejection in store.rejections():
        where = f"{rejection.source}:{rejection.item}" if rejection.item else rejection.source
        console.print(f"  rejected {where}: {rejection.reason}", style="red")
