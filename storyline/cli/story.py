"""``storyline stories``, ``story``, ``claims``: the story across sources."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from storyline.cli.common import SafeConsole, console, counted, echo, emit, errors, store_of
from storyline.cli.query import timeline_line
from storyline.model import punctuation_cue
from storyline.store.base import Store
from storyline.story import views

STANCE_STYLE = {"affirm": "green", "deny": "bold red", "hedge": "yellow"}


def _need_stories(store: Store) -> None:
    if not store.sql.one("SELECT 1 FROM stories LIMIT 1"):
        empty = not store.sql.one("SELECT 1 FROM documents LIMIT 1")
        errors.print(
            f"no stories in {store.path}: "
            + ("the store is empty; ingest documents first (storyline ingest PATH…)" if empty
               else "run 'storyline stories --rebuild' to build them from the stored documents")
        )
        raise typer.Exit(1)


def stories(
    ctx: typer.Context,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many, largest first.")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build the story layer again from the stored documents first.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines instead of a table.")] = False,
) -> None:
    """Stories: documents grouped as they arrive, with their dates, claims and contested claims."""
    store = store_of(ctx)
    if rebuild:
        from storyline.story.engine import StoryEngine

        n = StoryEngine(store).rebuild()
        errors.print(f"rebuilt the story layer from {n} documents")
    _need_stories(store)
    rows = views.stories(store, limit)
    if jsonl:
        for row in rows:
            print(json.dumps(dataclasses.asdict(row), ensure_ascii=False))
        return
    def dates_of(row: views.StorySummary) -> str:
        if row.first_date == row.last_date:
            return row.first_date or "undated"
        return f"{row.first_date or '?'}…{(row.last_date or '?')[5:]}"

    if not console.is_terminal:  # a file, a pipe, a log: a line a story, the title unwrapped
        emit(Text(f"{row.story_id}  {dates_of(row)}  {counted(row.documents, 'document')}  "
                  f"{counted(row.claims, 'claim')}  {row.contested} contested  {row.title or ''}") for row in rows)
        echo(f"{len(rows)} stories · details: storyline story ID")
        return
    table = Table(title=f"stories in {store.path}")
    for column in ("id", "title", "dates", "docs", "claims", "contested"):
        table.add_column(column, justify="right" if column in {"docs", "claims", "contested"} else "left",
                         overflow="fold", no_wrap=column in {"id", "dates"})
    for row in rows:
        table.add_row(row.story_id, Text(row.title or ""), dates_of(row), str(row.documents), str(row.claims),
                      Text(str(row.contested), style="bold red" if row.contested else ""))
    console.print(table)
    console.print(f"{len(rows)} stories · details: storyline story ID")


def _story_id(store: Store, prefix: str) -> str:
    found = views.resolve_story(store, prefix)
    if len(found) == 1:
        return found[0]
    if not found:
        errors.print(f"no story with id {prefix!r} (storyline stories lists them)")
    else:
        errors.print(f"story id {prefix!r} is ambiguous: {', '.join(found)}")
    raise typer.Exit(1)


def story(
    ctx: typer.Context,
    story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id (or a unique prefix), from 'storyline stories'.")],
    plain: Annotated[bool, typer.Option("--plain", help="Plain text, one block per claim, instead of a matrix.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The story as JSON (the stories export's record).")] = False,
    sources: Annotated[int, typer.Option(min=1, help="Matrix columns: at most this many sources, most active first.")] = 8,
    min_statements: Annotated[int, typer.Option("--min-statements", min=1, help="Only claims made by at least this many statements.")] = 2,
    max_claims: Annotated[int, typer.Option("--claims", min=1, help="At most this many claims, most-made first.")] = 30,
) -> None:
    """One story: the claim matrix (claims × sources, stance and date in each cell), figure series and timeline."""
    store = store_of(ctx)
    _need_stories(store)
    sid = _story_id(store, story_id)
    summary = views.story_summary(store, sid)
    assert summary is not None
    if as_json:
        from storyline.export.stories import story_record

        print(json.dumps(story_record(store, summary), ensure_ascii=False, indent=2))
        return
    console.print(Text(summary.title or sid, style="bold"))
    people = ", ".join(e["name"] for e in views.main_identities(store, sid))
    console.print(f"{sid} · {summary.dates()} · {counted(summary.documents, 'document')} · {people}",
                  markup=False)
    claims = [c for c in views.claims(store, sid, limit=max_claims) if len(c.statements) >= min_statements or c.contested]
    if not claims:
        console.print(f"no claim is made by {min_statements} or more statements (--min-statements 1 shows all)")
    elif plain:
        _claims_plain(claims)
    else:
        _matrix(claims, sources)
    _series(store, sid)
    items = views.timeline(store, sid)
    console.print(Text(f"\ntimeline ({len(items)} dated items)", style="bold"))
    for item in items:
        console.print(timeline_line(item))


def _matrix(claims: list[views.Claim], limit: int) -> None:
    columns, _ = views.matrix_sources(claims, limit)
    table = Table(title=Text("claims × sources (stance, date; [n] = the statement listed below)"), show_lines=True)
    table.add_column("claim", overflow="fold", ratio=3)
    for column in columns:
        table.add_column(column, overflow="fold", ratio=1)
    notes: list[views.ClaimStatement] = []
    for claim in claims:
        label = Text(claim.text)
        if claim.contested:
            label.append("  CONTESTED", style="bold red")
        cells = []
        for column in columns:
            cell = Text()
            for s in claim.statements:
                if (s.speaker or views.UNATTRIBUTED) == column:
                    notes.append(s)
                    cell.append(f"{s.stance} {(s.date or '')[5:]}", style=STANCE_STYLE.get(s.stance, ""))
                    cell.append(f" [{len(notes)}]\n", style="dim")
            cells.append(cell)
        table.add_row(label, *cells)
    # To a file or pipe rich would fold the matrix into 80 columns, a name over three lines:
    # there it gets the width its columns need (a terminal keeps its own width).
    out = console if console.is_terminal else SafeConsole(highlight=False, markup=False, file=console.file,
                                                          width=40 + 18 * len(columns))
    out.print(table)
    for n, s in enumerate(notes, 1):
        console.print(Text(f"[{n}] ", style="dim") + Text(f"{s.speaker} ({s.stance}, {s.date}): ") +
                      Text(s.text.replace("\n", " "), style="italic") +
                      Text(f"  — {s.outlet or ''} {s.doc_id}:{s.start}-{s.end}", style="dim"))
    console.print(Text("the whole document: storyline show DOC_ID", style="dim"))


def _claims_plain(claims: list[views.Claim], source: str | None = None) -> None:
    for claim in claims:
        console.print(Text(f"\nclaim {claim.claim_id}{'  CONTESTED' if claim.contested else ''}: {claim.text}", style="bold"))
        # Asked for one source: its statements, and how many others the claim has.
        shown = [s for s in claim.statements if source is None or views.spoken_by(s, source)]
        for s in shown:
            copy = "" if s.independent else " (copy)"
            # A headline's colon or dash is its cue: nothing to print for it.
            cue = f" — {s.cue}" if s.cue and not punctuation_cue(s.cue) else ""
            console.print(Text(f"  {s.date or 'undated':<10} {s.stance:<6} {s.speaker or '(unattributed)'}{copy}{cue}: "
                               f"\"{s.text}\" ({s.outlet or ''} {s.doc_id}:{s.start}-{s.end})".replace("\n", " ")))
        if others := len(claim.statements) - len(shown):
            console.print(Text(f"  … and {counted(others, 'statement')} by other sources (storyline claims --story {claim.story_id})",
                               style="dim"))


def _series(store: Store, story_id: str) -> None:
    all_series = [s for s in views.series(store, story_id) if len({p.doc_id for p in s.points}) > 1]
    if not all_series:
        return
    console.print(Text("\nfigures", style="bold"))
    for s in all_series:
        console.print(Text(f"  {s.quantity}: ", style="bold") + Text(" → ".join(step.label() for step in views.steps(s.points))))


def claims(
    ctx: typer.Context,
    story_id: Annotated[str | None, typer.Option("--story", help="Only this story (id or unique prefix).")] = None,
    contested: Annotated[bool, typer.Option("--contested", help="Only claims that sources both affirm and deny.")] = False,
    source: Annotated[str | None, typer.Option(help="Only claims with a statement by a source whose name contains this, and only its statements (the others counted).")] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines instead of text.")] = False,
) -> None:
    """Claims across documents: each with every statement, its source's stance (affirm, deny, hedge) and date."""
    store = store_of(ctx)
    _need_stories(store)
    sid = _story_id(store, story_id) if story_id else None
    found = views.claims(store, sid, contested=contested, source=source)
    if jsonl:
        for claim in found:
            print(json.dumps(dataclasses.asdict(claim), ensure_ascii=False))
        return
    _claims_plain(found, source)
    console.print(f"\n{counted(len(found), 'claim')}")
