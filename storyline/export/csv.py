"""Statements as CSV: one row per statement, for spreadsheets.

Cells are neutralised against formula injection as OWASP advises: a text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading ``'``, so a spreadsheet shows it as text instead of running it (an
outlet named ``=cmd|' /C calc'!A0`` stays a name). Numbers are written as
numbers. Undo it with ``value[1:] if value.startswith("'")`` on those cells
when reading the file as data.
"""

from __future__ import annotations

import csv
from typing import IO

from storyline.store import StatementQuery, Store

COLUMNS = [
    "statement_id", "doc_id", "title", "outlet", "published", "url", "start", "end", "date", "date_source",
    "speaker", "speaker_text", "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "cue_class", "kind",
    "stance", "content", "content_start", "content_end",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_statements_csv(store: Store, out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    n = 0
    for row in store.statements(StatementQuery()):
        s = row.statement
        sp, cue = s.speaker, s.cue
        writer.writerow([neutralise(cell) for cell in (
            s.id(row.doc_id), row.doc_id, row.title, row.outlet, row.published, row.url, s.start, s.end,
            s.date, s.date_source,
            sp.name if sp else "", sp.text if sp else "", sp.start if sp else "", sp.end if sp else "",
            cue.text if cue else "", cue.start if cue else "", cue.end if cue else "", s.cue_class, s.kind,
            s.stance, s.content.text, s.content.start, s.content.end,
        )])
        n += 1
    return n
